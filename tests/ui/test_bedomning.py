"""The Bedömning page as a participant and a facilitator see it (AppTest)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from riskmotor.domain.access import Identity, Role
from riskmotor.domain.terms import label
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import access, workshop
from streamlit_app import ui
from tests.conftest import shared_catalog
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]
VOTER = "anna.voter@exempel.se"
OTHER = "bo.annan@exempel.se"


def _setup(uow_for: UowFor, analysis_id: int, people: int = 1) -> tuple[list[int], list[int]]:
    catalog = shared_catalog()
    names = ["Anna Voter", "Bo Annan"][:people]
    emails = [VOTER, OTHER]
    persons = [
        workshop.add_participant(uow_for(), analysis_id, name, email=email).id
        for name, email in zip(names, emails, strict=False)
    ]
    risks = [
        workshop.add_risk(uow_for(), catalog, {"analysis_id": analysis_id, "title": title}).id
        for title in ("Första risken", "Andra risken")
    ]
    return [p for p in persons if p], [r for r in risks if r]


def _progress(app: AppTest) -> str:
    return app.get("progress")[0].proto.text


def _submit(app: AppTest) -> AppTest:
    button = next(b for b in app.button if b.label == "Spara min bedömning")
    return button.click().run()


def _radio(app: AppTest, name: str) -> object:
    return next(r for r in app.radio if r.label == name)


def test_the_count_and_the_list_show_a_vote_as_soon_as_it_is_saved(
    empty_analysis: int, uow_for: UowFor
) -> None:
    persons, risks = _setup(uow_for, empty_analysis)
    app = open_page("bedomning")
    assert _progress(app) == "Du har bedömt 0 av 2 risker."
    _radio(app, "Sannolikhet").set_value(2)  # type: ignore[attr-defined]
    _radio(app, "Konsekvens").set_value(3)  # type: ignore[attr-defined]
    _submit(app)
    assert not app.exception
    assert _progress(app) == "Du har bedömt 1 av 2 risker."
    assert any("Första risken" in s.value and "sparad" in s.value for s in app.success)
    # The form moved on to the risk not yet scored, and the list marks the scored one.
    chosen = app.selectbox(key=f"bedom_risk_{persons[0]}")
    assert chosen.value == risks[1]
    assert chosen.format_func(risks[0]) == "Första risken (bedömd)"
    mine = next(d.value for d in app.dataframe if list(d.value.columns)[1:3] == ["S", "K"])
    assert list(mine[label("title")]) == ["Första risken"]
    # The facilitator's live overview shows who has voted.
    who = next(d.value for d in app.dataframe if "Bedömda risker" in d.value.columns)
    assert list(who["Bedömda risker"]) == ["1 av 2"]


@pytest.mark.parametrize(
    ("likelihood", "consequence", "missing"),
    [
        (None, None, {"Sannolikhet", "Konsekvens"}),
        (2, None, {"Konsekvens"}),
        (None, 3, {"Sannolikhet"}),
    ],
)
def test_an_empty_required_field_is_named_in_swedish_and_nothing_is_saved(
    empty_analysis: int,
    uow_for: UowFor,
    likelihood: int | None,
    consequence: int | None,
    missing: set[str],
) -> None:
    _setup(uow_for, empty_analysis)
    app = open_page("bedomning")
    if likelihood is not None:
        _radio(app, "Sannolikhet").set_value(likelihood)  # type: ignore[attr-defined]
    if consequence is not None:
        _radio(app, "Konsekvens").set_value(consequence)  # type: ignore[attr-defined]
    _submit(app)
    assert not app.exception
    named = {e.value.split(":")[0] for e in app.error}
    assert named == missing
    assert workshop.votes_for_analysis(uow_for(), empty_analysis) == []
    assert _progress(app) == "Du har bedömt 0 av 2 risker."


def test_the_facilitator_chooses_the_participant_from_a_swedish_placeholder(
    empty_analysis: int, uow_for: UowFor
) -> None:
    _setup(uow_for, empty_analysis, people=2)
    app = open_page("bedomning")
    assert not app.exception
    whom = app.selectbox(key="bedomning_deltagare")
    assert whom.value is None and whom.placeholder == "Välj …"
    assert any("Välj vem du är" in i.value for i in app.info)
    assert not any(b.label == "Spara min bedömning" for b in app.button)


def _shared(uow_for: UowFor, analysis_id: int) -> None:
    """Make the database shared: Anna is a deltagare with a login, Bo only a deltagare."""
    analysis = workshop.get_analysis(uow_for(), analysis_id)
    admin = Identity.login(subject="admin", name="Admin", email="admin@exempel.se")
    access.bootstrap_administrator(
        UnitOfWork(uow_for().engine, Identity.command_line("drift")),
        email="admin@exempel.se",
        namnd_id=analysis.namnd_id,
    )
    for email in (VOTER, OTHER):
        access.grant(
            UnitOfWork(uow_for().engine, admin),
            email=email,
            role=Role.DELTAGARE,
            namnd_id=analysis.namnd_id,
        )


def test_a_logged_in_participant_scores_only_their_own_votes(
    empty_analysis: int, uow_for: UowFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons, risks = _setup(uow_for, empty_analysis, people=2)
    _shared(uow_for, empty_analysis)
    anna = Identity.login(subject="anna", name="Anna Voter", email=VOTER)
    monkeypatch.setattr(ui, "current_identity", lambda: anna)
    app = open_page("bedomning")
    assert not app.exception, [e.value for e in app.exception]
    # No choosing whom to score for, and no facilitator's view.
    assert not [s for s in app.selectbox if s.key == "bedomning_deltagare"]
    assert not app.tabs
    assert any("Du bedömer som Anna Voter" in c.value for c in app.caption)
    _radio(app, "Sannolikhet").set_value(4)  # type: ignore[attr-defined]
    _radio(app, "Konsekvens").set_value(2)  # type: ignore[attr-defined]
    _submit(app)
    assert not app.exception
    [vote] = workshop.votes_for_analysis(uow_for(), empty_analysis)
    assert (vote.participant_id, vote.risk_id, vote.likelihood) == (persons[0], risks[0], 4)
    assert _progress(app) == "Du har bedömt 1 av 2 risker."
