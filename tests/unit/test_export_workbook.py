"""The workbook's table helper and the cited legal references."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from riskmotor.catalogs import Catalog
from riskmotor.export.legal import legal_labels, unverified_references
from riskmotor.export.package import slug
from riskmotor.export.xlsx.kit import Col, styled_table
from riskmotor.export.xlsx.safe import CellValue

TRICKY = ["=1+1", "+46 70", "-2", "@SUM(A1)", "\tTabb", "\rRetur", "Vanlig text"]


def _round_trip(rows: list[list[CellValue]]) -> Workbook:
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


def test_references_in_the_customary_form_and_unverified_ones_kept_out(
    catalog: Catalog,
) -> None:
    nbsp = "\u00a0"
    labels = legal_labels(catalog)
    # Verified in the catalog: paragraph first, the law in lower case, no line break inside.
    assert labels["kl_internal_control"] == "6 kap. 6 § kommunallagen (2017:725)".replace(" ", nbsp)
    assert labels["sosfs_self_inspection"] == "5 kap. 2 § SOSFS 2011:9".replace(" ", nbsp)
    # Not verified: the body text names only the regulation; the paragraph goes to the
    # förvaltning's checklist.
    assert "(ej verifierad)" not in "".join(labels.values())
    assert "7 kap." not in labels["sosfs_quality_report"]
    assert "7 kap. 1 § SOSFS 2011:9".replace(" ", nbsp) in unverified_references(catalog)


@pytest.mark.parametrize(
    ("text", "expected"), [("Socialnämnden", "socialnamnden"), ("Vård & omsorg", "vard-omsorg")]
)
def test_file_names_are_plain_ascii(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_an_action_marked_forsenad_is_overdue_and_the_period_end_is_the_reference() -> None:
    from datetime import date

    from riskmotor.domain.plan import ActionStatus, PlanAction, is_overdue

    marked = PlanAction(plan_risk_id=1, what="Ny rutin", status=ActionStatus.FORSENAD)
    assert is_overdue(marked, date(2027, 1, 1))  # försenad counts, whatever the date
    due = PlanAction(plan_risk_id=1, what="Ny rutin", due_date=date(2027, 3, 31))
    tertial_1_end, tertial_2_end = date(2027, 4, 30), date(2027, 8, 31)
    assert is_overdue(due, tertial_1_end) and not is_overdue(due, date(2027, 3, 31))
    assert not is_overdue(due.model_copy(update={"status": ActionStatus.KLAR}), tertial_2_end)
