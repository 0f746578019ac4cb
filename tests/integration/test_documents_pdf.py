"""The demo package as the nämnd reads it: converted to PDF by LibreOffice and read back
with poppler (pdftotext, pdfinfo).

One package is converted for the whole module (three conversions), to keep CI time low.
Without LibreOffice the tests skip, unless RISKMOTOR_REQUIRE_PDF=1 (set in CI) makes that a
failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from riskmotor.bootstrap import build_app
from riskmotor.clock import FixedClock
from riskmotor.export.xlsx.kit import MIN_SCALE, PRINT_WIDTH_CHARS, fit_row_heights, sheet_width
from riskmotor.reports.export import Signatories
from riskmotor.services import demo, exports, plan, workshop

NAMND, YEAR = "Socialnämnden", 2027
PEOPLE = Signatories("Erik Holm", "kvalitetsutvecklare", "08-123 45 67", "erik@exempel.se")
TOOLS = ("soffice", "pdftotext", "pdfinfo")
SOFT_HYPHEN = "\u00ad"


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} saknas (LibreOffice och poppler behövs för PDF-testerna)"
    if os.environ.get("RISKMOTOR_REQUIRE_PDF") == "1":
        pytest.fail(reason + " men RISKMOTOR_REQUIRE_PDF=1")
    pytest.skip(reason)


def _adopted_demo(tmp: Path) -> Path:
    app = build_app(
        f"sqlite:///{tmp / 'demo.db'}",
        "testare",
        clock=FixedClock(datetime(2027, 1, 20, 9, tzinfo=UTC)),
    )
    ids = demo.load_demo(app.uow(), app.catalog)
    workshop.confirm_all(app.uow(), app.catalog, ids.analysis_id)
    created = plan.propose(app.uow(), app.catalog, ids.namnd_id, YEAR)
    proposal = plan.view(app.uow(), app.catalog, created.id or 0)
    for item in proposal.included:
        suggestion = plan.suggested_controls(app.catalog, item.risk)[0]
        plan.add_control(
            app.uow(),
            {
                "plan_risk_id": item.plan_risk.id,
                **suggestion,
                "responsible": "Enhetschef",
                "timing": "Tertial 2",
            },
        )
    plan.approve(app.uow(), app.catalog, created.id or 0, date(2026, 12, 10), "§ 12", "SN 2026/7")
    report = exports.export_package(
        app.uow(),
        app.catalog,
        NAMND,
        YEAR,
        tmp / "paket",
        signatories=PEOPLE,
        with_kvalitetsberattelse=True,
    )
    return report.folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_tools()
    return _adopted_demo(tmp_path_factory.mktemp("pdf"))


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


def test_every_document_became_a_pdf_with_page_numbers_on_every_page(folder: Path) -> None:
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 3  # tjänsteutlåtande, workbook, kvalitetsberättelse
    for pdf in pdfs:
        pages = _pages(pdf)
        assert len(pages) == _page_count(pdf)
        for number, page in enumerate(pages, start=1):
            assert f"sida {number} av {len(pages)}" in page, (pdf.name, number)


def _unbroken(word: str, pdf_words: set[str]) -> bool:
    """The word is in the PDF whole, or (at a template's soft hyphen) as its parts."""
    whole = word.replace(SOFT_HYPHEN, "")
    return whole in pdf_words or all(p in pdf_words for p in word.split(SOFT_HYPHEN))


def test_no_word_in_a_table_is_split_across_lines(folder: Path) -> None:
    for docx in folder.glob("*.docx"):
        pdf_words = set(re.findall(r"\w+", " ".join(_pages(docx.with_suffix(".pdf")))))
        source = Document(str(docx))
        words = {
            word
            for table in source.tables
            for row in table.rows
            for cell in row.cells
            for word in re.findall(r"[\w\u00ad]+", cell.text)
            if len(word) > 3 and not word.isdigit()
        }
        broken = sorted(w for w in words if not _unbroken(w, pdf_words))
        assert not broken, f"{docx.name}: delade ord {broken[:10]}"


def test_workbook_prints_at_seventy_percent_or_more_without_overlapping_rows(
    folder: Path,
) -> None:
    workbook = load_workbook(next(folder.glob("*.xlsx")))
    for ws in workbook.worksheets:
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            scale = PRINT_WIDTH_CHARS / sheet_width(ws) * 100
        else:
            scale = ws.page_setup.scale or 100
        assert scale >= MIN_SCALE, ws.title
        written = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
        fit_row_heights(ws)  # what the wrapped text needs
        for row, needed in ((r, d.height) for r, d in ws.row_dimensions.items() if d.height):
            assert written.get(row, 0) >= needed, (ws.title, row)


def test_no_os_user_no_product_name_and_names_filled_in(folder: Path) -> None:
    for pdf in folder.glob("*.pdf"):
        text = "\n".join(_pages(pdf))
        assert "root" not in text.split(), pdf.name
        assert "riskmotor" not in text.lower(), pdf.name
        assert "[namn]" not in text, pdf.name
    report = "\n".join(_pages(next(folder.glob("tjansteutlatande*.pdf"))))
    assert "Erik Holm, kvalitetsutvecklare" in report
    assert "Anna Lindqvist" in report  # the förvaltningschef, from the risk analysis
    assert "Tertial 2" in report  # the full plan in the landscape appendix
