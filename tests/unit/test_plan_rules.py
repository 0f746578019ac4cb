"""The selection reasons, the tie-break, overdue actions and plan diffs."""

from __future__ import annotations

from datetime import date

from riskmotor.domain.plan import (
    ActionStatus,
    Candidate,
    Decision,
    PlanAction,
    PlanItem,
    diff_plans,
    is_overdue,
    select_risks,
)


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
