"""Build the two standard templates (tjansteutlatande.docx, kvalitetsberattelse.docx).

Run ``.venv/bin/python exports/templates/make_templates.py`` after changing the standard
text. A kommun does not need this script: it edits the .docx files in Word (see README.md).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
TABLE_SIZE = Pt(9)
WIDE_TABLE_SIZE = Pt(7.5)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) with a placeholder result, updated when printed."""
    parts = [("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)]
    for kind, text in parts:
        run = paragraph.add_run()
        run.font.size = Pt(8)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def _letterhead(document: DocxDocument, kind: str) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.add_run("{{ kommun }}").bold = True
    line = section.header.add_paragraph()
    line.add_run("{{ namnd }} – " + kind).font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centred
    footer.add_run("{{ kommun }} · {{ datum }} · sida ").font.size = Pt(8)
    _field(footer, "PAGE")
    footer.add_run(" av ").font.size = Pt(8)
    _field(footer, "NUMPAGES")


def _new(kind: str) -> DocxDocument:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Caption"):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = None
    section = document.sections[0]
    section.page_width, section.page_height = 7560310, 10692130  # A4 in EMU
    section.left_margin = section.right_margin = 899795  # 2.5 cm
    section.top_margin = section.bottom_margin = 720090  # 2 cm
    _letterhead(document, kind)
    return document


def tag(document: DocxDocument, text: str) -> None:
    document.add_paragraph("{%p " + text + " %}")


def para(document: DocxDocument, text: str, style: str | None = None) -> Paragraph:
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(text)
    return paragraph


def loop(document: DocxDocument, items: str, style: str | None = None, rich: bool = False) -> None:
    """One paragraph per item of the list ``items``."""
    tag(document, f"for item in {items}")
    para(document, "{{r item }}" if rich else "{{ item }}", style)
    tag(document, "endfor")


def table(
    document: DocxDocument,
    headers: list[str],
    rows: str,
    fields: list[str],
    size: Pt = TABLE_SIZE,
) -> Table:
    """A bordered table: a bold header row, then one row per item of the list ``rows``."""
    grid = document.add_table(rows=4, cols=len(headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    grid.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in " + rows + " %}")
    for cell, field in zip(grid.rows[2].cells, fields, strict=True):
        cell.paragraphs[0].add_run("{{ row." + field + " }}").font.size = size
    grid.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return grid


def key_values(document: DocxDocument, entries: list[tuple[str, str]]) -> None:
    grid = document.add_table(rows=0, cols=2)
    for name, value in entries:
        cells = grid.add_row().cells
        cells[0].paragraphs[0].add_run(name).bold = True
        cells[1].paragraphs[0].add_run(value)


def tjansteutlatande() -> DocxDocument:
    d = _new("Tjänsteutlåtande")
    key_values(
        d,
        [
            ("Handläggare", "{{r handlaggare }}"),
            ("Telefon", "{{r telefon }}"),
            ("E-post", "{{r epost }}"),
            ("Till", "{{ namnd }}"),
            ("Datum", "{{ datum }}"),
            ("Diarienummer", "{{r dnr }}"),
        ],
    )
    para(d, "Internkontrollplan {{ ar }} för {{ namnd }}", "Title")
    para(d, "Förslag till beslut", "Heading 1")
    loop(d, "beslut", "List Number")
    para(d, "Sammanfattning", "Heading 1")
    loop(d, "sammanfattning")
    para(d, "Bakgrund", "Heading 1")
    loop(d, "bakgrund")
    para(d, "Ärendet", "Heading 1")
    para(d, "Riskanalysens genomförande", "Heading 2")
    loop(d, "metod")
    table(d, ["Namn", "Roll", "Funktion"], "deltagare", ["namn", "roll", "funktion"])
    para(d, "Skala och riskmatris", "Heading 2")
    para(d, "{{ skala }}")
    d.add_paragraph("{{ matris }}")
    para(d, "{{ figurtext }}", "Caption")
    tag(d, "if underlag")
    para(d, "Underlag från kapacitetssimulering", "Heading 2")
    loop(d, "underlag", "List Bullet")
    tag(d, "endif")
    tag(d, "if stickprov")
    para(d, "Egenkontroll och stickprov", "Heading 2")
    loop(d, "stickprov_text")
    loop(d, "stickprov", "List Bullet")
    tag(d, "endif")
    para(d, "Förslag till internkontrollplan", "Heading 2")
    loop(d, "plan_text")
    loop(d, "avsteg", "List Bullet")
    table(
        d,
        ["Id", "Risk", "Riskvärde", "Kontrollmoment", "Ansvarig", "Tidpunkt"],
        "plan",
        ["id", "risk", "riskvarde", "kontrollmoment", "ansvarig", "tidpunkt"],
    )
    tag(d, "if forandringar")
    para(d, "Förändringar mot föregående plan", "Heading 2")
    loop(d, "forandringar", "List Bullet")
    tag(d, "endif")
    para(d, "Förvaltningens synpunkter", "Heading 1")
    loop(d, "synpunkter", rich=True)
    para(d, "Ekonomiska konsekvenser", "Heading 1")
    para(d, "{{r ekonomi }}")
    para(d, "Bilagor", "Heading 1")
    loop(d, "bilagor")
    para(d, "Beslutet skickas till", "Heading 1")
    loop(d, "mottagare", rich=True)
    tag(d, "for person in underskrifter")
    signature = para(d, "{{ person.namn }}")
    signature.paragraph_format.space_before = Pt(24)
    para(d, "{{ person.roll }}")
    tag(d, "endfor")
    _landscape_appendix(d)
    return d


def _landscape_appendix(d: DocxDocument) -> None:
    section = d.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = 10692130, 7560310
    section.left_margin = section.right_margin = 540000  # 1,5 cm
    para(d, "Bilaga 1. Internkontrollplan {{ ar }}, {{ planversion }}", "Heading 1")
    para(d, "{{ bilaga_text }}")
    table(
        d,
        [
            "Id",
            "Process/rutin",
            "Risk",
            "Orsak",
            "S",
            "K",
            # Soft hyphens: a narrow column breaks these headers at the hyphen, never
            # mid-syllable.
            "Risk\u00advärde",
            "Kontroll\u00admoment",
            "Kontroll\u00admetod",
            "Frekvens",
            "Ansvarig",
            "Rapporteras till",
            "Tidpunkt",
        ],
        "plan_alla",
        [
            "id",
            "process",
            "risk",
            "orsak",
            "s",
            "k",
            "riskvarde",
            "kontrollmoment",
            "metod",
            "frekvens",
            "ansvarig",
            "rapporteras_till",
            "tidpunkt",
        ],
        WIDE_TABLE_SIZE,
    )


def kvalitetsberattelse() -> DocxDocument:
    d = _new("Kvalitetsberättelse")
    para(d, "Kvalitetsberättelse {{ ar }}", "Title")
    para(d, "{{ namnd }}, {{ kommun }}", "Subtitle")
    para(d, "{{r utkast }}")
    para(d, "Inledning", "Heading 1")
    loop(d, "inledning", rich=True)
    para(d, "Ansvar och organisation", "Heading 1")
    loop(d, "ansvar", rich=True)
    para(d, "Så har det systematiska kvalitetsarbetet bedrivits", "Heading 1")
    para(d, "Riskanalys", "Heading 2")
    loop(d, "riskanalys", rich=True)
    tag(d, "if deltagare")
    table(d, ["Namn", "Roll", "Funktion"], "deltagare", ["namn", "roll", "funktion"])
    tag(d, "endif")
    para(d, "Internkontrollplan", "Heading 2")
    loop(d, "internkontrollplan", rich=True)
    para(d, "Egenkontroll", "Heading 2")
    loop(d, "egenkontroll", rich=True)
    tag(d, "if egenkontroll_rader")
    table(
        d,
        ["Stickprovsplan", "Period", "Kontrollmoment", "Granskade", "Andel uppfyllda", "Status"],
        "egenkontroll_rader",
        ["plan", "period", "kontrollmoment", "granskade", "andel", "status"],
    )
    loop(d, "egenkontroll_slutsatser", "List Bullet")
    tag(d, "endif")
    para(d, "Avvikelser, klagomål och synpunkter", "Heading 2")
    loop(d, "avvikelser", rich=True)
    tag(d, "if kategorier")
    table(
        d, ["Kategori", "Antal", "Andel av avvikelserna"], "kategorier", ["namn", "antal", "andel"]
    )
    tag(d, "endif")
    tag(d, "if avdelningar")
    para(d, "Rapporter per avdelning:")
    table(d, ["Avdelning", "Antal rapporter"], "avdelningar", ["namn", "antal"])
    tag(d, "endif")
    tag(d, "if orsaker")
    para(d, "Vanligaste orsaker:")
    loop(d, "orsaker", "List Bullet")
    tag(d, "endif")
    para(d, "{{r avvikelser_analys }}")
    para(d, "Samverkan och delaktighet", "Heading 2")
    para(d, "{{r samverkan }}")
    para(d, "Åtgärder som har vidtagits", "Heading 1")
    tag(d, "if atgarder")
    para(d, "Åtgärder i internkontrollplanens behandlingsplaner:")
    table(
        d,
        ["Risk", "Åtgärd", "Ansvarig", "Klart senast", "Status"],
        "atgarder",
        ["risk", "atgard", "ansvarig", "klart", "status"],
    )
    tag(d, "endif")
    para(d, "{{r andra_atgarder }}")
    para(d, "Resultat som har uppnåtts", "Heading 1")
    loop(d, "resultat")
    loop(d, "uppfoljning", "List Bullet")
    tag(d, "if brister")
    para(d, "Kontrollmoment med brister:")
    table(
        d,
        ["Period", "Risk", "Kontrollmoment", "Status", "Resultat"],
        "brister",
        ["period", "risk", "kontrollmoment", "status", "resultat"],
    )
    tag(d, "endif")
    para(d, "{{r resultat_analys }}")
    para(d, "Fortsatt arbete och förbättringsområden", "Heading 1")
    para(d, "{{r fortsatt }}")
    return d


if __name__ == "__main__":
    tjansteutlatande().save(str(HERE / "tjansteutlatande.docx"))
    kvalitetsberattelse().save(str(HERE / "kvalitetsberattelse.docx"))
