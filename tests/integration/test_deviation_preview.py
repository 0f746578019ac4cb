"""The Avvikelser preview (issue 15): the counts it states before importing are the counts
the import then reports — new, already imported (duplicates) and rejected."""

from __future__ import annotations

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.services import deviations
from tests.integration.test_deviations import UowFactory, namnd_id
from tests.unit.test_deviations import HAND_BUILT, csv_file

__all__ = ["namnd_id"]  # fixture used below

BAD_ROW = "12;2023-05-02;Vuxen;E;Tillbud;;;;"
NEW_ROW = "11;2023-12-01;Vuxen;Vuxenenheten;Övrigt;;;;Ny"


@pytest.mark.parametrize(
    ("already", "uploaded", "expected"),
    [
        ((), csv_file(*HAND_BUILT), (10, 0, 0)),
        (HAND_BUILT, csv_file(*HAND_BUILT), (0, 10, 0)),
        (HAND_BUILT[:5], csv_file(*HAND_BUILT, NEW_ROW, BAD_ROW), (6, 5, 1)),
        ((), csv_file(*HAND_BUILT[:3], *HAND_BUILT[:3]), (3, 3, 0)),  # repeated in the file
    ],
    ids=["all-new", "all-imported", "mixed-with-a-bad-row", "repeated-within-the-file"],
)
def test_the_preview_states_what_the_import_does(
    uow_factory: UowFactory,
    catalog: Catalog,
    namnd_id: int,
    already: tuple[str, ...],
    uploaded: bytes,
    expected: tuple[int, int, int],
) -> None:
    if already:
        deviations.import_deviations(
            uow_factory(), catalog, namnd_id, csv_file(*already), "tidigare.csv"
        )
    preview = deviations.preview_import(uow_factory(), catalog, namnd_id, uploaded, "ny.csv")
    assert (preview.new, preview.duplicates, len(preview.rejected)) == expected
    assert preview.rows == sum(expected)
    report = deviations.import_deviations(
        uow_factory(), catalog, namnd_id, uploaded, "ny.csv", skip_bad_rows=True
    )
    assert (report.imported, report.duplicates, len(report.rejected)) == expected
