"""The Export page in AppTest: the three buttons write their files and offer them."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from riskmotor.domain.plan import ControlPlan
from riskmotor.export import package, pdf
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, exports, plan, workshop
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


def _downloads(app: object) -> list[str]:
    return [d.proto.label for d in app.get("download_button")]  # type: ignore[attr-defined]


def test_export_page_writes_workbook_package_and_kvalitetsberattelse(
    demo_data: demo.DemoResult, uow_for: UowFor, export_dir: Path
) -> None:
    submitted = _plan_for_decision(uow_for, demo_data)
    included = plan.view(uow_for(), shared_catalog(), submitted.id or 0).included
    app = open_page("export")

    _button(app, "Skapa Excel").click().run()  # type: ignore[attr-defined]
    assert not app.exception and not app.error
    assert _downloads(app) == ["Ladda ned Excelfilen"]
    workbook = next(export_dir.glob("*.xlsx"))
    plan_rows = list(load_workbook(workbook)["Internkontrollplan"].iter_rows(min_row=2))
    assert len(plan_rows) == len(included)  # one kontrollmoment per risk: one row each

    _button(app, "Skapa beslutspaket").click().run()  # type: ignore[attr-defined]
    assert not app.exception and not app.error
    folder = next(p for p in export_dir.iterdir() if p.name.startswith("beslutspaket-"))
    assert package.verify(folder).ok
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    shown = app.dataframe[0].value["SHA-256"].tolist()
    assert shown == [f["sha256"] for f in manifest["files"]]
    download = next(d for d in app.get("download_button") if "zip" in d.proto.label)
    assert download.proto.label == "Ladda ned beslutspaketet (zip)"

    _button(app, "Skapa kvalitetsberättelse").click().run()  # type: ignore[attr-defined]
    assert not app.exception and not app.error
    story = next(export_dir.glob("kvalitetsberattelse-*.docx"))
    assert "Kvalitetsberättelse 2027" in [p.text for p in Document(str(story)).paragraphs]
    assert len(_downloads(app)) == 3


def test_without_a_plan_only_the_kvalitetsberattelse_can_be_made(
    demo_data: demo.DemoResult, export_dir: Path
) -> None:
    app = open_page("export")
    assert _button(app, "Skapa Excel").disabled  # type: ignore[attr-defined]
    assert _button(app, "Skapa beslutspaket").disabled  # type: ignore[attr-defined]
    assert any("ingen internkontrollplan" in i.value for i in app.info)
    _button(app, "Skapa kvalitetsberättelse").click().run()  # type: ignore[attr-defined]
    assert not app.exception and not app.error
    assert list(export_dir.glob("kvalitetsberattelse-*.docx"))


def test_package_zip_holds_the_folder(
    demo_data: demo.DemoResult, uow_for: UowFor, export_dir: Path
) -> None:
    _plan_for_decision(uow_for, demo_data)
    folder = export_dir / "paket"
    exports.export_package(uow_for(), shared_catalog(), "Socialnämnden", 2027, folder)
    with zipfile.ZipFile(io.BytesIO(exports.zip_folder(folder))) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in folder.iterdir())
