"""Adopted means adopted: a plan för beslut or fastställd shows its frozen content only,
later changes to the risk analysis reach drafts only, and the database refuses changes to
an adopted version, its frozen content and the audit log (issue 11, points 1–2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import PlanFrozenError, PlanStatus
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import PlanView
from riskmotor.reports.snapshot import is_canonical, sha256_of
from riskmotor.services import demo, plan, workshop

UowFactory = Callable[..., UnitOfWork]
DECIDED = (date(2026, 12, 10), "§ 123", "SN 2026/123")


@dataclass
class Adopted:
    plan_id: int
    namnd_id: int
    analysis_id: int
    view: PlanView  # version 1 as adopted


def _complete(uow_factory: UowFactory, catalog: Catalog, view: PlanView) -> None:
    for item in view.included:
        plan.add_control(
            uow_factory(),
            {
                **plan.suggested_controls(catalog, item.risk)[0],
                "plan_risk_id": item.plan_risk.id,
                "responsible": "Enhetschef",
                "timing": "Varje tertial",
            },
        )
    plan.add_action(
        uow_factory(),
        {"plan_risk_id": view.included[0].plan_risk.id, "what": "Ny rutin", "owner": "Sara"},
    )


def _proposal(uow_factory: UowFactory, catalog: Catalog) -> tuple[PlanView, int]:
    ids = demo.load_demo(uow_factory(), catalog)
    # The three highest risks are all confirmed in the demo data.
    created = plan.propose(uow_factory(), catalog, ids.namnd_id, 2027, top_n=3)
    return plan.view(uow_factory(), catalog, created.id or 0), ids.analysis_id


@pytest.fixture
def submitted(uow_factory: UowFactory, catalog: Catalog) -> Adopted:
    proposal, analysis_id = _proposal(uow_factory, catalog)
    _complete(uow_factory, catalog, proposal)
    plan_id = proposal.plan.id or 0
    plan.submit(uow_factory(), catalog, plan_id, dnr="SN 2026/123")
    view = plan.view(uow_factory(), catalog, plan_id)
    return Adopted(plan_id, proposal.plan.namnd_id, analysis_id, view)


@pytest.fixture
def adopted(uow_factory: UowFactory, catalog: Catalog, submitted: Adopted) -> Adopted:
    plan.approve(uow_factory(), catalog, submitted.plan_id, *DECIDED)
    submitted.view = plan.view(uow_factory(), catalog, submitted.plan_id)
    return submitted


def _shown(uow_factory: UowFactory, catalog: Catalog, plan_id: int) -> Any:
    """Everything a reader of the version sees (JSON, scale, participants)."""
    view = plan.view(uow_factory(), catalog, plan_id)
    return (
        view.to_json(date(2027, 1, 15)),
        view.scale.model_dump() if view.scale else None,
        [p.model_dump() for p in view.participants],
        view.analysis_title,
    )


# freezing ---------------------------------------------------------------------------


def test_submit_and_approve_freeze_the_same_content(
    uow_factory: UowFactory, catalog: Catalog, submitted: Adopted
) -> None:
    frozen = submitted.view.frozen
    assert frozen is not None and frozen.kind == PlanStatus.FOR_BESLUT
    assert submitted.view.plan.dnr == "SN 2026/123"
    plan.approve(uow_factory(), catalog, submitted.plan_id, *DECIDED)
    adopted = plan.view(uow_factory(), catalog, submitted.plan_id)
    assert adopted.frozen is not None and adopted.frozen.kind == PlanStatus.FASTSTALLD
    # The nämnd adopts exactly what it received: the same content hash.
    assert adopted.frozen.content_sha256 == frozen.content_sha256
    with uow_factory() as tx:
        snapshots = tx.plan_snapshots.for_plan(submitted.plan_id)
    assert [(s.kind, s.dnr, s.paragraf, s.decision_date) for s in snapshots] == [
        (PlanStatus.FOR_BESLUT, "SN 2026/123", "", None),
        (PlanStatus.FASTSTALLD, "SN 2026/123", "§ 123", date(2026, 12, 10)),
    ]
    for snapshot in snapshots:
        assert is_canonical(snapshot.content)
        assert sha256_of(snapshot.content) == snapshot.content_sha256
        content = json.loads(snapshot.content)
        assert content["scale"]["grid"] and content["participants"]
        assert "status" not in content and "decision_date" not in content


def test_submit_refuses_an_incomplete_plan_and_names_what_is_missing(
    uow_factory: UowFactory, catalog: Catalog
) -> None:
    ids = demo.load_demo(uow_factory(), catalog)
    created = plan.propose(uow_factory(), catalog, ids.namnd_id, 2027)
    view = plan.view(uow_factory(), catalog, created.id or 0)
    unconfirmed = [v.risk.title for v in view.included if not v.risk.confirmed]
    assert unconfirmed  # the demo leaves disputed risks for the group
    for item in view.included:
        plan.add_control(
            uow_factory(),
            {
                "plan_risk_id": item.plan_risk.id,
                "control_activity": "Granskning",
                "control_method": "genomgång",
                "frequency": "år",
                "responsible": "Chef",
            },
        )
    with pytest.raises(InvalidInputError) as refused:
        plan.submit(uow_factory(), catalog, created.id or 0)
    message = str(refused.value)
    assert all(title in message for title in unconfirmed)
    assert "Kontrollmoment saknar tidpunkt för: " in message
    after = plan.view(uow_factory(), catalog, created.id or 0)
    assert after.plan.status == PlanStatus.UTKAST and after.frozen is None
    with uow_factory() as tx:
        assert tx.plan_snapshots.for_plan(created.id or 0) == []


def test_withdraw_voids_the_frozen_content_but_keeps_it(
    uow_factory: UowFactory, catalog: Catalog, submitted: Adopted
) -> None:
    plan.withdraw(uow_factory(), submitted.plan_id)
    draft = plan.view(uow_factory(), catalog, submitted.plan_id)
    assert draft.plan.status == PlanStatus.UTKAST and draft.frozen is None
    plan.set_opinion(uow_factory(), submitted.plan_id, "Förvaltningen tillstyrker.")
    plan.submit(uow_factory(), catalog, submitted.plan_id)
    again = plan.view(uow_factory(), catalog, submitted.plan_id)
    assert again.plan.opinion == "Förvaltningen tillstyrker."
    with uow_factory() as tx:
        snapshots = tx.plan_snapshots.for_plan(submitted.plan_id)
    assert [s.voided_at is not None for s in snapshots] == [True, False]
    assert again.frozen is not None
    assert again.frozen.content_sha256 == snapshots[1].content_sha256
    assert snapshots[0].content_sha256 != snapshots[1].content_sha256


# the analysis changes after adoption: version 1 shows what was decided -------------------


def _retitle_and_rescore(w: Adopted, uow_factory: UowFactory, catalog: Catalog) -> None:
    risk = workshop.get_risk(uow_factory(), w.view.included[0].risk.id)
    changed = risk.model_copy(
        update={"title": "Helt ny rubrik", "inherent_likelihood": 1, "inherent_consequence": 1}
    )
    workshop.update_risk(uow_factory(), catalog, changed)


def _confirm_other_score(w: Adopted, uow_factory: UowFactory, catalog: Catalog) -> None:
    risk = w.view.included[1].risk
    workshop.confirm_assessment(uow_factory(), catalog, risk.id, 1, 2, risk.version)


def _remove_participant(w: Adopted, uow_factory: UowFactory, catalog: Catalog) -> None:
    person = workshop.participants(uow_factory(), w.analysis_id)[0]
    workshop.remove_participant(uow_factory(), person.id or 0, person.version)


def _change_scale(w: Adopted, uow_factory: UowFactory, catalog: Catalog) -> None:
    analysis = workshop.get_analysis(uow_factory(), w.analysis_id)
    changed = analysis.model_copy(update={"scale_key": "alternativ-5x5"})
    workshop.update_analysis(uow_factory(), catalog, changed)


@pytest.mark.parametrize(
    "change", [_retitle_and_rescore, _confirm_other_score, _remove_participant, _change_scale]
)
def test_changing_the_analysis_does_not_change_the_adopted_version(
    uow_factory: UowFactory,
    catalog: Catalog,
    adopted: Adopted,
    change: Callable[[Adopted, UowFactory, Catalog], None],
) -> None:
    before = _shown(uow_factory, catalog, adopted.plan_id)
    live_before = workshop.list_risks(uow_factory(), catalog, adopted.analysis_id)
    change(adopted, uow_factory, catalog)
    # The change happened in the analysis …
    assert workshop.list_risks(uow_factory(), catalog, adopted.analysis_id) != live_before
    # … and version 1 still shows exactly what the nämnd adopted.
    assert _shown(uow_factory, catalog, adopted.plan_id) == before
    found = plan.find_plan_view(uow_factory(), catalog, "Socialnämnden", 2027)
    assert found.to_json(date(2027, 1, 15)) == before[0]


def test_a_risk_in_a_decided_plan_cannot_be_deleted(
    uow_factory: UowFactory, catalog: Catalog, submitted: Adopted
) -> None:
    risk = workshop.get_risk(uow_factory(), submitted.view.included[0].risk.id)
    with pytest.raises(InvalidInputError, match=r"kan inte tas bort.*version 1 \(för beslut\)"):
        workshop.delete_risk(uow_factory(), risk.id or 0, risk.version)
    plan.approve(uow_factory(), catalog, submitted.plan_id, *DECIDED)
    with pytest.raises(InvalidInputError, match=r"version 1 \(fastställd\)"):
        workshop.delete_risk(uow_factory(), risk.id or 0, risk.version)
    assert workshop.get_risk(uow_factory(), risk.id or 0) == risk
    # A risk added after adoption is in no decided plan and can go.
    added = workshop.add_risk(
        uow_factory(), catalog, {"analysis_id": submitted.analysis_id, "title": "Ny risk"}
    )
    workshop.delete_risk(uow_factory(), added.id, added.version)


def test_a_control_cannot_be_moved_between_versions(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted
) -> None:
    second = plan.new_version(uow_factory(), adopted.plan_id)
    draft = plan.view(uow_factory(), catalog, second.id or 0)
    old = adopted.view.included[0].controls[0]
    new = draft.included[0].controls[0]
    # The stored row decides: version 1's control stays in version 1 …
    with pytest.raises(PlanFrozenError, match="fastställd"):
        plan.update_control(
            uow_factory(), old.model_copy(update={"plan_risk_id": new.plan_risk_id})
        )
    # … and version 2's control cannot be moved into version 1.
    with pytest.raises(InvalidInputError, match="annan version"):
        plan.update_control(
            uow_factory(), new.model_copy(update={"plan_risk_id": old.plan_risk_id})
        )
    assert plan.view(uow_factory(), catalog, adopted.plan_id).included[0].controls == [old]
    plan.update_control(uow_factory(), new.model_copy(update={"timing": "Mars"}))


def test_a_draft_shows_what_changed_since_the_decision(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted
) -> None:
    second = plan.new_version(uow_factory(), adopted.plan_id)
    draft = plan.view(uow_factory(), catalog, second.id or 0)
    assert draft.adopted_version == 1
    assert not any(v.changed_since_decision for v in draft.risks)
    _retitle_and_rescore(adopted, uow_factory, catalog)
    draft = plan.view(uow_factory(), catalog, second.id or 0)
    changed = [v.risk.id for v in draft.risks if v.changed_since_decision]
    assert changed == [adopted.view.included[0].risk.id]
    assert draft.to_json(date(2027, 1, 15))["risks"][0]["changed_since_decision"] in (True, False)
    # The adopted version is not a draft: it is never marked.
    first = plan.view(uow_factory(), catalog, adopted.plan_id)
    assert not any(v.changed_since_decision for v in first.risks)


def test_action_progress_continues_after_adoption(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted
) -> None:
    from riskmotor.domain.plan import ActionStatus

    action = adopted.view.included[0].actions[0]
    plan.set_action_status(uow_factory(), action.id or 0, ActionStatus.PAGAR, action.version)
    shown = plan.view(uow_factory(), catalog, adopted.plan_id).included[0].actions[0]
    assert shown.status == ActionStatus.PAGAR
    plan.set_action_status(uow_factory(), action.id or 0, ActionStatus.KLAR, shown.version)
    assert plan.view(uow_factory(), catalog, adopted.plan_id).frozen is not None


# the database refuses too --------------------------------------------------------------

GUARDED_TABLES = [
    "control_plan",
    "plan_risk",
    "plan_control",
    "plan_action",
    "plan_snapshot",
    "audit_log",
    "risk",
]


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: [
                tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            ]
            for table in GUARDED_TABLES
        }


def _ids(engine: Engine, plan_id: int) -> dict[str, int]:
    with engine.connect() as connection:

        def one(sql: str) -> int:
            return int(connection.execute(text(sql), {"plan": plan_id}).scalar_one())

        return {
            "plan": plan_id,
            "plan_risk": one("SELECT min(id) FROM plan_risk WHERE plan_id = :plan AND included"),
            "risk": one("SELECT min(risk_id) FROM plan_risk WHERE plan_id = :plan AND included"),
            "control": one(
                "SELECT min(c.id) FROM plan_control c JOIN plan_risk r ON r.id = c.plan_risk_id"
                " WHERE r.plan_id = :plan"
            ),
            "action": one(
                "SELECT min(a.id) FROM plan_action a JOIN plan_risk r ON r.id = a.plan_risk_id"
                " WHERE r.plan_id = :plan"
            ),
        }


REFUSED = {
    "dnr of the adopted plan": "UPDATE control_plan SET dnr = 'SN 9' WHERE id = :plan",
    "status of the adopted plan": "UPDATE control_plan SET status = 'utkast' WHERE id = :plan",
    "delete the adopted plan": "DELETE FROM control_plan WHERE id = :plan",
    "included of a plan risk": "UPDATE plan_risk SET included = NOT included WHERE id = :plan_risk",
    "delete a plan risk": "DELETE FROM plan_risk WHERE id = :plan_risk",
    "delete the analysis risk (cascade)": "DELETE FROM risk WHERE id = :risk",
    "control's responsible": "UPDATE plan_control SET responsible = 'X' WHERE id = :control",
    "delete a control": "DELETE FROM plan_control WHERE id = :control",
    "add a control": "INSERT INTO plan_control (plan_risk_id, control_activity, control_method,"
    " frequency, responsible, reported_to, timing, version)"
    " VALUES (:plan_risk, 'X', 'stickprov', 'år', '', '', '', 1)",
    "what of an action": "UPDATE plan_action SET what = 'X' WHERE id = :action",
    "delete an action": "DELETE FROM plan_action WHERE id = :action",
    "frozen content": "UPDATE plan_snapshot SET content = '{}'",
    "un-void or re-date a snapshot": "UPDATE plan_snapshot SET created_at = created_at,"
    " dnr = 'SN 9'",
    "delete a snapshot": "DELETE FROM plan_snapshot",
    "edit the audit log": "UPDATE audit_log SET actor = 'någon annan'",
    "delete from the audit log": "DELETE FROM audit_log",
}


@pytest.mark.parametrize("statement", list(REFUSED.values()), ids=list(REFUSED))
def test_the_database_refuses_changing_an_adopted_plan(
    uow_factory: UowFactory, adopted: Adopted, statement: str
) -> None:
    engine = uow_factory().engine
    ids = _ids(engine, adopted.plan_id)
    before = _dump(engine)
    refused = pytest.raises(DBAPIError, match="kan inte ändras")
    with refused, engine.begin() as connection:
        connection.execute(text(statement), {k: v for k, v in ids.items() if f":{k}" in statement})
    assert _dump(engine) == before


def test_the_database_lets_follow_up_and_drafts_change(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted
) -> None:
    engine = uow_factory().engine
    ids = _ids(engine, adopted.plan_id)
    second = plan.new_version(uow_factory(), adopted.plan_id)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE plan_action SET status = 'klar', version = version + 1 WHERE id = :a"),
            {"a": ids["action"]},
        )
        connection.execute(
            text("UPDATE plan_risk SET reason = 'Ändrat utkast' WHERE plan_id = :p"),
            {"p": second.id},
        )
    with engine.connect() as connection:
        status = connection.execute(
            text("SELECT status FROM plan_action WHERE id = :a"), {"a": ids["action"]}
        ).scalar_one()
    assert status == "klar"


def test_follow_up_scores_on_the_scale_the_plan_was_adopted_on(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted
) -> None:
    _change_scale(adopted, uow_factory, catalog)  # the analysis moves to 5×5 after adoption
    plan_risk_id = adopted.view.included[0].plan_risk.id or 0
    with pytest.raises(InvalidInputError):
        plan.record_risk_followup(uow_factory(), catalog, plan_risk_id, "2027-T1", 5, 5)
    stored = plan.record_risk_followup(uow_factory(), catalog, plan_risk_id, "2027-T1", 4, 4)
    assert (stored.residual_likelihood, stored.residual_consequence) == (4, 4)
