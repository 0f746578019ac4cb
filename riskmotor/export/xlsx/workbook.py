"""The internkontrollplan workbook for controllers and auditors (openpyxl).

Every list is an Excel Table with a frozen, filterable header, wrapped text and a print
setup (landscape, fit to width, repeated header, footer with nämnd, version and date),
all from :mod:`riskmotor.export.xlsx.kit`. This module holds the plan's own sheets and
assembles the workbook; the matrix, scales and result sheets live beside it.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook

from riskmotor.domain import scoring
from riskmotor.domain.models import UnitKind
from riskmotor.domain.plan import ActionStatus, ControlMethod, Frequency, is_overdue
from riskmotor.domain.terms import EXPORT_LABELS, UNIT_KIND_LABELS, label, yes_no
from riskmotor.export.rows import PLAN_COLUMNS, method_in_brief, plan_rows
from riskmotor.export.stable_zip import rewrite_zip
from riskmotor.export.xlsx.kit import (
    BORDER,
    DATE,
    HEADER_FONT,
    TITLE_FONT,
    WRAP,
    Col,
    fill,
    print_setup,
    set_widths,
)
from riskmotor.export.xlsx.layout import footer, list_sheet
from riskmotor.export.xlsx.matrix_sheets import matrix_sheet, scales_sheet
from riskmotor.export.xlsx.result_sheets import followup_sheet, sampling_sheet
from riskmotor.export.xlsx.safe import CellValue, write_cell
from riskmotor.reports.export import ExportData
from riskmotor.reports.risks import RiskView

# Sized so the whole plan prints on the width of one A4 page at 70 % or more.
PLAN_WIDTHS = [15, 24, 28, 12, 12, 10, 28, 14, 11, 13, 13, 11]
RISK_VALUE_COLUMN = 6  # on the Internkontrollplan sheet


def _summary_rows(data: ExportData) -> list[tuple[str, CellValue]]:
    plan = data.plan.plan if data.plan else None
    included = data.included
    assessed = [r for r in data.risks if r.risk_value is not None]
    return [
        (UNIT_KIND_LABELS[UnitKind.KOMMUN], data.kommun),
        (label("namnd"), data.namnd),
        (label("year"), data.year),
        (label("analysis"), data.analysis.title),
        ("Planversion", plan.plan_version if plan else None),
        (label("status"), plan.status.value if plan else "ingen plan"),
        ("Beslutsdatum", plan.decision_date if plan else None),
        ("Paragraf (§)", plan.paragraf if plan else ""),
        ("Diarienummer", plan.dnr if plan else ""),
        ("Risker i analysen", len(data.risks)),
        ("Bedömda risker", len(assessed)),
        ("Risker i planen", len(included)),
        (EXPORT_LABELS["control_activity"], sum(len(v.controls) for v in included)),
        ("Åtgärder i behandlingsplaner", sum(len(v.actions) for v in included)),
        ("Deltagare i riskanalysen", len(data.participants)),
        (label("workshop_dates"), ", ".join(d.isoformat() for d in data.analysis.workshop_dates)),
        (label("scale_key"), data.scale.name),
        ("Metod i korthet", method_in_brief(data)),
        ("Datum", data.document_date),
    ]


def _summary_sheet(wb: Workbook, data: ExportData) -> None:
    """Uppgift and värde as a key/value list (no filterable table: it is read, not sorted)."""
    ws = wb.create_sheet("Sammanfattning")
    write_cell(ws, 1, 1, f"Internkontrollplan {data.year} – {data.namnd}").font = TITLE_FONT
    set_widths(ws, [30, 90])
    for row, (name, value) in enumerate(_summary_rows(data), start=3):
        key = write_cell(ws, row, 1, name)
        key.font = HEADER_FONT
        key.alignment = WRAP
        key.border = BORDER
        cell = write_cell(ws, row, 2, value)
        cell.alignment = WRAP
        cell.border = BORDER
        if isinstance(value, date):
            cell.number_format = DATE
    print_setup(ws, footer(data))


def _plan_sheet(wb: Workbook, data: ExportData) -> None:
    ws = list_sheet(
        wb,
        data,
        "Internkontrollplan",
        [Col(h, w) for h, w in zip(PLAN_COLUMNS, PLAN_WIDTHS, strict=True)],
        plan_rows(data),
        key_columns=2,
        drop_downs={
            EXPORT_LABELS["control_method"]: [m.value for m in ControlMethod],
            EXPORT_LABELS["frequency"]: [f.value for f in Frequency],
        },
    )
    # The Riskvärde cell carries the level colour, as in the matrix.
    row = 2
    for item in data.included:
        for _ in range(max(len(item.controls), 1)):  # plan_rows gives a control-less risk a row
            if item.risk.colour:
                ws.cell(row=row, column=RISK_VALUE_COLUMN).fill = fill(item.risk.colour)
            row += 1


def _target_value(data: ExportData, likelihood: int | None, consequence: int | None) -> int | None:
    if likelihood is None or consequence is None:
        return None
    return scoring.risk_value(data.scale, likelihood, consequence)


ACTION_COLUMNS = [
    Col(label("title"), 34),
    Col(label("risk_value"), 10),
    Col(EXPORT_LABELS["strategy"], 13),
    Col(EXPORT_LABELS["action"], 40),
    Col(EXPORT_LABELS["responsible"], 20),
    Col(EXPORT_LABELS["due_date"], 13, DATE),
    Col(label("status"), 12),
    Col(EXPORT_LABELS["expected_effect"], 30),
    Col(EXPORT_LABELS["target_likelihood"], 12),
    Col(EXPORT_LABELS["target_consequence"], 12),
    Col(EXPORT_LABELS["target_value"], 14),
    Col(EXPORT_LABELS["overdue"], 10),
]


def _action_rows(data: ExportData) -> list[list[CellValue]]:
    return [
        [
            item.risk.title,
            item.plan_risk.risk_value,
            item.plan_risk.strategy.value if item.plan_risk.strategy else "",
            action.what,
            action.owner,
            action.due_date,
            action.status.value,
            action.expected_effect,
            item.plan_risk.target_likelihood,
            item.plan_risk.target_consequence,
            _target_value(
                data, item.plan_risk.target_likelihood, item.plan_risk.target_consequence
            ),
            yes_no(is_overdue(action, data.document_date)),
        ]
        for item in data.included
        for action in item.actions
    ]


def _actions_sheet(wb: Workbook, data: ExportData) -> None:
    statuses = [s.value for s in ActionStatus]
    list_sheet(
        wb,
        data,
        "Behandlingsplaner",
        ACTION_COLUMNS,
        _action_rows(data),
        drop_downs={label("status"): statuses},
        key_columns=1,
    )


def _votes_summary(risk: RiskView) -> str:
    if not risk.votes:
        return "inga röster"
    return f"{risk.votes} röster, sammanvägt S {risk.vote_likelihood} × K {risk.vote_consequence}"


ANALYSIS_COLUMNS = [
    Col("Id", 7),
    Col(label("process"), 22),
    Col(label("title"), 34),
    Col(label("unit"), 22),
    Col(label("description"), 36),
    Col(label("causes"), 36),
    Col(label("consequence_description"), 36),
    Col(label("existing_controls"), 30),
    Col(label("likelihood"), 11),
    Col(label("consequence"), 11),
    Col(label("risk_value"), 10),
    Col(label("level"), 16),
    Col(label("residual_likelihood"), 13),
    Col(label("residual_consequence"), 13),
    Col("Riskvärde (kvarvarande)", 13),
    Col(EXPORT_LABELS["votes_summary"], 26),
    Col(label("disagreement"), 10),
    Col(label("assessment_confirmed"), 12),
    Col(EXPORT_LABELS["included"], 10),
    Col(EXPORT_LABELS["reason"], 40),
]
ANALYSIS_VALUE_COLUMN = 11


def _analysis_rows(data: ExportData) -> list[list[CellValue]]:
    plan_risks = {v.risk.id: v.plan_risk for v in data.plan.risks} if data.plan else {}
    rows: list[list[CellValue]] = []
    for risk in data.risks:
        chosen = plan_risks.get(risk.id)
        rows.append(
            [
                risk.id,
                risk.process_name,
                risk.title,
                risk.unit,
                risk.description,
                risk.causes,
                risk.consequence_description,
                risk.existing_controls,
                risk.likelihood,
                risk.consequence,
                risk.risk_value,
                risk.level_name or "",
                risk.residual_likelihood,
                risk.residual_consequence,
                risk.residual_value,
                _votes_summary(risk),
                yes_no(risk.disagreement),
                yes_no(risk.confirmed),
                yes_no(chosen.included) if chosen else "",
                chosen.reason if chosen else "inte med i planförslaget",
            ]
        )
    return rows


def _analysis_sheet(wb: Workbook, data: ExportData) -> None:
    ws = list_sheet(
        wb, data, label("analysis"), ANALYSIS_COLUMNS, _analysis_rows(data), key_columns=3
    )
    for row_index, risk in enumerate(data.risks, start=2):
        if risk.colour:
            ws.cell(row=row_index, column=ANALYSIS_VALUE_COLUMN).fill = fill(risk.colour)


def _properties(wb: Workbook, data: ExportData) -> None:
    props = wb.properties
    moment = datetime.combine(data.document_date, time())
    props.title = f"Internkontrollplan {data.year} – {data.namnd}"
    props.subject = f"Riskanalys och internkontrollplan {data.year}, {data.plan_label}"
    props.creator = data.signatories.handlaggare
    props.lastModifiedBy = data.signatories.handlaggare
    props.keywords = "internkontrollplan; riskanalys; riskmatris; egenkontroll"
    props.description = f"{data.kommun} {data.namnd}, {data.document_date.isoformat()}."
    props.created = moment
    props.modified = moment
    props.language = "sv-SE"


def build_workbook(data: ExportData) -> Workbook:
    """Sammanfattning, Internkontrollplan, Behandlingsplaner, Riskanalys, Riskmatris,
    Egenkontroll (whenever there are sampling plans), Uppföljning (when reported) and
    Skalor."""
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, data)
    _plan_sheet(wb, data)
    _actions_sheet(wb, data)
    _analysis_sheet(wb, data)
    matrix_sheet(wb, data)
    if data.sampling:
        sampling_sheet(wb, data)
    if data.followups:
        followup_sheet(wb, data)
    scales_sheet(wb, data)
    _properties(wb, data)
    return wb


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def workbook_bytes(data: ExportData) -> bytes:
    """The workbook's bytes; the same data gives the same bytes (openpyxl stamps the
    save time as "modified", and every zip entry with the clock)."""
    buffer = io.BytesIO()
    build_workbook(data).save(buffer)
    stamp = datetime.combine(data.document_date, time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        core = archive.read("docProps/core.xml")
    core = _MODIFIED.sub(
        lambda m: (
            b"<dcterms:modified" + m.group(1) + b">" + stamp.encode() + b"</dcterms:modified>"
        ),
        core,
    )
    return rewrite_zip(buffer.getvalue(), data.document_date, {"docProps/core.xml": core})


def write_workbook(data: ExportData, path: Path) -> Path:
    path.write_bytes(workbook_bytes(data))
    return path
