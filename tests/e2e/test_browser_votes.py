"""Bedömning in a real browser: the count follows every vote, and the facilitator's view
shows votes cast elsewhere without the page being reloaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, workshop
from tests.conftest import shared_catalog
from tests.e2e.conftest import (
    SAFETY_NET_SECONDS,
    assert_no_exception,
    choose,
    click,
    open_page,
    visible_text,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

_NEWEST_RUN = """() => Math.max(0,
  ...[...document.querySelectorAll('[data-testid="riskmotor-run"]')]
  .map(marker => Number(marker.dataset.run)))"""


def test_the_count_follows_each_vote_and_votes_from_elsewhere_arrive_live(
    server: tuple[str, str], page: Page
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    catalog = shared_catalog()
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    assert analysis.id is not None
    fresh = workshop.add_risk(uow(), catalog, {"analysis_id": analysis.id, "title": "E2E: röst"})
    assert fresh.id is not None
    voter, elsewhere = workshop.participants(uow(), analysis.id)[:2]
    assert voter.id is not None and elsewhere.id is not None
    total = len(workshop.list_risks(uow(), catalog, analysis.id))

    def scored(person_id: int) -> int:
        votes = workshop.votes_for_analysis(uow(), analysis.id or 0)
        return sum(v.participant_id == person_id for v in votes)

    open_page(page, base, "bedomning")
    assert_no_exception(page, "bedömning")
    choose(page, "Jag är", voter.name)
    before = scored(voter.id)
    progress = f"Du har bedömt {before} av {total} risker."
    # The progress line is drawn by the run the choice started; wait for it, not for time.
    visible_text(page, progress).wait_for(timeout=SAFETY_NET_SECONDS * 1000)
    choose(page, "Risk att bedöma", fresh.title)
    click(page, visible_text(page, "2 Mindre sannolik"))
    click(page, visible_text(page, "3 Kännbar"))
    click(page, page.get_by_role("button", name="Spara min bedömning"))
    assert_no_exception(page, "bedömning")
    assert scored(voter.id) == before + 1
    updated = f"Du har bedömt {before + 1} av {total} risker."
    visible_text(page, updated).wait_for(timeout=SAFETY_NET_SECONDS * 1000)

    # The facilitator's overview: a vote cast on another device appears by itself, and
    # the page is not drawn again for it (the app's run counter stays where it was).
    click(page, page.get_by_role("tab", name="Processledarens vy"))
    votes = page.locator("[data-testid='stMetric']").filter(has_text="Röster")
    shown = len(workshop.votes_for_analysis(uow(), analysis.id))
    assert str(shown) in votes.inner_text()
    runs = page.evaluate(_NEWEST_RUN)
    workshop.cast_vote(uow(), catalog, fresh.id, elsewhere.id, 4, 4)
    votes.get_by_text(str(shown + 1), exact=True).wait_for(timeout=SAFETY_NET_SECONDS * 1000)
    assert page.evaluate(_NEWEST_RUN) == runs
    assert_no_exception(page, "bedömning, processledarens vy")
