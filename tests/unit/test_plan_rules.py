"""The selection reasons, the tie-break, overdue actions, plan diffs and the lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from riskmotor.domain.plan import (
    ActionStatus,
    ControlPlan,
    FollowupStatus,
    PlanAction,
    PlanControl,
    PlanFrozenError,
    PlanStatus,
    SubmissionItem,
    is_overdue,
    worst_status,
)
from riskmotor.domain.plan_diff import PlanItem, diff_plans
from riskmotor.domain.plan_selection import Candidate, Decision, select_risks
from riskmotor.errors import InvalidInputError


def c(risk_id: int, value: int | None, s: int = 2, k: int = 2, title: str = "") -> Candidate:
    return Candidate(risk_id, title or f"Risk {risk_id}", value, s, k)


def test_reasons_are_written_for_the_namnd() -> None:
    chosen = {
        s.candidate.risk_id: s
        for s in select_risks(
            [c(1, 12), c(2, 6), c(3, None), c(4, 4), c(5, 9)],
            9,
            must_include={4: "kommunstyrelsens gemensamma kontrollområde"},
            overrides={2: Decision(True, "IVO:s tillsyn 2026")},
        )
    }
    assert chosen[1].reason == "Ingår: riskvärde 12 ≥ tröskel 9"
    assert chosen[5].reason == "Ingår: riskvärde 9 ≥ tröskel 9"
    assert chosen[2].reason == "Ingår (manuellt beslut): IVO:s tillsyn 2026"
    assert chosen[3].reason == "Ingår ej: risken är inte bedömd"
    assert chosen[4].included
    assert chosen[4].reason.startswith("Ingår: obligatoriskt kontrollområde")
    excluded = select_risks([c(6, 6)], 9)[0]
    assert excluded.reason == "Ingår ej: riskvärde 6 < 9 – hanteras i verksamheten"


def test_ties_break_on_consequence_then_likelihood_then_title() -> None:
    ordered = select_risks(
        [c(1, 8, s=4, k=2, title="B"), c(2, 8, s=2, k=4, title="A"), c(3, 8, s=2, k=4, title="C")],
        1,
    )
    assert [s.candidate.risk_id for s in ordered] == [2, 3, 1]


def test_top_n_cut_explains_itself() -> None:
    chosen = select_risks([c(1, 16), c(2, 12), c(3, 9)], 9, top_n=2)
    assert [s.included for s in chosen] == [True, True, False]
    assert "utanför de 2 högsta" in chosen[2].reason


def test_overdue_is_by_date_and_not_when_done() -> None:
    late = PlanAction(plan_risk_id=1, what="Rutin", due_date=date(2027, 3, 1))
    assert is_overdue(late, date(2027, 3, 2))
    assert not is_overdue(late, date(2027, 3, 1))
    assert not is_overdue(late.model_copy(update={"status": ActionStatus.KLAR}), date(2028, 1, 1))
    assert not is_overdue(PlanAction(plan_risk_id=1, what="Utan datum"), date(2030, 1, 1))


def test_diff_lists_new_removed_and_changed() -> None:
    before = [
        PlanItem("A", 12, True, frozenset({"Stickprov"})),
        PlanItem("B", 9, True, frozenset()),
        PlanItem("C", 6, False, frozenset()),
    ]
    after = [
        PlanItem("A", 16, True, frozenset({"Stickprov", "Genomgång"})),
        PlanItem("C", 9, True, frozenset()),
    ]
    result = diff_plans(before, after)
    assert result.new == ["C"] and result.removed == ["B"]
    assert result.changed == [("A", ["riskvärde 12 → 16", "nytt kontrollmoment: Genomgång"])]
    assert diff_plans(after, after).empty


# lifecycle -----------------------------------------------------------------------------


def draft(**changes: object) -> ControlPlan:
    base = ControlPlan(
        id=1,
        namnd_id=1,
        analysis_id=1,
        year=2027,
        plan_version=1,
        threshold=9,
        created_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return base.model_copy(update=changes)


def test_only_a_draft_is_editable_and_the_refusal_says_what_to_do() -> None:
    draft().ensure_editable()
    with pytest.raises(PlanFrozenError, match="Skapa en ny version"):
        draft(status=PlanStatus.FASTSTALLD).ensure_editable()
    with pytest.raises(PlanFrozenError, match="Ta tillbaka den till utkast"):
        draft(status=PlanStatus.FOR_BESLUT).ensure_editable()


def control(**changes: object) -> PlanControl:
    values: dict[str, object] = {
        "plan_risk_id": 1,
        "control_activity": "Aktgranskning",
        "control_method": "stickprov",
        "frequency": "tertial",
        "responsible": "Enhetschef",
        "timing": "Varje tertial",
    }
    return PlanControl.model_validate(values | changes)


def test_submit_needs_a_complete_plan_and_names_what_is_missing() -> None:
    complete = SubmissionItem("Sen utredning", True, [control()])
    assert draft().submit([complete]).status == PlanStatus.FOR_BESLUT
    incomplete = [
        complete,
        SubmissionItem("Utan kontroll", True, []),
        SubmissionItem("Oenig bedömning", False, [control()]),
        SubmissionItem("Halvfärdig", True, [control(responsible=" ", timing="")]),
    ]
    with pytest.raises(InvalidInputError) as refused:
        draft().submit(incomplete)
    message = str(refused.value)
    assert "saknar kontrollmoment: Utan kontroll." in message
    assert "Bedömningen är inte fastställd för: Oenig bedömning." in message
    assert "Kontrollmoment saknar ansvarig för: Halvfärdig." in message
    assert "Kontrollmoment saknar tidpunkt för: Halvfärdig." in message
    assert "Sen utredning" not in message  # a complete risk is not listed
    with pytest.raises(PlanFrozenError):
        draft(status=PlanStatus.FASTSTALLD).submit([complete])


def test_submit_records_a_dnr_when_given() -> None:
    complete = [SubmissionItem("Sen utredning", True, [control()])]
    assert draft().submit(complete, " SN 2026/9 ").dnr == "SN 2026/9"
    assert draft(dnr="SN 1").submit(complete).dnr == "SN 1"


def test_withdraw_returns_a_submitted_plan_to_draft_but_never_an_adopted_one() -> None:
    assert draft(status=PlanStatus.FOR_BESLUT).withdraw().status == PlanStatus.UTKAST
    with pytest.raises(PlanFrozenError):
        draft(status=PlanStatus.FASTSTALLD).withdraw()


def test_approve_records_the_decision_of_a_submitted_plan() -> None:
    submitted = draft(status=PlanStatus.FOR_BESLUT)
    adopted = submitted.approve(date(2026, 12, 10), " § 123 ", "SN 2026/123")
    assert (adopted.status, adopted.decision_date, adopted.paragraf, adopted.dnr) == (
        PlanStatus.FASTSTALLD,
        date(2026, 12, 10),
        "§ 123",
        "SN 2026/123",
    )
    assert submitted.status == PlanStatus.FOR_BESLUT  # the loaded plan is not changed
    with pytest.raises(InvalidInputError, match="diarienummer"):
        submitted.approve(date(2026, 12, 10), "§ 123", " ")
    with pytest.raises(InvalidInputError, match="skickas för beslut"):
        draft().approve(date(2026, 12, 10), "§ 123", "SN 2026/123")
    with pytest.raises(PlanFrozenError):
        adopted.approve(date(2026, 12, 11), "§ 124", "SN 2026/124")


def test_the_worst_status_decides() -> None:
    assert worst_status([FollowupStatus.GRON, FollowupStatus.ROD, FollowupStatus.GUL]) == (
        FollowupStatus.ROD
    )
    assert worst_status([FollowupStatus.GRON, FollowupStatus.GUL]) == FollowupStatus.GUL
