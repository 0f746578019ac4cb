"""The internkontrollplan workbook for controllers and auditors (openpyxl).

Every list is an Excel Table with a frozen, filterable header, wrapped text and a print
setup (landscape, fit to width, repeated header, footer with nämnd, version and date).
All user text goes through :func:`riskmotor.export.xlsx_safe.write_cell`, so text that
looks like a formula is stored as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.domain import scoring
from riskmotor.domain.plan import CONTROL_METHODS, FREQUENCIES, ActionStatus, FollowupStatus
from riskmotor.domain.terms import AGGREGATION_LABELS, EXPORT_LABELS, label
from riskmotor.export.xlsx_safe import write_cell
from riskmotor.services.matrix import RiskMatrix

if TYPE_CHECKING:
    from riskmotor.services.exports import ExportData
    from riskmotor.services.workshop import RiskView

SHEETS = [
    "Sammanfattning",
    "Internkontrollplan",
    "Behandlingsplaner",
    "Riskanalys",
    "Riskmatris",
    "Egenkontroll",
    "Uppföljning",
    "Skalor",
]
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
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
PERCENT = "0.0 %"


@dataclass(frozen=True)
class Col:
    """A column of a styled table: its heading, width in characters and number format."""

    header: str
    width: float = 14
    number_format: str | None = None


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", fgColor=colour.lstrip("#").upper())


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a header/footer code in Excel


def _print_setup(ws: Worksheet, data: ExportData, title_row: int | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    ws.oddFooter.left.text = _footer_text(f"{data.namnd} – internkontrollplan {data.year}")
    ws.oddFooter.center.text = _footer_text(data.plan_label) + " – sida &P av &N"
    ws.oddFooter.right.text = f"Utskriven ur riskmotor {data.today.isoformat()}"


def styled_table(
    ws: Worksheet,
    top: int,
    name: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    *,
    drop_downs: dict[str, Sequence[str]] | None = None,
) -> int:
    """Write a filterable Excel Table at row ``top``; returns the last row used.

    The one place that styles a table, so every sheet looks and prints the same.
    """
    for col_index, column in enumerate(columns, start=1):
        cell = write_cell(ws, top, col_index, column.header)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
        letter = get_column_letter(col_index)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, column.width)
    formats = [c.number_format for c in columns]
    for row_index, values in enumerate(rows, start=top + 1):
        for col_index, value in enumerate(values, start=1):
            cell = write_cell(ws, row_index, col_index, value)
            cell.alignment = WRAP
            if formats[col_index - 1] and value is not None:
                cell.number_format = formats[col_index - 1]
    # An Excel Table needs a data row: an empty plan still gets one blank row.
    last = top + max(len(rows), 1)
    ref = f"A{top}:{get_column_letter(len(columns))}{last}"
    table = Table(displayName=name, ref=ref, tableStyleInfo=TABLE_STYLE)
    ws.add_table(table)
    for header, choices in (drop_downs or {}).items():
        col = next(i for i, c in enumerate(columns, start=1) if c.header == header)
        _drop_down(ws, col, top + 1, max(last, top + 500), choices)
    return last


def _drop_down(ws: Worksheet, col: int, first: int, last: int, choices: Sequence[str]) -> None:
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.error = "Välj ett värde i listan."
    validation.errorTitle = "Ogiltigt värde"
    letter = get_column_letter(col)
    validation.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(validation)


def _list_sheet(
    wb: Workbook,
    data: ExportData,
    title: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    drop_downs: dict[str, Sequence[str]] | None = None,
) -> Worksheet:
    """A sheet holding one table from row 1: frozen header, print titles, filters."""
    ws = wb.create_sheet(title)
    styled_table(ws, 1, _table_name(title), columns, rows, drop_downs=drop_downs)
    ws.freeze_panes = "A2"
    _print_setup(ws, data, 1)
    return ws


def _table_name(title: str) -> str:
    return title.translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "Ö": "O", " ": "_"}))


def _yes(flag: bool) -> str:
    return "ja" if flag else "nej"


# sheets ----------------------------------------------------------------------------------


def method_in_brief(data: ExportData) -> str:
    """The method in a few sentences, shared by the workbook and the documents."""
    scale = data.scale
    threshold = data.plan.plan.threshold if data.plan else scale.selection_threshold
    return (
        f"Ledningsgruppen identifierade risker per process och bedömde varje risks "
        f"sannolikhet och konsekvens på skalan {scale.name} (1–{scale.max_likelihood} × "
        f"1–{scale.max_consequence}). Riskvärdet är sannolikhet × konsekvens och risknivån "
        f"(färgen) följer riskmatrisen. Deltagarnas röster vägs samman med "
        f"{AGGREGATION_LABELS['median'][0].lower()}{AGGREGATION_LABELS['median'][1:]}. "
        f"Risker med riskvärde {threshold} eller högre föreslås till internkontrollplanen; "
        "avsteg från regeln motiveras skriftligt."
    )


def _summary_rows(data: ExportData) -> list[tuple[str, Any]]:
    plan = data.plan.plan if data.plan else None
    included = data.plan.included if data.plan else []
    assessed = [r for r in data.risks if r.risk_value is not None]
    return [
        ("Kommun", data.kommun),
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
        ("Kontrollmoment", sum(len(v.controls) for v in included)),
        ("Åtgärder i behandlingsplaner", sum(len(v.actions) for v in included)),
        ("Deltagare i riskanalysen", len(data.participants)),
        (label("workshop_dates"), ", ".join(d.isoformat() for d in data.analysis.workshop_dates)),
        (label("scale_key"), data.scale.name),
        ("Metod i korthet", method_in_brief(data)),
        ("Skapad", data.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]


def _summary_sheet(wb: Workbook, data: ExportData) -> None:
    ws = _list_sheet(
        wb, data, "Sammanfattning", [Col("Uppgift", 30), Col("Värde", 90)], _summary_rows(data)
    )
    for row in ws.iter_rows(min_row=2, max_col=2):
        if isinstance(row[1].value, date):
            row[1].number_format = "yyyy-mm-dd"


def plan_rows(data: ExportData) -> list[list[Any]]:
    """One row per included risk and kontrollmoment (a risk without one still gets a row)."""
    rows: list[list[Any]] = []
    for item in data.plan.included if data.plan else []:
        risk = item.risk
        head = [
            risk.process_name,
            risk.title,
            risk.causes,
            risk.likelihood,
            risk.consequence,
            item.plan_risk.risk_value,
        ]
        controls = item.controls or [None]
        for control in controls:
            rows.append(
                head
                + (
                    [
                        control.control_activity,
                        control.control_method,
                        control.frequency,
                        control.responsible,
                        control.reported_to,
                        control.timing,
                    ]
                    if control
                    else [""] * 6
                )
            )
    return rows


def _plan_sheet(wb: Workbook, data: ExportData) -> None:
    widths = [22, 34, 40, 11, 11, 10, 40, 16, 12, 20, 20, 16]
    ws = _list_sheet(
        wb,
        data,
        "Internkontrollplan",
        [Col(h, w) for h, w in zip(PLAN_COLUMNS, widths, strict=True)],
        plan_rows(data),
        drop_downs={
            EXPORT_LABELS["control_method"]: CONTROL_METHODS,
            EXPORT_LABELS["frequency"]: FREQUENCIES,
        },
    )
    # The Riskvärde cell carries the level colour, as in the matrix.
    row = 2
    for item in data.plan.included if data.plan else []:
        for _ in item.controls or [None]:
            if item.risk.colour:
                ws.cell(row=row, column=6).fill = _fill(item.risk.colour)
            row += 1


def _target_value(data: ExportData, likelihood: int | None, consequence: int | None) -> Any:
    if likelihood is None or consequence is None:
        return None
    return scoring.risk_value(data.scale, likelihood, consequence)


def _actions_sheet(wb: Workbook, data: ExportData) -> None:
    columns = [
        Col(label("title"), 34),
        Col(label("risk_value"), 10),
        Col(EXPORT_LABELS["strategy"], 13),
        Col(EXPORT_LABELS["action"], 40),
        Col(EXPORT_LABELS["responsible"], 20),
        Col(EXPORT_LABELS["due_date"], 13, "yyyy-mm-dd"),
        Col(label("status"), 12),
        Col(EXPORT_LABELS["expected_effect"], 30),
        Col(EXPORT_LABELS["target_likelihood"], 12),
        Col(EXPORT_LABELS["target_consequence"], 12),
        Col(EXPORT_LABELS["target_value"], 14),
        Col(EXPORT_LABELS["overdue"], 10),
    ]
    rows = []
    for item in data.plan.included if data.plan else []:
        p = item.plan_risk
        for action in item.actions:
            overdue = (
                action.status != ActionStatus.KLAR
                and action.due_date is not None
                and action.due_date < data.today
            )
            rows.append(
                [
                    item.risk.title,
                    p.risk_value,
                    p.strategy.value if p.strategy else "",
                    action.what,
                    action.owner,
                    action.due_date,
                    action.status.value,
                    action.expected_effect,
                    p.target_likelihood,
                    p.target_consequence,
                    _target_value(data, p.target_likelihood, p.target_consequence),
                    _yes(overdue),
                ]
            )
    _list_sheet(
        wb,
        data,
        "Behandlingsplaner",
        columns,
        rows,
        drop_downs={label("status"): [s.value for s in ActionStatus]},
    )


def _votes_summary(risk: RiskView) -> str:
    if not risk.votes:
        return "inga röster"
    return f"{risk.votes} röster, sammanvägt S {risk.vote_likelihood} × K {risk.vote_consequence}"


def _analysis_sheet(wb: Workbook, data: ExportData) -> None:
    plan_risks = {v.risk.id: v.plan_risk for v in data.plan.risks} if data.plan else {}
    columns = [
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
    rows = []
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
                _yes(risk.disagreement),
                _yes(risk.confirmed),
                _yes(chosen.included) if chosen else "",
                chosen.reason if chosen else "inte med i planförslaget",
            ]
        )
    ws = _list_sheet(wb, data, "Riskanalys", columns, rows)
    for row_index, risk in enumerate(data.risks, start=2):
        if risk.colour:
            ws.cell(row=row_index, column=11).fill = _fill(risk.colour)


def write_matrix(
    ws: Worksheet, top: int, matrix: RiskMatrix, heading: str, *, legend: bool = False
) -> int:
    """The grid in the catalog's colours with count and risk ids per cell (or, as a legend,
    the level name); returns the last row used."""
    write_cell(ws, top, 1, heading).font = TITLE_FONT
    header = top + 1
    write_cell(ws, header, 1, "Sannolikhet \\ Konsekvens").font = HEADER_FONT
    for col, name in enumerate(matrix.consequence_names, start=2):
        cell = write_cell(ws, header, col, f"{col - 1} {name}")
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for offset, row in enumerate(matrix.rows, start=1):
        r = header + offset
        first = row[0]
        name = matrix.likelihood_names[first.likelihood - 1]
        write_cell(ws, r, 1, f"{first.likelihood} {name}").font = HEADER_FONT
        for col, cell_data in enumerate(row, start=2):
            ids = ", ".join(str(i) for i in cell_data.risk_ids)
            text = f"{cell_data.count} st · riskvärde {cell_data.risk_value}"
            if legend:
                text, ids = f"{cell_data.level_name} · riskvärde {cell_data.risk_value}", ""
            cell = write_cell(ws, r, col, f"{text}\nId: {ids}" if ids else text)
            cell.fill = _fill(cell_data.colour)
            cell.font = Font(color=cell_data.text_colour.lstrip("#").upper())
            cell.alignment = WRAP
        ws.row_dimensions[r].height = 60
    last = header + len(matrix.rows)
    if matrix.unplaced and not legend:
        last += 1
        write_cell(
            ws,
            last,
            1,
            "Ej placerade (saknar bedömning): " + ", ".join(str(i) for i in matrix.unplaced),
        )
    return last


def _matrix_sheet(wb: Workbook, data: ExportData) -> None:
    ws = wb.create_sheet("Riskmatris")
    ws.column_dimensions["A"].width = 26
    for col in range(2, len(data.inherent.consequence_names) + 2):
        ws.column_dimensions[get_column_letter(col)].width = 30
    last = write_matrix(ws, 1, data.inherent, label("inherent"))
    last = write_matrix(ws, last + 2, data.residual, label("residual"))
    write_cell(ws, last + 2, 1, "Id är riskens id på bladet Riskanalys.")
    _print_setup(ws, data, None)


def _sampling_sheet(wb: Workbook, data: ExportData) -> None:
    e = EXPORT_LABELS
    columns = [
        Col(e["sampling_plan"], 26),
        Col(label("title"), 30),
        Col(e["control_activity"], 24),
        Col(e["period"], 10),
        Col(e["confidence"], 10, PERCENT),
        Col(e["tolerable_rate"], 12, PERCENT),
        Col(e["sample_size"], 12),
        Col(e["reviewed"], 10),
        Col(e["compliant"], 10),
        Col(e["deviations"], 11),
        Col(e["not_applicable"], 10),
        Col(e["dropped"], 10),
        Col(e["compliance_share"], 11, PERCENT),
        Col(e["upper_deviation_limit"], 13, PERCENT),
        Col(label("status"), 10),
        Col(e["conclusion"], 60),
    ]
    rows: list[list[Any]] = []
    for result in data.sampling:
        p = result.plan
        head = [p.name, result.risk_title]
        if not result.evaluations:
            rows.append(
                [
                    *head,
                    ", ".join(p.control_keys),
                    "",
                    p.confidence,
                    p.tolerable_rate,
                    p.sample_size,
                    *[None] * 7,
                    "",
                    "Inget urval ännu.",
                ]
            )
        for evaluation in result.evaluations:
            for c in evaluation.overall:
                rows.append(
                    [
                        *head,
                        c.control_name,
                        evaluation.draw.period,
                        c.confidence,
                        c.tolerable_rate,
                        evaluation.draw.sample_size,
                        c.reviewed,
                        c.compliant,
                        c.deviations,
                        c.not_applicable,
                        c.dropped,
                        c.compliance_share,
                        c.upper_deviation_limit,
                        c.status_name,
                        c.conclusion,
                    ]
                )
    _list_sheet(wb, data, "Egenkontroll", columns, rows)


def _followup_sheet(wb: Workbook, data: ExportData) -> None:
    e = EXPORT_LABELS
    columns = [
        Col(e["period"], 10),
        Col(label("title"), 30),
        Col(e["control_activity"], 34),
        Col(e["control_method"], 14),
        Col(e["responsible"], 18),
        Col(label("status"), 10),
        Col(e["result"], 50),
        Col(label("comment"), 30),
        Col(e["data_source"], 12),
    ]
    rows = [
        [
            summary["period"],
            c["risk"],
            c["control"],
            c["method"],
            c["responsible"],
            c["status"] or "",
            c["result"],
            c["comment"],
            c["source"],
        ]
        for summary in data.followups
        for c in summary["controls"]
    ]
    _list_sheet(
        wb,
        data,
        "Uppföljning",
        columns,
        rows,
        drop_downs={label("status"): [s.value for s in FollowupStatus]},
    )


def _scales_sheet(wb: Workbook, data: ExportData) -> None:
    ws = wb.create_sheet("Skalor")
    scale = data.scale
    write_cell(ws, 1, 1, f"{scale.name}: {scale.description}").font = TITLE_FONT
    last = styled_table(
        ws,
        3,
        "Skala_sannolikhet",
        [
            Col("Sannolikhet (nivå)", 12),
            Col("Benämning", 18),
            Col(label("description"), 50),
            Col("Sannolikhet från", 14, "0 %"),
            Col("Sannolikhet till", 14, "0 %"),
        ],
        [
            [lv.value, lv.name, lv.description, lv.probability_low, lv.probability_high]
            for lv in scale.likelihood
        ],
    )
    areas = scale.consequence_areas
    last = styled_table(
        ws,
        last + 2,
        "Skala_konsekvens",
        [Col("Konsekvens (nivå)", 12), Col("Benämning", 18), Col(label("description"), 50)]
        + [Col(a.name, 30) for a in areas],
        [
            [lv.value, lv.name, lv.description] + [lv.area_texts.get(a.key, "") for a in areas]
            for lv in scale.consequence
        ],
    )
    level_cells: dict[str, list[str]] = {}
    for row in data.inherent.rows:
        for cell in row:
            level_cells.setdefault(cell.level, []).append(f"S{cell.likelihood}×K{cell.consequence}")
    legend_top = last + 2
    last = styled_table(
        ws,
        legend_top,
        "Risknivaer",
        [Col(label("level"), 12), Col("Färg", 18), Col("Celler i riskmatrisen", 50)],
        [
            [lv.name, lv.colour, ", ".join(level_cells.get(lv.key, []))]
            for lv in sorted(scale.risk_levels, key=lambda lv: lv.rank)
        ],
    )
    for offset, lv in enumerate(sorted(scale.risk_levels, key=lambda lv: lv.rank), start=1):
        ws.cell(row=legend_top + offset, column=2).fill = _fill(lv.colour)
    write_matrix(ws, last + 2, data.inherent, "Riskmatrisens färger", legend=True)
    _print_setup(ws, data, None)


# the workbook ----------------------------------------------------------------------------


def _properties(wb: Workbook, data: ExportData) -> None:
    props = wb.properties
    props.title = f"Internkontrollplan {data.year} – {data.namnd}"
    props.subject = f"Riskanalys och internkontrollplan {data.year}, {data.plan_label}"
    props.creator = "riskmotor"
    props.lastModifiedBy = "riskmotor"
    props.keywords = "internkontrollplan; riskanalys; riskmatris; egenkontroll"
    props.description = f"{data.kommun} {data.namnd}. Skapad {data.generated_at.isoformat()}."
    props.created = data.generated_at.replace(tzinfo=None)
    props.modified = data.generated_at.replace(tzinfo=None)


def build_workbook(data: ExportData) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, data)
    _plan_sheet(wb, data)
    _actions_sheet(wb, data)
    _analysis_sheet(wb, data)
    _matrix_sheet(wb, data)
    if data.sampling:
        _sampling_sheet(wb, data)
    if data.followups:
        _followup_sheet(wb, data)
    _scales_sheet(wb, data)
    _properties(wb, data)
    return wb


def write_workbook(data: ExportData, path: Path) -> Path:
    build_workbook(data).save(path)
    return path
