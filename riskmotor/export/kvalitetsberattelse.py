"""The draft kvalitetsberättelse (SOSFS 2011:9 7 kap. 1 §, allmänna råd).

Organised as the allmänna råd ask: how the systematic quality work was done during the
year, which actions were taken and which results were reached. What the data holds is
filled in; what only the förvaltning knows is a highlighted "[Att fylla i av
förvaltningen: …]". Deviations appear as counts only, never as their free text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.document import Document as DocxDocument

from riskmotor.domain.terms import CATEGORY_LABELS
from riskmotor.domain.terms import percent as swedish_percent
from riskmotor.export.tjansteutlatande import (
    bullets,
    date_text,
    disagreement_and_participants,
    fill_in,
    heading,
    open_template,
    paragraph,
    risks_text,
    roles_text,
    table,
    workshop_text,
)

if TYPE_CHECKING:
    from riskmotor.services.exports import ExportData


def percent(share: float | None) -> str:
    return swedish_percent(share, 0)


def _introduction(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Inledning")
    paragraph(
        document,
        f"Kvalitetsberättelsen beskriver hur arbetet med att systematiskt och fortlöpande "
        f"utveckla och säkra kvaliteten har bedrivits under {data.year}, vilka åtgärder som "
        "har vidtagits för att säkra verksamhetens kvalitet och vilka resultat som har "
        "uppnåtts. Dispositionen följer de allmänna råden till "
        f"{data.legal['sosfs_quality_report']}.",
    )
    fill_in(document, "förvaltningschefens inledning och årets viktigaste händelser")
    heading(document, "Ansvar och organisation")
    paragraph(
        document,
        f"Enligt {data.legal['kl_internal_control']} ansvarar {data.namnd} för att den "
        "interna kontrollen är tillräcklig. Nämnden ansvarar också för att det finns ett "
        "ledningssystem för systematiskt kvalitetsarbete (SOSFS 2011:9).",
    )
    fill_in(document, "organisation, ansvarsfördelning och hur ledningssystemet är uppbyggt")


def _risk_analysis(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Riskanalys", 2)
    assessed = sum(1 for r in data.risks if r.risk_value is not None)
    processes = Counter(r.process_name for r in data.risks if r.process_name)
    paragraph(
        document,
        f"Riskanalysen för {data.year} genomfördes {workshop_text(data)} med "
        f"{len(data.participants)} deltagare: {roles_text(data)}. {risks_text(len(data.risks))} "
        f"identifierades inom {len(processes)} processer och {assessed} bedömdes med "
        f"sannolikhet och konsekvens på skalan {data.scale.name}. Riskbedömningen görs enligt "
        f"{data.legal['sosfs_risk_analysis']}.",
    )
    disagreement_and_participants(document, data)
    fill_in(document, "om några funktioner saknades i riskanalysen och hur det hanterades")


def _plan(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Internkontrollplan", 2)
    if data.plan is None:
        paragraph(document, f"Det finns ingen internkontrollplan för {data.year} i riskmotor.")
        fill_in(document, "hur den interna kontrollen planerades under året")
        return
    plan = data.plan.plan
    decided = (
        f"Nämnden fastställde planen {date_text(plan.decision_date)} ({plan.paragraf}, "
        f"dnr {plan.dnr})."
        if plan.decision_date
        else f"Planen har status {plan.status.value}."
    )
    included = data.plan.included
    paragraph(
        document,
        f"Internkontrollplanen för {data.year}, version {plan.plan_version}, omfattar "
        f"{risks_text(len(included))} med {sum(len(v.controls) for v in included)} kontrollmoment. "
        + decided,
    )


def _egenkontroll(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Egenkontroll", 2)
    rows = [
        [
            result.plan.name,
            evaluation.draw.period,
            c.control_name,
            c.reviewed,
            percent(c.compliance_share),
            c.status_name,
        ]
        for result in data.sampling
        for evaluation in result.evaluations
        for c in evaluation.overall
    ]
    if not rows:
        paragraph(document, f"Det finns inga utvärderade stickprov för {data.year} i riskmotor.")
        fill_in(document, "vilken egenkontroll som gjordes och hur")
        return
    paragraph(
        document,
        "Egenkontrollen gjordes som aktgranskning av slumpmässiga, statistiskt grundade "
        f"stickprov ({data.legal['sosfs_self_inspection']}). Resultat per kontrollmoment:",
    )
    table(
        document,
        ["Stickprovsplan", "Period", "Kontrollmoment", "Granskade", "Andel uppfyllda", "Status"],
        rows,
    )
    bullets(
        document,
        [
            f"{e.draw.period}, {c.control_name}: {c.conclusion}"
            for result in data.sampling
            for e in result.evaluations
            for c in e.overall
            if c.conclusion
        ],
    )


def _category_rows(data: ExportData, summary: dict[str, Any]) -> list[list[Any]]:
    shares = summary["shares"]
    return [
        [
            CATEGORY_LABELS.get(key, data.deviation_labels.get(key, key)),
            count,
            percent(shares.get(key)),
        ]
        for key, count in summary["by_category"].items()
    ]


def _deviations(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Avvikelser, klagomål och synpunkter", 2)
    summary = data.deviation_summary
    if summary is None:
        paragraph(document, f"Det finns inga avvikelserapporter för {data.year} i riskmotor.")
        fill_in(document, "avvikelser, klagomål och synpunkter under året")
        return
    paragraph(
        document,
        f"Under {data.year} kom {summary['total']} rapporter in, varav {summary['deviations']} "
        f"bedömdes som avvikelser ({data.legal['sosfs_deviations']}). Av lex Sarah-rapporterna "
        f"anmäldes {percent(summary['ivo_share'])} till IVO och av personuppgiftsincidenterna "
        f"{percent(summary['imy_share'])} till IMY.",
    )
    table(document, ["Kategori", "Antal", "Andel av avvikelserna"], _category_rows(data, summary))
    by_avdelning = [r for r in summary["table"] if r["level"] in ("avdelning", "totalt")]
    if by_avdelning:
        paragraph(document, "Rapporter per avdelning:")
        table(
            document,
            ["Avdelning", "Antal rapporter"],
            [[r["avdelning"] or "Totalt", r["total"]] for r in by_avdelning],
        )
    if data.top_causes:
        paragraph(document, "Vanligaste orsaker:")
        bullets(document, [f"{c.cause}: {c.count} ({percent(c.share)})" for c in data.top_causes])
    fill_in(document, "analys av mönster och trender och vad avvikelserna har lett till")


def _actions(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Åtgärder som har vidtagits")
    rows = [
        [v.risk.title, a.what, a.owner, date_text(a.due_date), a.status.value]
        for v in (data.plan.included if data.plan else [])
        for a in v.actions
    ]
    if rows:
        paragraph(document, "Åtgärder i internkontrollplanens behandlingsplaner:")
        table(document, ["Risk", "Åtgärd", "Ansvarig", "Klart senast", "Status"], rows)
    fill_in(document, "andra åtgärder för att säkra verksamhetens kvalitet under året")


def _results(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Resultat som har uppnåtts")
    if data.followups:
        paragraph(document, "Uppföljning av internkontrollplanen per tertial:")
        bullets(
            document,
            [
                f"{s['period']}: "
                + ", ".join(f"{status} {count}" for status, count in s["status_counts"].items())
                + f"; försenade åtgärder: {len(s['overdue_actions'])}"
                for s in data.followups
            ],
        )
        flagged = [
            [s["period"], c["risk"], c["control"], c["status"], c["result"]]
            for s in data.followups
            for c in s["controls"]
            if c["status"] in ("gul", "röd")
        ]
        if flagged:
            paragraph(document, "Kontrollmoment med brister:")
            table(document, ["Period", "Risk", "Kontrollmoment", "Status", "Resultat"], flagged)
    else:
        paragraph(
            document,
            f"Ingen uppföljning av internkontrollplanen för {data.year} är "
            "registrerad i riskmotor.",
        )
    fill_in(document, "analys av resultaten och måluppfyllelse")
    heading(document, "Fortsatt arbete och förbättringsområden")
    fill_in(document, "förbättringsområden och hur de tas vidare till nästa års riskanalys")


def build_kvalitetsberattelse(data: ExportData, template: Path | None = None) -> DocxDocument:
    fields = {
        "kommun": data.kommun,
        "namnd": data.namnd,
        "datum": data.today.isoformat(),
        "dnr": data.plan.plan.dnr if data.plan else "",
        "dokument": f"Kvalitetsberättelse {data.year}",
    }
    document = open_template("kvalitetsberattelse.docx", template, fields)
    paragraph(document, f"Kvalitetsberättelse {data.year}", "Title")
    paragraph(document, f"{data.namnd}, {data.kommun}", "Subtitle")
    note = paragraph(
        document,
        f"Utkast framtaget ur riskmotor {data.today.isoformat()}. Markerade avsnitt fylls i "
        "av förvaltningen innan kvalitetsberättelsen lämnas till nämnden. ",
    )
    fill_in(note, "kontrollera siffrorna mot verksamhetssystemen")
    _introduction(document, data)
    heading(document, "Så har det systematiska kvalitetsarbetet bedrivits")
    _risk_analysis(document, data)
    _plan(document, data)
    _egenkontroll(document, data)
    _deviations(document, data)
    heading(document, "Samverkan och delaktighet", 2)
    fill_in(document, "samverkan med andra aktörer och hur brukare och medarbetare har deltagit")
    _actions(document, data)
    _results(document, data)
    document.core_properties.title = f"Kvalitetsberättelse {data.year} – {data.namnd}"
    document.core_properties.author = "riskmotor"
    return document


def write_kvalitetsberattelse(
    data: ExportData, path: Path, *, template: Path | None = None
) -> Path:
    build_kvalitetsberattelse(data, template).save(str(path))
    return path
