"""The tjänsteutlåtande to the nämnd, rendered from ``exports/templates/tjansteutlatande.docx``.

This module only builds the template's context (the variables are listed in
``exports/templates/README.md``); the kit renders it, sizes the tables and dates the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage, RichText

from riskmotor.domain.terms import percent
from riskmotor.export.docx.kit import (
    Metadata,
    fill_in,
    open_template,
    render,
    value_or_fill_in,
)
from riskmotor.export.docx.texts import (
    method_paragraphs,
    participant_rows,
    roles_text,
    workshop_text,
)
from riskmotor.export.package import PackageNames
from riskmotor.export.rows import PlanRow, plan_records
from riskmotor.export.swedish import counted, join_swedish, number_text, sentence
from riskmotor.reports.export import ExportData
from riskmotor.reports.plan import PlanRiskView

TEMPLATE = "tjansteutlatande.docx"
HIGHEST_RISKS = 5
MATRIX_WIDTH = Cm(13)


@dataclass(frozen=True)
class Signature:
    roll: str
    namn: str


def decision_proposals(data: ExportData) -> list[str]:
    return [
        f"{data.namnd} fastställer internkontrollplan för {data.year} enligt bilaga 1.",
        f"{data.namnd} godkänner riskanalysen för {data.year} som underlag för "
        "internkontrollplanen.",
    ]


def highest_risks(data: ExportData) -> list[str]:
    assert data.plan is not None
    ranked = sorted(data.plan.included, key=lambda v: v.plan_risk.position)[:HIGHEST_RISKS]
    return [
        f"”{v.risk.title}” (id {v.risk.id}, riskvärde {v.plan_risk.risk_value})" for v in ranked
    ]


def exceptions_to_rule(data: ExportData) -> list[PlanRiskView]:
    """Risks placed by a manual decision or as a required control area, not by the rule."""
    assert data.plan is not None
    return [
        v
        for v in data.plan.risks
        if v.plan_risk.override is not None or (v.plan_risk.must_include and v.plan_risk.included)
    ]


def _assessment_sentence(data: ExportData) -> str:
    """What is true of the assessments: how many are fastställda, and which are not."""
    total = len(data.risks)
    confirmed = [r for r in data.risks if r.confirmed]
    found = sentence(f"{counted(total, 'risk', 'risker')} har identifierats")
    if len(confirmed) == total:
        return f"{found} och samtliga bedömningar har fastställts."
    open_in_plan = {v.risk.id for v in data.included} & {
        r.id for r in data.risks if not r.confirmed
    }
    text = f"{found}. Bedömningen har fastställts för {len(confirmed)} av dem"
    if open_in_plan:
        ids = ", ".join(str(i) for i in sorted(open_in_plan))
        text += f"; bland riskerna i planen är bedömningen inte fastställd för id {ids}"
    return text + "."


def summary_paragraphs(data: ExportData) -> list[str]:
    """Sammanfattning, written from the real counts."""
    assert data.plan is not None
    included = data.plan.included
    controls = sum(len(v.controls) for v in included)
    actions = sum(len(v.actions) for v in included)
    texts = [
        f"Förvaltningen har genomfört en riskanalys inför {data.year} {workshop_text(data)} "
        f"med {counted(len(data.participants), 'deltagare', 'deltagare')}: "
        f"{roles_text(data)}. {_assessment_sentence(data)}",
        sentence(
            f"{counted(len(included), 'risk', 'risker')} föreslås ingå i nämndens "
            f"internkontrollplan, med sammanlagt "
            f"{counted(controls, 'kontrollmoment', 'kontrollmoment', neuter=True)} och "
            f"{counted(actions, 'åtgärd', 'åtgärder')} i behandlingsplaner. Risker med "
            f"riskvärde {data.plan.plan.threshold} eller högre ingår."
        ),
    ]
    exceptions = len(exceptions_to_rule(data))
    if exceptions:
        texts[-1] += " " + sentence(
            f"{counted(exceptions, 'risk', 'risker')} har tagits med eller lämnats utanför "
            "genom ett motiverat beslut eller som obligatoriskt kontrollområde."
        )
    top = highest_risks(data)
    if top:
        texts.append("De högsta riskerna är " + join_swedish(top) + ".")
    return texts


def background_paragraphs(data: ExportData) -> list[str]:
    legal = data.legal
    return [
        f"Enligt {legal['kl_internal_control']} ska nämnden se till att den interna kontrollen "
        "är tillräcklig och att verksamheten bedrivs på ett i övrigt tillfredsställande sätt.",
        "Socialstyrelsens föreskrifter och allmänna råd om ledningssystem för systematiskt "
        "kvalitetsarbete reglerar hur verksamheten arbetar med risker och egenkontroll. Enligt "
        f"{legal['sosfs_risk_analysis']} ska verksamheten bedöma risken för händelser som kan "
        f"medföra brister i kvaliteten, och enligt {legal['sosfs_self_inspection']} ska den "
        "genom egenkontroll följa upp att arbetet bedrivs enligt processer och rutiner.",
        "Internkontrollplanen anger vilka risker nämnden följer under året, hur de kontrolleras, "
        "vem som ansvarar och när resultatet rapporteras till nämnden.",
    ]


def scale_text(data: ExportData) -> str:
    scale = data.scale
    top = scale.max_likelihood * scale.max_consequence
    return (
        f"Sannolikheten bedöms i {number_text(scale.max_likelihood)} steg och konsekvensen i "
        f"{number_text(scale.max_consequence)} steg. Riskvärdet (1–{top}) är sannolikhet × "
        "konsekvens; färgen i riskmatrisen visar risknivån. Risker med riskvärde "
        f"{data.plan.plan.threshold if data.plan else scale.selection_threshold} eller "
        "högre föreslås till internkontrollplanen."
    )


def _sampling_lines(data: ExportData) -> list[str]:
    return [
        f"{r.plan.name}: {r.plan.sample_size} akter per period, "
        f"{percent(r.plan.confidence, trim=True)} säkerhet och tolerabel avvikelsegrad "
        f"{percent(r.plan.tolerable_rate, trim=True)}"
        + (f" (risk: ”{r.risk_title}”)" if r.risk_title else "")
        for r in data.sampling
    ]


def _evidence_lines(data: ExportData) -> list[str]:
    return [
        f"”{e.risk_title}”: sannolikheten bygger på simuleringen ”{e.scenario_name}” "
        f"({e.replications} replikeringar, slumpfrö {e.seed}, {e.run_on.isoformat()}). "
        f"{e.suggestion_text}"
        for e in data.evidence
    ]


def _changes(data: ExportData) -> list[str]:
    diff = data.plan_diff
    if diff is None or diff.empty:
        return []
    changes = [f"Ny: {t}" for t in diff.new]
    changes += [f"Borttagen: {t}" for t in diff.removed]
    changes += [f"Ändrad: {t} – {'; '.join(n)}" for t, n in diff.changed]
    return changes


def attachments(data: ExportData, names: PackageNames) -> list[str]:
    assert data.plan is not None
    version = data.plan.plan.plan_version
    return [
        f"Bilaga 1. Internkontrollplan {data.year}, version {version} (sist i detta dokument "
        f"och som Excelfil {names.workbook})",
        f"Bilaga 2. Riskmatris {data.year} ({names.matrix})",
    ]


def signatures(data: ExportData) -> list[Signature]:
    """Förvaltningschef and avdelningschef when their names are known."""
    people = data.signatories
    found = [
        Signature("Förvaltningschef", people.forvaltningschef),
        Signature("Avdelningschef", people.avdelningschef),
    ]
    return [s for s in found if s.namn]


def _handlaggare(data: ExportData) -> RichText:
    people = data.signatories
    text = ", ".join(part for part in (people.handlaggare, people.title) if part)
    return value_or_fill_in(text, "handläggarens namn och titel")


def _plan_text(data: ExportData) -> list[str]:
    exceptions = exceptions_to_rule(data)
    text = [
        "Tabellen visar riskerna i förslaget med id som i riskmatrisen. Alla kolumner i "
        "internkontrollplanen finns i bilaga 1."
    ]
    if exceptions:
        text.append("Avsteg från urvalsregeln och obligatoriska kontrollområden:")
    return text


def _opinion(data: ExportData) -> list[Any]:
    assert data.plan is not None
    opinion = data.plan.plan.opinion.strip()
    if not opinion:
        return [fill_in("förvaltningens synpunkter, analys och slutsatser")]
    return [RichText(text.strip()) for text in opinion.split("\n\n")]


def context(data: ExportData, names: PackageNames, image: Any) -> dict[str, Any]:
    """The template's variables (listed in exports/templates/README.md)."""
    assert data.plan is not None
    plan = data.plan.plan
    rows: list[PlanRow] = plan_records(data)
    return {
        "kommun": data.kommun,
        "namnd": data.namnd,
        "ar": data.year,
        "datum": data.document_date.isoformat(),
        "dnr": value_or_fill_in(plan.dnr, "diarienummer"),
        "handlaggare": _handlaggare(data),
        "telefon": value_or_fill_in(data.signatories.phone, "telefon"),
        "epost": value_or_fill_in(data.signatories.email, "e-post"),
        "beslut": decision_proposals(data),
        "sammanfattning": summary_paragraphs(data),
        "bakgrund": background_paragraphs(data),
        "metod": method_paragraphs(data),
        "deltagare": participant_rows(data),
        "skala": scale_text(data),
        "matris": image,
        "figurtext": (
            f"Figur 1. Riskmatris {data.year}, bedömd risk före åtgärder. I varje ruta står "
            "id för riskerna där; den tjocka ramen omger rutorna som når urvalsgränsen."
        ),
        "underlag": _evidence_lines(data),
        "stickprov": _sampling_lines(data),
        "stickprov_text": [
            "Egenkontrollen görs med statistiskt grundade slumpmässiga stickprov. Urvalet "
            "dras med sparat slumpfrö så att det kan återskapas."
        ],
        "plan_text": _plan_text(data),
        "avsteg": [f"”{v.risk.title}”: {v.plan_risk.reason}" for v in exceptions_to_rule(data)],
        "plan": rows,
        "plan_alla": rows,
        "planversion": f"version {plan.plan_version}",
        "bilaga_text": "Id är riskens id i riskmatrisen och på Excelfilens blad Riskanalys. "
        "S = sannolikhet, K = konsekvens.",
        "forandringar": _changes(data),
        "synpunkter": _opinion(data),
        "ekonomi": fill_in("ekonomiska konsekvenser av förslaget"),
        "bilagor": attachments(data, names),
        "mottagare": [fill_in("mottagare av beslutet")],
        "underskrifter": signatures(data),
    }


def render_tjansteutlatande(
    data: ExportData, names: PackageNames, image: Path, template: Path | None = None
) -> bytes:
    assert data.plan is not None
    tpl: DocxTemplate = open_template(TEMPLATE, template)
    picture = InlineImage(tpl, str(image), width=MATRIX_WIDTH)
    meta = Metadata(
        title=f"Tjänsteutlåtande – internkontrollplan {data.year}",
        subject=f"{data.namnd}, {data.plan_label}",
        author=data.signatories.handlaggare,
        when=data.document_date,
    )
    return render(tpl, context(data, names, picture), meta)


def write_tjansteutlatande(
    data: ExportData,
    path: Path,
    names: PackageNames,
    image: Path,
    *,
    template: Path | None = None,
) -> Path:
    path.write_bytes(render_tjansteutlatande(data, names, image, template))
    return path
