"""End to end: the Export page makes the workbook and the browser downloads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, plan, workshop
from tests.conftest import shared_catalog
from tests.e2e.conftest import assert_no_exception, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", autouse=True)
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Runs before the module's server starts, so its exports land in a scratch folder."""
    folder = tmp_path_factory.mktemp("exporter")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RISKMOTOR_EXPORT_DIR", str(folder))
        yield folder


def test_export_page_downloads_the_workbook(
    server: tuple[str, str], page: Page, tmp_path: Path, export_dir: Path
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    plan.propose(uow(), shared_catalog(), analysis.namnd_id, demo.DEMO_YEAR)

    open_page(page, base, "export")
    assert_no_exception(page, "export")
    assert not list(export_dir.iterdir())  # nothing is made by opening the page
    with page.expect_download() as info:  # one click: made and downloaded
        # A download made on click reruns nothing (on_click="ignore"): no script run to await.
        page.get_by_role("button", name="Ladda ned Excelfilen").click()
    download = info.value
    assert download.suggested_filename == "internkontrollplan-socialnamnden-2027.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    assert workbook.sheetnames[:5] == [
        "Sammanfattning",
        "Internkontrollplan",
        "Behandlingsplaner",
        "Riskanalys",
        "Riskmatris",
    ]
    assert (export_dir / download.suggested_filename).is_file()
