"""The Export page in AppTest: the three buttons write their files and offer them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from riskmotor.domain.plan import ControlPlan
from riskmotor.export import pdf
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, exports, plan, workshop
from tests.conftest import shared_catalog
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]


@pytest.fixture
def export_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "exporter"
    monkeypatch.setenv("RISKMOTOR_EXPORT_DIR", str(folder))
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    return folder


def _button(app: object, label: str) -> object:
    return next(b for b in app.button if b.label == label)  # type: ignore[attr-defined]


def _plan_for_decision(uow_for: UowFor, data: demo.DemoResult) -> ControlPlan:
    """The demo's plan sent för beslut: an approval package is made of what the nämnd gets,
    so every assessment is fastställd and every kontrollmoment has ansvarig and tidpunkt."""
    catalog = shared_catalog()
    workshop.confirm_all(uow_for(), catalog, data.analysis_id)
    created = plan.propose(uow_for(), catalog, data.namnd_id, 2027)
    for item in plan.view(uow_for(), catalog, created.id or 0).included:
        suggestion = plan.suggested_controls(catalog, item.risk)[0]
        control = {**suggestion, "responsible": "Enhetschef", "timing": "T1, T2 och T3"}
        plan.add_control(uow_for(), {"plan_risk_id": item.plan_risk.id, **control})
    return plan.submit(uow_for(), catalog, created.id or 0)


def _downloads(app: object) -> dict[str, bool]:
    """Each download button's label and whether it can be clicked."""
    return {d.proto.label: not d.proto.disabled for d in app.get("download_button")}  # type: ignore[attr-defined]


def test_one_click_per_file_and_nothing_made_on_opening(
    demo_data: demo.DemoResult, uow_for: UowFor, export_dir: Path
) -> None:
    """Each file is one download button (made when clicked, checked end to end in
    tests/e2e/test_browser_export.py); opening the page writes and logs nothing."""
    _plan_for_decision(uow_for, demo_data)
    app = open_page("export")
    assert not app.exception and not app.error
    assert _downloads(app) == {
        "Ladda ned Excelfilen": True,
        "Ladda ned beslutspaketet (zip)": True,
        "Ladda ned kvalitetsberättelsen": True,
    }
    assert not [b for b in app.button if b.label.startswith("Skapa")]  # type: ignore[attr-defined]
    assert not export_dir.exists() or not list(export_dir.iterdir())
    assert not audit.audit_log(uow_for(), entity="export")


def test_without_a_plan_only_the_kvalitetsberattelse_can_be_made(
    demo_data: demo.DemoResult, export_dir: Path
) -> None:
    app = open_page("export")
    assert _downloads(app) == {
        "Ladda ned Excelfilen": False,
        "Ladda ned beslutspaketet (zip)": False,
        "Ladda ned kvalitetsberättelsen": True,
    }
    assert any("ingen internkontrollplan" in i.value for i in app.info)


def test_the_files_the_buttons_make(
    demo_data: demo.DemoResult, uow_for: UowFor, export_dir: Path
) -> None:
    """What the buttons' callables run: the same use cases, on the same arguments."""
    submitted = _plan_for_decision(uow_for, demo_data)
    included = plan.view(uow_for(), shared_catalog(), submitted.id or 0).included
    export_dir.mkdir(parents=True, exist_ok=True)
    workbook = exports.export_excel(
        uow_for(), shared_catalog(), "Socialnämnden", 2027, export_dir / "plan.xlsx"
    )
    plan_rows = list(load_workbook(workbook)["Internkontrollplan"].iter_rows(min_row=2))
    assert len(plan_rows) == len(included)
    story = exports.export_kvalitetsberattelse(
        uow_for(), shared_catalog(), "Socialnämnden", 2027, export_dir / "k.docx"
    )
    assert "Kvalitetsberättelse 2027" in [p.text for p in Document(str(story)).paragraphs]


def test_package_zip_holds_the_folder(
    demo_data: demo.DemoResult, uow_for: UowFor, export_dir: Path
) -> None:
    _plan_for_decision(uow_for, demo_data)
    folder = export_dir / "paket"
    exports.export_package(uow_for(), shared_catalog(), "Socialnämnden", 2027, folder)
    with zipfile.ZipFile(io.BytesIO(exports.zip_folder(folder))) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in folder.iterdir())
