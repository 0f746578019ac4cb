"""The tjänsteutlåtande to the nämnd (python-docx on a replaceable template).

The template under ``exports/templates/`` carries the municipality's letterhead, page
setup and styles; this module appends the generated text. The document helpers here
(template, tables, marked gaps) are shared with the kvalitetsberättelse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from riskmotor.export.package import PackageNames
from riskmotor.export.workbook import PLAN_COLUMNS, method_in_brief, plan_rows

if TYPE_CHECKING:
    from riskmotor.services.exports import ExportData
    from riskmotor.services.plan import PlanRiskView

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "exports" / "templates"
FILL_IN = "Att fylla i av förvaltningen"
HIGHEST_RISKS = 5


# shared document helpers -----------------------------------------------------------------


def open_template(name: str, template: Path | None, fields: dict[str, str]) -> DocxDocument:
    """The template (or python-docx's blank document when none is installed) with its
    ``{{field}}`` placeholders in headers, footers and body filled in."""
    path = template or TEMPLATE_DIR / name
    document = Document(str(path)) if path.is_file() else Document()
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            if part.is_linked_to_previous:
                continue  # not defined; reading it would add an empty one
            _fill_fields(part.paragraphs, fields)
            for table in part.tables:
                for cell in (c for row in table.rows for c in row.cells):
                    _fill_fields(cell.paragraphs, fields)
    _fill_fields(document.paragraphs, fields)
    return document


def _fill_fields(paragraphs: Sequence[Paragraph], fields: dict[str, str]) -> None:
    for paragraph in paragraphs:
        if "{{" not in paragraph.text:
            continue
        text = paragraph.text
        for key, value in fields.items():
            text = text.replace("{{" + key + "}}", value)
        # A placeholder may be split over runs; the first run's formatting is kept.
        runs = paragraph.runs
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""


def _style(document: DocxDocument, name: str) -> str | None:
    """The style when the template defines it; a replaced template may lack some."""
    return name if name in [s.name for s in document.styles] else None


def heading(document: DocxDocument, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)


def paragraph(document: DocxDocument, text: str = "", style: str | None = None) -> Paragraph:
    return document.add_paragraph(text, style=_style(document, style) if style else None)


def fill_in(target: DocxDocument | Paragraph, what: str) -> Paragraph:
    """A highlighted gap the förvaltning completes by hand: "[Att fylla i av förvaltningen: …]"."""
    para = target.add_paragraph() if isinstance(target, DocxDocument) else target
    run = para.add_run(f"[{FILL_IN}: {what}]")
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return para


def numbered(document: DocxDocument, items: Sequence[str]) -> None:
    style = _style(document, "List Number")
    for number, item in enumerate(items, start=1):
        document.add_paragraph(item if style else f"{number}. {item}", style=style)


def bullets(document: DocxDocument, items: Sequence[str]) -> None:
    style = _style(document, "List Bullet")
    for item in items:
        document.add_paragraph(item if style else f"– {item}", style=style)


def _repeat_as_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def table(document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A grid table with a bold header row that repeats on every page."""
    grid = document.add_table(rows=1, cols=len(headers))
    style = _style(document, "Table Grid")
    if style:
        grid.style = style
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_as_header(grid.rows[0])
    for values in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)


def date_text(value: Any) -> str:
    return value.isoformat() if value else ""


def risks_text(count: int) -> str:
    """'1 risk', '3 risker'."""
    return f"{count} risk" if count == 1 else f"{count} risker"


def join_swedish(items: Sequence[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def roles_text(data: ExportData) -> str:
    """'förvaltningschef, avdelningschef (2) och kvalitetsutvecklare'."""
    counts = Counter((p.role or "deltagare").lower() for p in data.participants)
    return join_swedish([f"{r} ({n})" if n > 1 else r for r, n in counts.items()])


def workshop_text(data: ExportData) -> str:
    dates = [d.isoformat() for d in data.analysis.workshop_dates]
    if not dates:
        return "vid workshop"
    return ("vid workshoppar den " if len(dates) > 1 else "vid en workshop den ") + join_swedish(
        dates
    )


# the tjänsteutlåtande ----------------------------------------------------------------------


def _header_block(document: DocxDocument, data: ExportData) -> None:
    assert data.plan is not None
    plan = data.plan.plan
    grid = document.add_table(rows=0, cols=2)
    entries = [
        ("Handläggare", data.handlaggare),
        ("Telefon", ""),
        ("Till", data.namnd),
        ("Datum", data.today.isoformat()),
        ("Diarienummer", plan.dnr),
    ]
    for name, value in entries:
        cells = grid.add_row().cells
        cells[0].paragraphs[0].add_run(name).bold = True
        if value:
            cells[1].text = value
        else:
            fill_in(cells[1].paragraphs[0], name.lower())


def decision_proposals(data: ExportData) -> list[str]:
    return [
        f"{data.namnd} fastställer internkontrollplan för {data.year} enligt bilaga 1.",
        f"{data.namnd} godkänner riskanalysen för {data.year} som underlag för "
        "internkontrollplanen.",
    ]


def highest_risks(data: ExportData) -> list[str]:
    assert data.plan is not None
    ranked = sorted(data.plan.included, key=lambda v: v.plan_risk.position)[:HIGHEST_RISKS]
    return [f"{v.risk.title} (riskvärde {v.plan_risk.risk_value})" for v in ranked]


def exceptions_to_rule(data: ExportData) -> list[PlanRiskView]:
    """Risks placed by a manual decision or as a required control area, not by the rule."""
    assert data.plan is not None
    return [
        v
        for v in data.plan.risks
        if v.plan_risk.override is not None or (v.plan_risk.must_include and v.plan_risk.included)
    ]


def summary_paragraphs(data: ExportData) -> list[str]:
    """Sammanfattning, written from the data."""
    assert data.plan is not None
    included = data.plan.included
    assessed = sum(1 for r in data.risks if r.risk_value is not None)
    assessed_text = "samtliga" if assessed == len(data.risks) else f"{assessed} av dem"
    controls = sum(len(v.controls) for v in included)
    actions = sum(len(v.actions) for v in included)
    texts = [
        f"Förvaltningen har genomfört en riskanalys inför {data.year}. "
        f"{risks_text(len(data.risks))} har identifierats och {assessed_text} har bedömts "
        f"{workshop_text(data)} av {len(data.participants)} deltagare: {roles_text(data)}.",
        f"{risks_text(len(included))} föreslås ingå i nämndens internkontrollplan, med "
        f"sammanlagt {controls} kontrollmoment och {actions} åtgärder i behandlingsplaner. "
        f"Risker med riskvärde {data.plan.plan.threshold} eller högre ingår.",
    ]
    exceptions = len(exceptions_to_rule(data))
    if exceptions:
        texts[-1] += (
            f" {risks_text(exceptions)} har tagits med eller lämnats utanför genom ett motiverat "
            "beslut eller som obligatoriskt kontrollområde."
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
        "kvalitetsarbete (SOSFS 2011:9) reglerar hur verksamheten arbetar med risker och "
        f"egenkontroll. Enligt {legal['sosfs_risk_analysis']} ska verksamheten bedöma risken "
        "för händelser som kan medföra brister i kvaliteten, och enligt "
        f"{legal['sosfs_self_inspection']} ska den genom egenkontroll följa upp att arbetet "
        "bedrivs enligt processer och rutiner.",
        "Internkontrollplanen anger vilka risker nämnden följer under året, hur de kontrolleras, "
        "vem som ansvarar och när resultatet rapporteras till nämnden.",
    ]


def disagreement_and_participants(document: DocxDocument, data: ExportData) -> None:
    """How many risks split the group, and who took part (both documents tell this)."""
    disputed = sum(1 for r in data.risks if r.disagreement)
    if disputed:
        paragraph(
            document,
            f"För {risks_text(disputed)} skilde sig deltagarnas bedömningar två steg eller mer. "
            "De markerades för särskild diskussion i gruppen.",
        )
    if data.participants:
        table(
            document,
            ["Namn", "Roll", "Funktion"],
            [[p.name, p.role, p.function] for p in data.participants],
        )


def _method_section(document: DocxDocument, data: ExportData) -> None:
    heading(document, "Riskanalysens genomförande", 2)
    paragraph(
        document,
        f"Riskanalysen genomfördes {workshop_text(data)} av förvaltningens ledningsgrupp. "
        + method_in_brief(data),
    )
    disagreement_and_participants(document, data)
    heading(document, "Skala och riskmatris", 2)
    paragraph(document, data.scale.description)


def _evidence_section(document: DocxDocument, data: ExportData) -> None:
    titles = {r.id: r.title for r in data.risks}
    if data.evidence:
        heading(document, "Underlag från kapacitetssimulering", 2)
        bullets(
            document,
            [
                f"{titles.get(risk_id, '')}: sannolikheten bygger på simuleringen "
                f"”{run.scenario_name}” ({run.replications} replikeringar, slumpfrö {run.seed}, "
                f"{run.created_at.date().isoformat()}). {run.suggestion_text}"
                for risk_id, run in data.evidence.items()
            ],
        )
    heading(document, "Egenkontroll och stickprov", 2)
    if not data.sampling:
        paragraph(
            document,
            "Kontrollmomenten följs upp med de metoder och den frekvens som anges i planen.",
        )
        return
    paragraph(
        document,
        "Egenkontrollen görs med statistiskt grundade slumpmässiga stickprov. Urvalet dras "
        "med sparat slumpfrö så att det kan återskapas.",
    )
    bullets(
        document,
        [
            f"{r.plan.name}: {r.plan.sample_size} akter per period, "
            f"{round(100 * r.plan.confidence)} % säkerhet och tolerabel avvikelsegrad "
            f"{round(100 * r.plan.tolerable_rate)} %"
            + (f" (risk: {r.risk_title})" if r.risk_title else "")
            for r in data.sampling
        ],
    )


def plan_table_rows(data: ExportData) -> list[list[Any]]:
    """The report's plan table: the workbook's plan rows without the long text columns."""
    return [[row[i] for i in PLAN_TABLE_COLUMNS] for row in plan_rows(data)]


# The report's plan table: these columns of the workbook's Internkontrollplan sheet.
PLAN_TABLE_COLUMNS = [1, 5, 6, 7, 8, 9, 10]
PLAN_TABLE_HEADERS = [PLAN_COLUMNS[i] for i in PLAN_TABLE_COLUMNS]


def _plan_section(document: DocxDocument, data: ExportData, image: Path) -> None:
    assert data.plan is not None
    heading(document, "Riskmatris", 2)
    document.add_picture(str(image), width=Cm(14))
    paragraph(
        document,
        f"Figur 1. Riskmatris {data.year}, bedömd risk före åtgärder. Siffran i varje ruta är "
        "antalet risker; färgerna följer kommunens skala.",
        "Caption",
    )
    heading(document, "Förslag till internkontrollplan", 2)
    exceptions = exceptions_to_rule(data)
    if exceptions:
        paragraph(document, "Avsteg från urvalsregeln och obligatoriska kontrollområden:")
        bullets(document, [f"{v.risk.title}: {v.plan_risk.reason}" for v in exceptions])
    table(document, PLAN_TABLE_HEADERS, plan_table_rows(data))
    if data.plan_diff is not None and not data.plan_diff.empty:
        heading(document, "Förändringar mot föregående plan", 2)
        changes = [f"Ny: {t}" for t in data.plan_diff.new]
        changes += [f"Borttagen: {t}" for t in data.plan_diff.removed]
        changes += [f"Ändrad: {t} – {'; '.join(n)}" for t, n in data.plan_diff.changed]
        bullets(document, changes)


def attachments(data: ExportData, names: PackageNames) -> list[str]:
    assert data.plan is not None
    version = data.plan.plan.plan_version
    return [
        f"Bilaga 1. Internkontrollplan {data.year}, version {version} ({names.workbook})",
        f"Bilaga 2. Riskmatris {data.year} ({names.matrix})",
    ]


def build_tjansteutlatande(
    data: ExportData, names: PackageNames, image: Path, template: Path | None = None
) -> DocxDocument:
    assert data.plan is not None
    fields = {
        "kommun": data.kommun,
        "namnd": data.namnd,
        "datum": data.today.isoformat(),
        "dnr": data.plan.plan.dnr,
        "dokument": "Tjänsteutlåtande",
    }
    document = open_template("tjansteutlatande.docx", template, fields)
    _header_block(document, data)
    paragraph(document, f"Internkontrollplan {data.year} för {data.namnd}", "Title")
    heading(document, "Förslag till beslut")
    numbered(document, decision_proposals(data))
    heading(document, "Sammanfattning")
    for text in summary_paragraphs(data):
        paragraph(document, text)
    heading(document, "Bakgrund")
    for text in background_paragraphs(data):
        paragraph(document, text)
    heading(document, "Ärendet")
    _method_section(document, data)
    _evidence_section(document, data)
    _plan_section(document, data, image)
    heading(document, "Förvaltningens synpunkter")
    opinion = data.plan.plan.opinion.strip()
    for text in opinion.split("\n\n") if opinion else []:
        paragraph(document, text.strip())
    if not opinion:
        fill_in(document, "förvaltningens synpunkter, analys och slutsatser")
    heading(document, "Ekonomiska konsekvenser")
    fill_in(document, "ekonomiska konsekvenser av förslaget")
    for role in ("Förvaltningschef", "Avdelningschef"):
        signature = paragraph(document, f"{role}: ")
        fill_in(signature, "namn")
    heading(document, "Bilagor")
    for line in attachments(data, names):
        paragraph(document, line)
    heading(document, "Beslutet skickas till")
    fill_in(document, "mottagare av beslutet")
    document.core_properties.title = f"Tjänsteutlåtande – internkontrollplan {data.year}"
    document.core_properties.author = data.handlaggare or "riskmotor"
    document.core_properties.subject = f"{data.namnd}, {data.plan_label}"
    return document


def write_tjansteutlatande(
    data: ExportData,
    path: Path,
    names: PackageNames,
    image: Path,
    *,
    template: Path | None = None,
) -> Path:
    build_tjansteutlatande(data, names, image, template).save(str(path))
    return path
