"""The internkontrollplan loop on the demo data: propose, complete, adopt, follow up, copy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import ActionStatus, FollowupStatus, PlanStatus, Strategy
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, plan, workshop
from riskmotor.services.plan import PlanFrozenError, PlanView

UowFactory = Callable[..., UnitOfWork]


@pytest.fixture
def proposed(uow_factory: UowFactory, catalog: Catalog) -> PlanView:
    ids = demo.load_demo(uow_factory(), catalog)
    created = plan.propose(uow_factory(), catalog, ids.namnd_id, 2027)
    return plan.view(uow_factory(), catalog, created.id or 0)


def _complete(uow_factory: UowFactory, catalog: Catalog, proposed: PlanView) -> None:
    for item in proposed.included:
        suggestion = plan.suggested_controls(catalog, item.risk)[0]
        plan.add_control(
            uow_factory(),
            {"plan_risk_id": item.plan_risk.id, "responsible": "Enhetschef", **suggestion},
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
    assert plan.diff(uow_factory(), catalog, second.id or 0).empty
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
    summary = plan.followup_summary(
        uow_factory(), catalog, plan_id, "2027-T2", today=date(2027, 8, 31)
    )
    assert summary["status_counts"]["grön"] == 1
    assert [a["action_id"] for a in summary["overdue_actions"]] == [action.id]
    assert summary["risks"][0]["residual_likelihood"] == 2
    plan.set_action_status(uow_factory(), action.id or 0, ActionStatus.KLAR, action.version)
    done = plan.followup_summary(
        uow_factory(), catalog, plan_id, "2027-T3", today=date(2027, 12, 31)
    )
    assert done["overdue_actions"] == []
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
    assert plan.diff(uow_factory(), catalog, next_year.id or 0).empty

    # The 2028 workshop lowers one risk below the threshold: the refreshed draft drops it.
    lowered = copied.included[0]
    workshop.confirm_assessment(uow_factory(), catalog, lowered.risk.id, 1, 1, lowered.risk.version)
    plan.propose(uow_factory(), catalog, next_year.namnd_id, 2028)
    changes = plan.diff(uow_factory(), catalog, next_year.id or 0)
    assert changes is not None and changes.removed == [lowered.risk.title]
