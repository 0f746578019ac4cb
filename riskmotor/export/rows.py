"""Content every export shares, whatever the file format: the plan's rows and the method
in brief. The workbook lays them out as an Excel Table, the Word documents as a table or
a paragraph; neither takes them from the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskmotor.domain.plan import PlanControl
from riskmotor.domain.terms import AGGREGATION_LABELS, EXPORT_LABELS, label
from riskmotor.reports.export import ExportData
from riskmotor.reports.plan import PlanRiskView

PlanCell = str | int | None

# The internkontrollplan's standard columns, in the order municipalities print them.
PLAN_COLUMNS = [
    EXPORT_LABELS["process_rutin"],
    label("title"),
    label("causes"),
    label("likelihood"),
    label("consequence"),
    label("risk_value"),
    EXPORT_LABELS["control_activity"],
    EXPORT_LABELS["control_method"],
    EXPORT_LABELS["frequency"],
    EXPORT_LABELS["responsible"],
    EXPORT_LABELS["reported_to"],
    EXPORT_LABELS["timing"],
]


def _control_cells(control: PlanControl | None) -> list[PlanCell]:
    if control is None:
        return [""] * 6
    return [
        control.control_activity,
        control.control_method.value,
        control.frequency.value,
        control.responsible,
        control.reported_to,
        control.timing,
    ]


def _item_rows(item: PlanRiskView) -> list[list[PlanCell]]:
    risk = item.risk
    head: list[PlanCell] = [
        risk.process_name,
        risk.title,
        risk.causes,
        risk.likelihood,
        risk.consequence,
        item.plan_risk.risk_value,
    ]
    controls: list[PlanControl | None] = list(item.controls) or [None]
    return [head + _control_cells(control) for control in controls]


def plan_rows(data: ExportData) -> list[list[PlanCell]]:
    """One row per included risk and kontrollmoment (a risk without one still gets a row),
    in :data:`PLAN_COLUMNS` order."""
    return [row for item in data.included for row in _item_rows(item)]


@dataclass(frozen=True)
class PlanRow:
    """One plan row for the Word templates, with the risk id the matrix shows."""

    id: int
    process: str
    risk: str
    orsak: str
    s: str
    k: str
    riskvarde: str
    kontrollmoment: str
    metod: str
    frekvens: str
    ansvarig: str
    rapporteras_till: str
    tidpunkt: str


def _text(value: PlanCell) -> str:
    return "" if value is None else str(value)


def plan_records(data: ExportData) -> list[PlanRow]:
    """The plan rows as records for the templates (all 12 columns and the id)."""
    records = []
    for item in data.included:
        for row in _item_rows(item):
            cells = [_text(v) for v in row]
            records.append(PlanRow(item.risk.id, *cells))
    return records


def method_in_brief(data: ExportData) -> str:
    """The method in a few sentences, shared by the workbook and the documents."""
    scale = data.scale
    threshold = data.plan.plan.threshold if data.plan else scale.selection_threshold
    median = AGGREGATION_LABELS["median"]
    return (
        "Ledningsgruppen identifierade risker per process och bedömde varje risks "
        f"sannolikhet (1–{scale.max_likelihood}) och konsekvens (1–{scale.max_consequence}). "
        "Riskvärdet är sannolikhet × konsekvens och risknivån (färgen) följer riskmatrisen. "
        f"Deltagarnas röster vägs samman med {median[0].lower()}{median[1:]}. "
        f"Risker med riskvärde {threshold} eller högre föreslås till internkontrollplanen; "
        "avsteg från regeln motiveras skriftligt."
    )
