"""The workbook's result sheets: Egenkontroll (every evaluated sample) and Uppföljning
(every reported tertial)."""

from __future__ import annotations

import math

from openpyxl import Workbook

from riskmotor.domain.egenkontroll import ControlEvaluation
from riskmotor.domain.plan import FollowupStatus
from riskmotor.domain.terms import EVALUATION_METHOD_LABELS, EXPORT_LABELS, label
from riskmotor.export.periods import period_name
from riskmotor.export.xlsx.kit import PERCENT, Col
from riskmotor.export.xlsx.layout import list_sheet
from riskmotor.export.xlsx.safe import CellValue
from riskmotor.reports.export import ExportData, SamplingResult

_E = EXPORT_LABELS
LIMIT_FORMAT = "0.00 %"
SAMPLING_COLUMNS = [
    Col(_E["sampling_plan"], 26),
    Col(label("title"), 30),
    Col(_E["control_activity"], 24),
    Col(_E["period"], 14),
    Col(_E["confidence"], 10, PERCENT),
    Col(_E["tolerable_rate"], 12, PERCENT),
    Col(_E["sample_size"], 12),
    Col(_E["reviewed"], 10),
    Col(_E["compliant"], 10),
    Col(_E["deviations"], 11),
    Col(_E["not_applicable"], 10),
    Col(_E["dropped"], 10),
    Col(_E["compliance_share"], 11, PERCENT),
    # One-sided at the row's confidence (the Konfidensnivå column); a census has no limit.
    Col(f"{_E['upper_deviation_limit']} (ensidig)", 14, LIMIT_FORMAT),
    Col(label("status"), 10),
    Col(_E["conclusion"], 60),
    Col(_E["evaluation_method"], 16),
]
FOLLOWUP_COLUMNS = [
    Col(_E["period"], 14),
    Col(label("title"), 30),
    Col(_E["control_activity"], 34),
    Col(_E["control_method"], 14),
    Col(_E["responsible"], 18),
    Col(label("status"), 10),
    Col(_E["result"], 50),
    Col(label("comment"), 30),
    Col(_E["data_source"], 12),
]
NOT_DRAWN = "Inget urval ännu."
CENSUS = "census"  # riskmotor.sampling.evaluation: every case of the stratum was reviewed


def _sampling_rows(result: SamplingResult) -> list[list[CellValue]]:
    """One row per kontrollmoment and evaluated draw; a plan without a draw gets one row."""
    p = result.plan
    head: list[CellValue] = [p.name, result.risk_title]
    if not result.evaluations:
        planned: list[CellValue] = [
            ", ".join(p.control_keys),
            "",
            p.confidence,
            p.tolerable_rate,
            p.sample_size,
        ]
        return [[*head, *planned, *[None] * 7, "", NOT_DRAWN, ""]]
    return [
        [
            *head,
            c.control_name,
            period_name(evaluation.draw.period),
            c.confidence,
            c.tolerable_rate,
            evaluation.draw.sample_size,
            c.reviewed,
            c.compliant,
            c.deviations,
            c.not_applicable,
            c.dropped,
            c.compliance_share,
            _upper_limit(c),
            c.status_name,
            c.conclusion,
            EVALUATION_METHOD_LABELS.get(c.method, c.method),
        ]
        for evaluation in result.evaluations
        for c in evaluation.overall
    ]


def _upper_limit(item: ControlEvaluation) -> CellValue:
    """The one-sided upper limit; a census says so instead (its rate is exact)."""
    if item.method == CENSUS:
        return EVALUATION_METHOD_LABELS[CENSUS].lower()
    if item.upper_deviation_limit is None:
        return None
    # Rounded up to what the cell shows, so 4,951 % reads 4,96 % and never "5,0 %".
    return math.ceil(round(item.upper_deviation_limit * 10_000, 6)) / 10_000


def sampling_sheet(wb: Workbook, data: ExportData) -> None:
    rows = [row for result in data.sampling for row in _sampling_rows(result)]
    list_sheet(wb, data, "Egenkontroll", SAMPLING_COLUMNS, rows, key_columns=2)


def followup_sheet(wb: Workbook, data: ExportData) -> None:
    rows: list[list[CellValue]] = [
        [
            period_name(report.period),
            c.risk,
            c.control,
            c.method,
            c.responsible,
            c.status.value if c.status else "",
            c.result,
            c.comment,
            c.source,
        ]
        for report in data.followups
        for c in report.controls
    ]
    list_sheet(
        wb,
        data,
        "Uppföljning",
        FOLLOWUP_COLUMNS,
        rows,
        key_columns=2,
        drop_downs={label("status"): [s.value for s in FollowupStatus]},
    )
