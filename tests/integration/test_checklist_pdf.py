"""The egenkontroll checklist as the reviewer prints it: converted to PDF by LibreOffice once
and read back with poppler (pdftotext, pdfinfo).

Without LibreOffice the tests skip, unless RISKMOTOR_REQUIRE_PDF=1 (set in CI) makes that a
failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, datetime

import pytest

from riskmotor.catalogs import load_catalog
from riskmotor.export.pdf import convert
from riskmotor.export.xlsx.checklist import (
    ChecklistCase,
    ChecklistControl,
    ChecklistPlan,
    write_checklist,
)

TOOLS = ("soffice", "pdftotext", "pdfinfo")
NAMND = "Socialnämnden"
CONTROL_KEYS = ("delaktighet", "kommunicering", "utredningstid_barn")
STRATA = {
    "Barn och unga": ("Utredning barn", "Förhandsbedömning"),
    "Ekonomiskt bistånd": ("Ekonomiskt bistånd", "Nybesök"),
    "Vuxen och missbruk": ("Utredning vuxen", "LVM-utredning"),
}
PER_STRATUM = 20


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} saknas (LibreOffice och poppler behövs för PDF-testerna)"
    if os.environ.get("RISKMOTOR_REQUIRE_PDF") == "1":
        pytest.fail(reason + " men RISKMOTOR_REQUIRE_PDF=1")
    pytest.skip(reason)


def _cases(first: int) -> list[ChecklistCase]:
    cases: list[ChecklistCase] = []
    for unit, kinds in STRATA.items():
        for index in range(PER_STRATUM):
            number = first + len(cases)
            closed = date(2027, 1 + index % 4, 1 + index)
            cases.append(ChecklistCase(f"SN-{number}", unit, closed, kinds[index % 2], "Anna"))
    return cases


def _plan() -> ChecklistPlan:
    return ChecklistPlan(
        title="Aktgranskning av utredningar",
        namnd=NAMND,
        period="2027-T1",
        confidence=0.95,
        tolerable_rate=0.05,
        expected_rate=0.0,
        method="hypergeometric",
        sample_size=PER_STRATUM,
        allowed_deviations=0,
        seed=20270501,
        population_size=300,
        strata={
            "Barn och unga": (111, 20),
            "Ekonomiskt bistånd": (91, 20),
            "Vuxen och missbruk": (98, 20),
        },
        numpy_version="2.1.0",
        case_list_sha256="ab" * 32,
        created_at=datetime(2027, 5, 3, 9, 0),
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The pages of the printed checklist, as text (one conversion for the module)."""
    _require_tools()
    catalog = load_catalog()
    controls = [
        ChecklistControl(c.key, c.name, c.question, tuple(c.applies_to))
        for c in map(catalog.control_activity, CONTROL_KEYS)
    ]
    path = tmp_path_factory.mktemp("checklista") / "checklista.xlsx"
    write_checklist(path, _plan(), _cases(1000), _cases(2000)[:12], controls)
    result = convert([path])
    assert result.files, result.message
    pdf = result.files[0]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    printed = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(printed) == count
    return printed


def test_every_page_names_the_namnd_the_kontrollmoment_and_its_page_number(
    pages: list[str],
) -> None:
    assert len(pages) >= 4  # cover, the sample over several pages, reserve, questions
    for number, page in enumerate(pages, start=1):
        assert f"sida {number} av {len(pages)}" in page, number
        assert NAMND in page, number
        for name in ("Delaktighet", "Kommunicering", "Skäliga utredningstider"):
            assert name in page, (number, name)


def test_every_case_page_has_the_id_column_and_one_case_per_row(pages: list[str]) -> None:
    case_pages = [p for p in pages if re.search(r"^\s*(Stickprov|Reserv)\s+sida", p, re.M)]
    assert len(case_pages) >= 3
    printed_ids: list[str] = []
    for page in case_pages:
        assert "Ärende-id" in page
        rows = re.findall(r"^\s*(?:\d+\s+)?(SN-\d{4})\s", page, re.M)
        assert rows, page[:200]
        printed_ids += rows
    # Every case exactly once, each on a line of its own with its facts beside it.
    assert sorted(printed_ids) == sorted(
        [c.case_id for c in _cases(1000)] + [c.case_id for c in _cases(2000)[:12]]
    )


def test_the_cover_states_n_per_stratum_and_in_total(pages: list[str]) -> None:
    cover = pages[0]
    assert re.search(r"Stickprov per stratum \(högst\)\s+20\b", cover)
    assert re.search(r"Stickprovets storlek totalt \(n\)\s+60\b", cover)
    assert re.search(r"Populationens storlek \(N\)\s+300\b", cover)
    assert re.search(r"Totalt\s+300\s+60\b", cover)
