"""The workbook's table helper and the cited legal references."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from riskmotor.catalogs import Catalog
from riskmotor.export.workbook import Col, styled_table
from riskmotor.services.exports import legal_labels, slug

TRICKY = ["=1+1", "+46 70", "-2", "@SUM(A1)", "\tTabb", "\rRetur", "Vanlig text"]


def _round_trip(rows: list[list[object]]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    styled_table(ws, 1, "Test", [Col("Text"), Col("Tal")], rows, drop_downs={"Text": ["a", "b"]})
    buffer = io.BytesIO()
    wb.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_formula_like_text_is_stored_as_text() -> None:
    ws = _round_trip([[text, 1] for text in TRICKY]).active
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    # An XML reader may turn a carriage return into a line feed; it stays text all the same.
    assert [c.value.replace("\r", "\n") for c in cells] == [t.replace("\r", "\n") for t in TRICKY]


def test_table_has_header_filter_and_drop_down() -> None:
    ws = _round_trip([["a", 1], ["b", 2]]).active
    table = ws.tables["Test"]
    assert table.ref == "A1:B3" and table.autoFilter is not None
    assert ws.data_validations.dataValidation[0].formula1 == '"a,b"'


def test_an_empty_table_still_has_one_data_row_for_excel() -> None:
    assert _round_trip([]).active.tables["Test"].ref == "A1:B2"


def test_unverified_references_are_marked(catalog: Catalog) -> None:
    labels = legal_labels(catalog)
    # Verified in catalogs/riskmallar.yaml:
    assert labels["kl_internal_control"] == "Kommunallagen (2017:725) 6 kap. 6 §"
    assert labels["sosfs_self_inspection"] == "SOSFS 2011:9 5 kap. 2 §"
    # Not in the catalog at all, so not presented as settled law:
    assert labels["sosfs_quality_report"] == "SOSFS 2011:9 7 kap. 1 § (ej verifierad)"


@pytest.mark.parametrize(
    ("text", "expected"), [("Socialnämnden", "socialnamnden"), ("Vård & omsorg", "vard-omsorg")]
)
def test_file_names_are_plain_ascii(text: str, expected: str) -> None:
    assert slug(text) == expected
