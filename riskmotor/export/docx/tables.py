"""Explicit column widths for every table of a rendered document, sized to its content and
to the text width of the page it sits on.

Word and LibreOffice break a word inside a cell when the column is narrower than the word
("Kontrollm/oment"). Each column therefore gets at least the width of its longest word; the
rest of the line is shared out by how much text each column holds. A soft hyphen in a
template's header marks where a long compound may break. The estimate of a word's
width is deliberately generous (a wide sans-serif), since the printing machine may lack Arial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TWIPS_PER_POINT = 20
DEFAULT_HALF_POINTS = 20  # 10 pt when neither run nor style says otherwise
# Character widths in ems of DejaVu Sans, the widest font LibreOffice falls back to when
# Arial is missing; a character not listed counts as 0.65 em.
_EMS = {
    **dict.fromkeys("'ijlIJ", 0.29),
    **dict.fromkeys(".,:;/ ", 0.34),
    **dict.fromkeys("ft()-!", 0.4),
    **dict.fromkeys('r"', 0.46),
    **dict.fromkeys("sz”–§?", 0.53),
    **dict.fromkeys("cLkFvxyP", 0.6),
    **dict.fromkeys("aoåäöTYeébdghnpquES0123456789", 0.64),
    **dict.fromkeys("KAVÅÄBRXZC", 0.7),
    **dict.fromkeys("UHNDG&OQÖw", 0.8),
    **dict.fromkeys("×+M%mW", 1.0),
}
OTHER_EM = 0.65
BOLD_FACTOR = 1.1
CELL_MARGIN = 57  # twips (1 mm) left and right in every cell, narrower than Word's 1,9 mm
CELL_PADDING = 2 * CELL_MARGIN + 40  # both margins plus a little air


@dataclass(frozen=True)
class _Need:
    """A column's narrowest width (its longest word) and its width on one line."""

    least: float
    full: float


def _run_size(run: Any) -> int:
    size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
    return int(size.get(qn("w:val"))) if size is not None else DEFAULT_HALF_POINTS


def _text_width(text: str, half_points: int, bold: bool) -> float:
    ems = sum(_EMS.get(char, OTHER_EM) for char in text)
    width = ems * half_points / 2 * TWIPS_PER_POINT
    return width * BOLD_FACTOR if bold else width


def _cell_need(cell: Any) -> _Need:
    least = full = 0.0
    for paragraph in cell.iter(qn("w:p")):
        line = 0.0
        for run in paragraph.iter(qn("w:r")):
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            size = _run_size(run)
            bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
            for word in re.split(r"[\s\u00ad]+", text):
                least = max(least, _text_width(word, size, bold))
            line += _text_width(text, size, bold)
        full = max(full, line)
    return _Need(least + CELL_PADDING, max(full, least) + CELL_PADDING)


def column_widths(needs: list[_Need], total: int) -> list[int]:
    """Widths in twips that add up to ``total``: every column at least its longest word when
    the page allows it, the rest shared by how much more each column wants."""
    least = sum(n.least for n in needs)
    full = sum(n.full for n in needs)
    if full <= total:
        widths = [n.full * total / full for n in needs]
    elif least >= total:
        widths = [n.least * total / least for n in needs]
    else:
        spare = total - least
        wants = sum(n.full - n.least for n in needs) or 1.0
        widths = [n.least + spare * (n.full - n.least) / wants for n in needs]
    rounded = [int(w) for w in widths]
    rounded[-1] += total - sum(rounded)
    return rounded


def _table_needs(table: Any) -> list[_Need]:
    rows = table.findall(qn("w:tr"))
    columns = max((len(r.findall(qn("w:tc"))) for r in rows), default=0)
    needs = [_Need(CELL_PADDING, CELL_PADDING) for _ in range(columns)]
    for row in rows:
        for index, cell in enumerate(row.findall(qn("w:tc"))):
            need = _cell_need(cell)
            needs[index] = _Need(
                max(needs[index].least, need.least), max(needs[index].full, need.full)
            )
    return needs


def _apply(table: Any, widths: list[int]) -> None:
    tbl_pr = table.find(qn("w:tblPr"))
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        style = tbl_pr.find(qn("w:tblStyle"))
        (style.addnext if style is not None else lambda e: tbl_pr.insert(0, e))(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_w.addnext(layout)
    layout.set(qn("w:type"), "fixed")
    _cell_margins(tbl_pr, layout)
    grid = table.find(qn("w:tblGrid"))
    for old in list(grid):
        grid.remove(old)
    for width in widths:
        grid.append(_grid_col(width))
    for row in table.findall(qn("w:tr")):
        for cell, width in zip(row.findall(qn("w:tc")), widths, strict=False):
            tc_pr = cell.find(qn("w:tcPr"))
            if tc_pr is None:
                tc_pr = OxmlElement("w:tcPr")
                cell.insert(0, tc_pr)
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is None:
                tc_w = OxmlElement("w:tcW")
                tc_pr.insert(0, tc_w)
            tc_w.set(qn("w:w"), str(width))
            tc_w.set(qn("w:type"), "dxa")


def _cell_margins(tbl_pr: Any, layout: Any) -> None:
    old = tbl_pr.find(qn("w:tblCellMar"))
    if old is not None:
        tbl_pr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    layout.addnext(margins)


def _grid_col(width: int) -> Any:
    col = OxmlElement("w:gridCol")
    col.set(qn("w:w"), str(width))
    return col


def _repeat_header(table: Any) -> None:
    first = table.find(qn("w:tr"))
    if first is None:
        return
    tr_pr = first.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = OxmlElement("w:trPr")
        first.insert(0, tr_pr)
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _text_width_of(sect_pr: Any) -> int:
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))
    page = int(size.get(qn("w:w")))
    return page - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))


def _section_end(element: Any) -> Any:
    """The ``w:sectPr`` that ends a section at ``element``, if it does."""
    if element.tag == qn("w:sectPr"):
        return element
    return element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")


def fit_tables(document: DocxDocument) -> None:
    """Size every body table to its content and the text width of its own section; tables
    marked as layout grids (no borders, e.g. the heading block) are sized the same way."""
    body = document.element.body
    pending: list[Any] = []
    for child in body:
        if child.tag == qn("w:tbl"):
            pending.append(child)
            continue
        sect_pr = _section_end(child)
        if sect_pr is None:
            continue
        width = _text_width_of(sect_pr)
        for table in pending:
            _apply(table, column_widths(_table_needs(table), width))
            _repeat_header(table)
        pending = []
