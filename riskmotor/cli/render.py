"""The one place where the CLI turns a result into output: JSON with ``--json``, else text.

JSON is the result itself (read models, pydantic models, dataclasses) made plain; the keys
are the pinned interface scripts rely on. Text is written for a person, in Swedish, with
the glossary's number formats (decimal comma, "7,6 %").
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from pydantic import BaseModel

from riskmotor.domain.personal_data import describe_findings
from riskmotor.domain.terms import CATEGORY_LABELS, percent

if TYPE_CHECKING:
    from riskmotor.reports.deviations import DeviationSummary, ImportReport, RiskEvidence
    from riskmotor.reports.plan import PlanView
    from riskmotor.reports.risks import RiskView
    from riskmotor.services.exports import PackageReport


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: models and dataclasses become dicts, enums their value."""
    to_json = getattr(value, "to_json", None)
    if callable(to_json):  # a read model that pins its own JSON form
        return plain(to_json())
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


def emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    """Print ``data`` as JSON, or the text ``text()`` builds (only called when needed)."""
    if as_json:
        click.echo(json.dumps(plain(data), ensure_ascii=False, indent=2))
    else:
        click.echo(text())


def interval(low: float, high: float, decimals: int = 1) -> str:
    """A confidence interval of shares: '4,1–9,0 %'."""
    return f"{percent(low, decimals).removesuffix(' %')}–{percent(high, decimals)}"


def risk_line(risk: RiskView) -> str:
    """One risk on one line: id, score (S × K = value) and title."""
    score = "ej bedömd"
    if risk.risk_value:
        score = f"S{risk.likelihood} × K{risk.consequence} = {risk.risk_value}"
    flag = "  [oenighet]" if risk.disagreement else ""
    return f"{risk.id:>5}  {score:<16} {risk.title}{flag}"


def import_text(report: ImportReport) -> str:
    """What a deviation import did; duplicates are named as already imported."""
    lines = [
        f"Avvikelser: {report.imported} nya, {report.duplicates} dubbletter (redan importerade)."
    ]
    if report.imported == 0 and report.duplicates:
        lines.append(
            "Alla rapporter i filen finns redan i databasen (demo läser in "
            "exempelfilen avvikelser-2023.csv), så ingenting nytt lades till."
        )
    if report.personal_data:
        lines.append(describe_findings(report.personal_data))
    lines += [f"Rad {r.row}: {r.reason}" for r in report.rejected]
    return "\n".join(lines)


def summary_text(data: DeviationSummary) -> str:
    """A year's deviations: counts per category with shares, and the reporting shares."""
    return "\n".join(
        [
            f"{data.year}: {data.total} rapporter, varav {data.deviations} avvikelser.",
            *(
                f"  {CATEGORY_LABELS[key]}: {count}"
                + (f" ({percent(data.shares[key])})" if key in data.shares else "")
                for key, count in data.by_category.items()
            ),
            f"Lex Sarah anmälda till IVO: {percent(data.ivo_share)}",
            f"Personuppgiftsincidenter anmälda till IMY: {percent(data.imy_share)}",
        ]
    )


def evidence_text(evidence: RiskEvidence) -> str:
    """The deviations linked to a risk, per category, and the trend sentence."""
    counts = ", ".join(
        f"{CATEGORY_LABELS[key]} {n}" for key, n in evidence.by_category.items() if n
    )
    lines = [f"Risk {evidence.risk_id}: {evidence.total} kopplade avvikelser ({counts or 'inga'})."]
    if evidence.trend:
        lines.append(evidence.trend.sentence)
    return "\n".join(lines)


def package_text(report: PackageReport) -> str:
    """The files of an approval package, and whether a PDF could be made."""
    pdf = report.pdf
    pdf_line = (
        f"Ingen PDF: {pdf.removeprefix('skipped: ')}."
        if pdf.startswith("skipped")
        else f"PDF: {pdf}"
    )
    return "\n".join(
        [f"Beslutspaketet är skrivet i {report.folder}:"]
        + [f"  {name}" for name in report.files]
        + ["  manifest.json", pdf_line]
    )


def plan_text(view: PlanView) -> str:
    """The plan as a list: included risks marked, with the reason, controls and actions."""
    plan = view.plan
    lines = [
        f"Internkontrollplan {plan.year}, version {plan.plan_version}: {plan.status.value} "
        f"(tröskel {plan.threshold})"
    ]
    for item in view.risks:
        mark = "✓" if item.plan_risk.included else " "
        lines.append(f" {mark} {item.risk.id:>5} {item.plan_risk.reason}  – {item.risk.title}")
        lines += [f"        kontroll {c.id}: {c.control_activity}" for c in item.controls]
        lines += [f"        åtgärd {a.id}: {a.what} ({a.status.value})" for a in item.actions]
    return "\n".join(lines)
