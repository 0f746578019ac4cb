"""The internkontrollplan loop on the demo data: propose, complete, adopt, follow up, copy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from riskmotor.catalogs import Catalog
from riskmotor.clock import FixedClock
from riskmotor.domain.plan import (
    ActionStatus,
    FollowupStatus,
    PlanFrozenError,
    PlanStatus,
    Strategy,
)
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import PlanView
from riskmotor.services import audit, demo, plan, workshop

UowFactory = Callable[..., UnitOfWork]


def on(uow_factory: UowFactory, year: int, month: int, day: int) -> UnitOfWork:
    """A unit of work whose clock says it is noon on the given Swedish day."""
    clock = FixedClock(datetime(year, month, day, 10, tzinfo=UTC))
    return UnitOfWork(uow_factory().engine, "testare", clock)


@pytest.fixture
def proposed(uow_factory: UowFactory, catalog: Catalog) -> PlanView:
    ids = demo.load_demo(uow_factory(), catalog)
    created = plan.propose(uow_factory(), catalog, ids.namnd_id, 2027)
    return plan.view(uow_factory(), catalog, created.id or 0)


def _complete(uow_factory: UowFactory, catalog: Catalog, proposed: PlanView) -> None:
    """Make the proposal ready för beslut: every included risk confirmed, with a control
    that has an ansvarig and a tidpunkt, and one action."""
    for item in proposed.included:
        if not item.risk.confirmed:
            risk = item.risk
            workshop.confirm_assessment(
                uow_factory(),
                catalog,
                risk.id,
                risk.likelihood or 1,
                risk.consequence or 1,
                risk.version,
            )
        suggestion = plan.suggested_controls(catalog, item.risk)[0]
        plan.add_control(
            uow_factory(),
            {
                "plan_risk_id": item.plan_risk.id,
                "responsible": "Enhetschef",
                "timing": "Varje tertial",
                **suggestion,
            },
        )
    first = proposed.included[0]
    plan.set_treatment(uow_factory(), catalog, first.plan_risk.id or 0, Strategy.REDUCERA, 2, 3)
    plan.add_action(
        uow_factory(),
        {
            "plan_risk_id": first.plan_risk.id,
            "what": "Ny rutin för förhandsbedömning",
            "owner": "Sara",
            "due_date": date(2027, 3, 31),
        },
    )


def test_proposal_follows_the_threshold_with_reasons(proposed: PlanView, catalog: Catalog) -> None:
    threshold = catalog.scale().selection_threshold
    assert proposed.plan.status == PlanStatus.UTKAST and proposed.plan.threshold == threshold
    assert proposed.included
    for item in proposed.risks:
        value = item.plan_risk.risk_value
        assert item.plan_risk.included == (value is not None and value >= threshold)
        assert item.plan_risk.reason
    values = [item.plan_risk.risk_value or 0 for item in proposed.risks]
    assert values == sorted(values, reverse=True)


def test_override_needs_motivation_and_is_audited(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    excluded = next(v for v in proposed.risks if not v.plan_risk.included)
    with pytest.raises(InvalidInputError, match="motivering"):
        plan.set_override(uow_factory(), catalog, excluded.plan_risk.id or 0, True, " ")
    plan.set_override(
        uow_factory("Erik"),
        catalog,
        excluded.plan_risk.id or 0,
        True,
        "Återkommande avvikelser 2026",
    )
    refreshed = plan.view(uow_factory(), catalog, proposed.plan.id or 0)
    item = next(v for v in refreshed.risks if v.plan_risk.id == excluded.plan_risk.id)
    assert item.plan_risk.included
    assert item.plan_risk.reason == "Ingår (manuellt beslut): Återkommande avvikelser 2026"
    logged = audit.audit_log(uow_factory(), entity="plan_risk", entity_id=excluded.plan_risk.id)
    assert any(e.field == "override_motivation" and e.actor == "Erik" for e in logged)


def test_adopted_plan_is_frozen_and_a_new_version_carries_a_diff(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    with pytest.raises(InvalidInputError, match="saknar kontrollmoment"):
        plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 123", "SN 2026/123")
    _complete(uow_factory, catalog, proposed)
    adopted = plan.approve(
        uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 123", "SN 2026/123"
    )
    assert (adopted.status, adopted.paragraf, adopted.dnr) == (
        PlanStatus.FASTSTALLD,
        "§ 123",
        "SN 2026/123",
    )
    first = proposed.included[0]
    with pytest.raises(PlanFrozenError, match="fastställd"):
        plan.add_control(
            uow_factory(),
            {
                "plan_risk_id": first.plan_risk.id,
                "control_activity": "X",
                "control_method": "genomgång",
                "frequency": "år",
            },
        )
    with pytest.raises(PlanFrozenError):
        plan.propose(uow_factory(), catalog, adopted.namnd_id, 2027)

    second = plan.new_version(uow_factory(), plan_id)
    assert (second.plan_version, second.status, second.based_on_kind) == (
        2,
        PlanStatus.UTKAST,
        "ny version",
    )
    unchanged = plan.diff(uow_factory(), catalog, second.id or 0)
    assert unchanged is not None and unchanged.empty
    copied = plan.view(uow_factory(), catalog, second.id or 0)
    target = next(v for v in copied.included if v.risk.title == first.risk.title)
    plan.add_control(
        uow_factory(),
        {
            "plan_risk_id": target.plan_risk.id,
            "control_activity": "Genomgång av väntelistan",
            "control_method": "genomgång",
            "frequency": "månad",
        },
    )
    changes = plan.diff(uow_factory(), catalog, second.id or 0)
    assert changes is not None and not changes.new and not changes.removed
    assert changes.changed == [
        (first.risk.title, ["nytt kontrollmoment: Genomgång av väntelistan"])
    ]


def test_followup_for_three_tertials_and_overdue_actions(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    _complete(uow_factory, catalog, proposed)
    plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 2026/1")
    current = plan.view(uow_factory(), catalog, plan_id)
    control = current.included[0].controls[0]
    action = current.included[0].actions[0]
    for period, status in [
        ("2027-T1", FollowupStatus.GUL),
        ("2027-T2", FollowupStatus.GRON),
        ("2027-T3", FollowupStatus.GRON),
    ]:
        plan.record_control_followup(
            uow_factory(),
            catalog,
            control.id or 0,
            period,
            status=status,
            result="Stickprov 20 akter",
        )
        plan.record_risk_followup(
            uow_factory(), catalog, current.included[0].plan_risk.id or 0, period, 2, 3
        )
    summary = plan.followup_summary(on(uow_factory, 2027, 8, 31), catalog, plan_id, "2027-T2")
    assert summary.status_counts.green == 1
    assert [a.action_id for a in summary.overdue_actions] == [action.id]
    assert summary.risks[0].residual_likelihood == 2
    plan.set_action_status(uow_factory(), action.id or 0, ActionStatus.KLAR, action.version)
    done = plan.followup_summary(on(uow_factory, 2027, 12, 31), catalog, plan_id, "2027-T3")
    assert done.overdue_actions == []
    with pytest.raises(InvalidInputError, match="Ange status"):
        plan.record_control_followup(uow_factory(), catalog, control.id or 0, "2027-T1")


def test_next_year_starts_from_this_years_plan(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    _complete(uow_factory, catalog, proposed)
    plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 2026/1")
    next_year = plan.copy_to_next_year(uow_factory(), catalog, plan_id)
    assert (next_year.year, next_year.status, next_year.based_on_kind) == (
        2028,
        PlanStatus.UTKAST,
        "föregående år",
    )
    copied = plan.view(uow_factory(), catalog, next_year.id or 0)
    assert {v.risk.title for v in copied.included} == {v.risk.title for v in proposed.included}
    assert all(v.controls for v in copied.included)
    unchanged = plan.diff(uow_factory(), catalog, next_year.id or 0)
    assert unchanged is not None and unchanged.empty

    # The 2028 workshop lowers one risk below the threshold: the refreshed draft drops it.
    lowered = copied.included[0]
    workshop.confirm_assessment(uow_factory(), catalog, lowered.risk.id, 1, 1, lowered.risk.version)
    plan.propose(uow_factory(), catalog, next_year.namnd_id, 2028)
    changes = plan.diff(uow_factory(), catalog, next_year.id or 0)
    assert changes is not None and changes.removed == [lowered.risk.title]


# one transaction per use case ----------------------------------------------------------


@contextmanager
def transactions() -> Iterator[list[int]]:
    """Counts the transactions begun (on any session) while the block runs."""
    begun: list[int] = []

    def count(*_: object) -> None:
        begun.append(1)

    event.listen(Session, "after_begin", count)
    try:
        yield begun
    finally:
        event.remove(Session, "after_begin", count)


def test_each_use_case_checks_and_writes_in_one_transaction(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    excluded = next(v for v in proposed.risks if not v.plan_risk.included)
    calls: list[Callable[[], object]] = [
        lambda: plan.propose(uow_factory(), catalog, proposed.plan.namnd_id, 2027),
        lambda: plan.set_override(
            uow_factory(), catalog, excluded.plan_risk.id or 0, False, "Hanteras i verksamheten"
        ),
        lambda: _complete(uow_factory, catalog, proposed),  # four use cases, one each
        lambda: plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 1"),
        lambda: plan.copy_to_next_year(uow_factory(), catalog, plan_id),
        lambda: plan.record_followup(
            uow_factory(),
            catalog,
            plan_id,
            "2027-T1",
            risk=plan.ResidualScore(proposed.included[0].risk.id, 2, 2),
        ),
    ]
    counted = []
    for call in calls:
        with transactions() as begun:
            call()
        counted.append(len(begun))
    unconfirmed = sum(not v.risk.confirmed for v in proposed.included)
    assert counted == [1, 1, len(proposed.included) + unconfirmed + 2, 1, 1, 1]


def test_a_page_opened_before_adoption_cannot_change_the_adopted_plan(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    _complete(uow_factory, catalog, proposed)
    stale = plan.view(uow_factory(), catalog, plan_id)  # still shows an editable draft
    assert stale.plan.editable
    plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 1")
    excluded = next(v for v in stale.risks if not v.plan_risk.included)
    with pytest.raises(PlanFrozenError, match="fastställd"):
        plan.set_override(uow_factory(), catalog, excluded.plan_risk.id or 0, True, "Sent")
    after = plan.view(uow_factory(), catalog, plan_id)
    assert not next(v for v in after.risks if v.risk.id == excluded.risk.id).plan_risk.included


def test_record_followup_stores_all_three_parts_or_nothing(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    _complete(uow_factory, catalog, proposed)
    plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 1")
    first = plan.find_plan_view(uow_factory(), catalog, "Socialnämnden", 2027).included[0]
    assert plan.find_plan_risk(uow_factory(), "Socialnämnden", 2027, first.risk.id).id == (
        first.plan_risk.id
    )
    control, action = first.controls[0], first.actions[0]
    report = plan.record_followup(
        on(uow_factory, 2027, 5, 2),
        catalog,
        plan_id,
        "2027-T1",
        control=plan.ControlResult(control.id or 0, FollowupStatus.ROD, "12 av 20 akter"),
        action=plan.ActionProgress(action.id or 0, ActionStatus.PAGAR, action.version),
        risk=plan.ResidualScore(first.risk.id, 2, 3, "Ny rutin införd"),
    )
    assert (report.status_counts.red, report.status_counts.not_reported) == (
        1,
        len(proposed.included) - 1,
    )
    assert [(a.status, a.overdue) for a in report.actions] == [(ActionStatus.PAGAR, True)]
    assert (report.risks[0].residual_likelihood, report.risks[0].residual_consequence) == (2, 3)
    assert report.to_json()["status_counts"]["röd"] == 1

    # A bad residual score rejects the whole follow-up: the control result is not changed.
    with pytest.raises(InvalidInputError):
        plan.record_followup(
            uow_factory(),
            catalog,
            plan_id,
            "2027-T1",
            control=plan.ControlResult(control.id or 0, FollowupStatus.GRON),
            risk=plan.ResidualScore(first.risk.id, 99, 3),
        )
    again = plan.followup_summary(uow_factory(), catalog, plan_id, "2027-T1")
    assert again.controls[0].status == FollowupStatus.ROD


def test_overdue_is_judged_at_the_periods_end_or_today_whichever_comes_first(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    plan_id = proposed.plan.id or 0
    _complete(uow_factory, catalog, proposed)  # adds "Ny rutin …", due 31 March
    first = proposed.included[0]
    due = {
        "Utbildning i april": date(2027, 4, 20),  # inside tertial 1
        "Checklista i maj": date(2027, 5, 15),  # after tertial 1
        "Uppföljning i december": date(2027, 12, 31),
    }
    for what, day in due.items():
        plan.add_action(
            uow_factory(),
            {"plan_risk_id": first.plan_risk.id, "what": what, "owner": "Sara", "due_date": day},
        )
    plan.approve(uow_factory(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 1")
    actions = {a.what: a for a in plan.view(uow_factory(), catalog, plan_id).included[0].actions}
    late = actions["Uppföljning i december"]
    plan.set_action_status(uow_factory(), late.id or 0, ActionStatus.FORSENAD, late.version)

    def overdue(day: date, period: str) -> set[str]:
        clock_day = on(uow_factory, day.year, day.month, day.day)
        report = plan.followup_summary(clock_day, catalog, plan_id, period)
        return {a.what for a in report.actions if a.overdue}

    # Marked försenad counts whatever its date; a date still to come does not.
    assert overdue(date(2027, 3, 1), "2027-T1") == {"Uppföljning i december"}
    assert overdue(date(2027, 4, 10), "2027-T1") == {
        "Ny rutin för förhandsbedömning",
        "Uppföljning i december",
    }
    # After the tertial, its report judges by its last day: May's action is not late in T1 …
    assert overdue(date(2027, 6, 1), "2027-T1") == {
        "Ny rutin för förhandsbedömning",
        "Utbildning i april",
        "Uppföljning i december",
    }
    # … but it is in the running tertial's report.
    assert overdue(date(2027, 6, 1), "2027-T2") == set(actions)
