"""The draft kvalitetsberättelse (SOSFS 2011:9, allmänna råd), rendered from
``exports/templates/kvalitetsberattelse.docx``.

Organised as the allmänna råd ask: how the systematic quality work was done during the
year, which actions were taken and which results were reached. What the data holds is
filled in; what only the förvaltning knows is a highlighted "[Att fylla i av
förvaltningen: …]". Deviations appear as counts only, never as their free text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import RichText

from riskmotor.domain.egenkontroll import ControlEvaluation, parse_period
from riskmotor.domain.egenkontroll_wording import confidence_text, percent_down
from riskmotor.domain.plan import FollowupStatus, is_overdue
from riskmotor.domain.terms import CATEGORY_LABELS, EVALUATION_METHOD_LABELS, percent
from riskmotor.export.docx.kit import Metadata, date_text, fill_in, open_template, render
from riskmotor.export.docx.texts import (
    disagreement_text,
    participant_rows,
    roles_text,
    workshop_text,
)
from riskmotor.export.periods import period_name
from riskmotor.export.swedish import counted, sentence
from riskmotor.reports.export import ExportData
from riskmotor.reports.plan import FollowupReport

TEMPLATE = "kvalitetsberattelse.docx"
FLAGGED = (FollowupStatus.GUL, FollowupStatus.ROD)
CENSUS = "census"  # riskmotor.sampling.evaluation: every case of the stratum was reviewed


@dataclass(frozen=True)
class Row:
    """A table row for the template; fields are read by name (``row.namn``)."""

    namn: str = ""
    antal: str = ""
    andel: str = ""


@dataclass(frozen=True)
class SamplingRow:
    plan: str
    period: str
    kontrollmoment: str
    granskade: str
    andel: str
    status: str


@dataclass(frozen=True)
class ActionRow:
    risk: str
    atgard: str
    ansvarig: str
    klart: str
    status: str


@dataclass(frozen=True)
class FlawRow:
    period: str
    risk: str
    kontrollmoment: str
    status: str
    resultat: str


def _share(share: float | None) -> str:
    return percent(share, 0)


def _text(value: str) -> RichText:
    return RichText(value)


def _risk_analysis(data: ExportData) -> list[RichText]:
    processes = Counter(r.process_name for r in data.risks if r.process_name)
    confirmed = sum(1 for r in data.risks if r.confirmed)
    texts = [
        _text(
            f"Riskanalysen för {data.year} genomfördes {workshop_text(data)} med "
            f"{counted(len(data.participants), 'deltagare', 'deltagare')}: {roles_text(data)}. "
            + sentence(
                f"{counted(len(data.risks), 'risk', 'risker')} identifierades inom "
                f"{counted(len(processes), 'process', 'processer')} och bedömdes med "
                f"sannolikhet och konsekvens; {counted(confirmed, 'bedömning', 'bedömningar')} "
                f"har fastställts. Riskbedömningen görs enligt {data.legal['sosfs_risk_analysis']}."
            )
        )
    ]
    disputed = disagreement_text(data)
    if disputed:
        texts.append(_text(disputed))
    texts.append(fill_in("om några funktioner saknades i riskanalysen och hur det hanterades"))
    return texts


def _plan(data: ExportData) -> list[RichText]:
    if data.plan is None:
        return [
            _text(f"Det finns ingen registrerad internkontrollplan för {data.year}."),
            fill_in("hur den interna kontrollen planerades under året"),
        ]
    plan = data.plan.plan
    decided = (
        f"Nämnden fastställde planen {date_text(plan.decision_date)} ({plan.paragraf}, "
        f"dnr {plan.dnr})."
        if plan.decision_date
        else f"Planen har status {plan.status.value}."
    )
    included = data.plan.included
    controls = sum(len(v.controls) for v in included)
    return [
        _text(
            f"Internkontrollplanen för {data.year}, version {plan.plan_version}, omfattar "
            f"{counted(len(included), 'risk', 'risker')} med "
            f"{counted(controls, 'kontrollmoment', 'kontrollmoment', neuter=True)}. " + decided
        )
    ]


def _sampling_rows(data: ExportData) -> list[SamplingRow]:
    return [
        SamplingRow(
            result.plan.name,
            period_name(evaluation.draw.period),
            c.control_name,
            str(c.reviewed),
            _compliance(c),
            c.status_name,
        )
        for result in data.sampling
        for evaluation in result.evaluations
        for c in evaluation.overall
    ]


def _compliance(item: ControlEvaluation) -> str:
    """The share of compliant cases and what it shows about all cases: exact for a census,
    else the one-sided lower bound at the plan's confidence (rounded down, so the figure
    never looks better than shown)."""
    if item.compliance_share is None:
        return ""
    observed = percent(item.compliance_share, 1, trim=True)
    if item.method == CENSUS:
        return f"{observed} ({EVALUATION_METHOD_LABELS[CENSUS].lower()}, exakt)"
    if item.upper_deviation_limit is None:
        return observed
    lowest = percent_down(1 - item.upper_deviation_limit)
    return f"{observed}; minst {lowest} (ensidig, {confidence_text(item.confidence)} konfidens)"


def _conclusion(period: str, item: ControlEvaluation) -> str:
    method = EVALUATION_METHOD_LABELS.get(item.method, item.method)
    named = f"{item.control_name} ({method.lower()})" if method else item.control_name
    return f"{period_name(period)}, {named}: {item.conclusion}"


def _egenkontroll(data: ExportData, rows: list[SamplingRow]) -> list[RichText]:
    if not rows:
        return [
            _text(f"Det finns inga utvärderade stickprov för {data.year}."),
            fill_in("vilken egenkontroll som gjordes och hur"),
        ]
    return [
        _text(
            "Egenkontrollen gjordes som aktgranskning av slumpmässiga, statistiskt grundade "
            f"stickprov ({data.legal['sosfs_self_inspection']}). Resultat per kontrollmoment:"
        )
    ]


def _deviation_context(data: ExportData) -> dict[str, Any]:
    summary = data.deviation_summary
    if summary is None:
        return {
            "avvikelser": [
                _text(f"Det finns inga registrerade avvikelserapporter för {data.year}."),
                fill_in("avvikelser, klagomål och synpunkter under året"),
            ],
            "kategorier": [],
            "avdelningar": [],
            "orsaker": [],
        }
    text = (
        f"Under {data.year} kom {summary.total} rapporter in, varav {summary.deviations} "
        f"bedömdes som avvikelser ({data.legal['sosfs_deviations']}). Av lex Sarah-rapporterna "
        f"anmäldes {_share(summary.ivo_share)} till IVO och av personuppgiftsincidenterna "
        f"{_share(summary.imy_share)} till IMY."
    )
    return {
        "avvikelser": [_text(text)],
        "kategorier": [
            Row(
                CATEGORY_LABELS.get(key, data.deviation_labels.get(key, key)),
                str(count),
                _share(summary.shares.get(key)),
            )
            for key, count in summary.by_category.items()
        ],
        "avdelningar": [
            Row(r.avdelning or "Totalt", str(r.total))
            for r in summary.table
            if r.level in ("avdelning", "totalt")
        ],
        "orsaker": [f"{c.cause}: {c.count} ({_share(c.share)})" for c in data.top_causes],
    }


def _action_rows(data: ExportData) -> list[ActionRow]:
    return [
        ActionRow(v.risk.title, a.what, a.owner, date_text(a.due_date), a.status.value)
        for v in data.included
        for a in v.actions
    ]


def _followup_line(data: ExportData, report: FollowupReport) -> str:
    """'tertial 1 2027: grön 3, gul 1, …; försenade åtgärder: 1' — overdue as of the
    period's end, and every action marked försenad counts."""
    end = parse_period(report.period).end
    actions = [a for v in data.included for a in v.actions]
    overdue = sum(1 for a in actions if is_overdue(a, end))
    counts = ", ".join(f"{name} {count}" for name, count in report.status_counts.labelled())
    return f"{period_name(report.period)}: {counts}; försenade åtgärder: {overdue}"


def _results(data: ExportData) -> dict[str, Any]:
    flaws = [
        FlawRow(period_name(r.period), c.risk, c.control, c.status.value, c.result)
        for r in data.followups
        for c in r.controls
        if c.status in FLAGGED
    ]
    if data.followups:
        lead = ["Uppföljning av internkontrollplanen per tertial:"]
    else:
        lead = [f"Ingen uppföljning av internkontrollplanen för {data.year} är registrerad."]
    return {
        "resultat": lead,
        "uppfoljning": [_followup_line(data, r) for r in data.followups],
        "brister": flaws,
    }


def context(data: ExportData) -> dict[str, Any]:
    """The template's variables (listed in exports/templates/README.md)."""
    sampling = _sampling_rows(data)
    return {
        "kommun": data.kommun,
        "namnd": data.namnd,
        "ar": data.year,
        "datum": data.document_date.isoformat(),
        "utkast": fill_in(
            f"utkast {data.document_date.isoformat()}: kontrollera siffrorna mot "
            "verksamhetssystemen och fyll i de markerade avsnitten"
        ),
        "inledning": [
            _text(
                "Kvalitetsberättelsen beskriver hur arbetet med att systematiskt och fortlöpande "
                f"utveckla och säkra kvaliteten har bedrivits under {data.year}, vilka åtgärder "
                "som har vidtagits för att säkra verksamhetens kvalitet och vilka resultat som "
                "har uppnåtts. Dispositionen följer de allmänna råden till "
                f"{data.legal['sosfs_quality_report']}."
            ),
            fill_in("förvaltningschefens inledning och årets viktigaste händelser"),
        ],
        "ansvar": [
            _text(
                f"Enligt {data.legal['kl_internal_control']} ansvarar {data.namnd} för att den "
                "interna kontrollen är tillräcklig. Nämnden ansvarar också för att det finns ett "
                "ledningssystem för systematiskt kvalitetsarbete."
            ),
            fill_in("organisation, ansvarsfördelning och hur ledningssystemet är uppbyggt"),
        ],
        "riskanalys": _risk_analysis(data),
        "deltagare": participant_rows(data),
        "internkontrollplan": _plan(data),
        "egenkontroll": _egenkontroll(data, sampling),
        "egenkontroll_rader": sampling,
        "egenkontroll_slutsatser": [
            _conclusion(e.draw.period, c)
            for result in data.sampling
            for e in result.evaluations
            for c in e.overall
            if c.conclusion
        ],
        **_deviation_context(data),
        "avvikelser_analys": fill_in(
            "analys av mönster och trender och vad avvikelserna har lett till"
        ),
        "samverkan": fill_in(
            "samverkan med andra aktörer och hur brukare och medarbetare har deltagit"
        ),
        "atgarder": _action_rows(data),
        "andra_atgarder": fill_in("andra åtgärder för att säkra verksamhetens kvalitet"),
        **_results(data),
        "resultat_analys": fill_in("analys av resultaten och måluppfyllelse"),
        "fortsatt": fill_in("förbättringsområden och hur de tas vidare till nästa års riskanalys"),
    }


def render_kvalitetsberattelse(data: ExportData, template: Path | None = None) -> bytes:
    meta = Metadata(
        title=f"Kvalitetsberättelse {data.year} – {data.namnd}",
        subject=f"Kvalitetsberättelse {data.year}",
        author=data.signatories.handlaggare,
        when=data.document_date,
    )
    return render(open_template(TEMPLATE, template), context(data), meta)


def write_kvalitetsberattelse(
    data: ExportData, path: Path, *, template: Path | None = None
) -> Path:
    path.write_bytes(render_kvalitetsberattelse(data, template))
    return path
