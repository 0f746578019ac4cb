"""Exports on a real database: the workbook, the approval package and the kvalitetsberättelse
are read back and compared with what the database and the catalog hold."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from riskmotor.catalogs import Catalog
from riskmotor.cli import main
from riskmotor.clock import FixedClock
from riskmotor.domain.models import ChecklistAnswer
from riskmotor.domain.plan import FollowupStatus, PlanControl
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.export import package, pdf
from riskmotor.imports import Pseudonymiser
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.export import Signatories
from riskmotor.services import demo, deviations, egenkontroll, exports, plan, workshop
from tests.integration.test_egenkontroll import case_list

UowFactory = Callable[..., UnitOfWork]
NAMND, YEAR = "Socialnämnden", 2027
FORMULA_TEXT = '=HYPERLINK("http://example.invalid","klicka")'
MOTIVATION = "Återkommande avvikelser under 2026"
OPINION = "Förvaltningen bedömer att planen täcker de väsentliga riskerna."
SECRET = "Hemlig fritext om Kalle 121212-1212"
PLAN_HEADERS = [
    "Process/rutin",
    "Risk",
    "Orsak",
    "Sannolikhet",
    "Konsekvens",
    "Riskvärde",
    "Kontrollmoment",
    "Kontrollmetod",
    "Frekvens",
    "Ansvarig",
    "Rapporteras till",
    "Tidpunkt",
]
DEVIATIONS_2027 = (
    "Löpnummer;Datum;Avdelning;Enhet;Kategori;Anmäld till;Orsak;Process;Beskrivning\n"
    "AV-1;2027-02-01;Barn och familj;Utredningsenheten barn och unga;Lex Sarah;IVO;"
    f"Hög arbetsbelastning;Utredning barn och unga;{SECRET}\n"
    "AV-2;2027-03-01;Vuxen;Vuxenenheten missbruk och beroende;Övrigt;;"
    "Bristande dokumentation;Vuxen;Journal fördes inte\n"
)


@dataclass
class Setup:
    uow: UowFactory
    catalog: Catalog
    plan_id: int
    namnd_id: int
    analysis_id: int


def reviewed_sample(uow_factory: UowFactory, catalog: Catalog, namnd_id: int) -> None:
    """An egenkontroll sampling plan, a draw and a reviewed sample."""
    sampling = egenkontroll.plan_egenkontroll(
        uow_factory(),
        catalog,
        {
            "namnd_id": namnd_id,
            "year": YEAR,
            "name": "Aktgranskning utredningar",
            "control_keys": ["delaktighet"],
            "confidence": 0.95,
            "tolerable_rate": 0.05,
            "expected_rate": 0.0,
            "reserve_size": 2,
            "stratify_by_unit": False,
        },
    )
    drawn = egenkontroll.draw(
        uow_factory(),
        sampling.id or 0,
        case_list({"Enhet A": 80}),
        "a.csv",
        "2027-T1",
        7,
        pseudonymiser=Pseudonymiser(b"test-secret-for-exports-00000000"),
    )
    with uow_factory() as uow:
        for case in uow.sampled_cases.for_draw(drawn.id or 0):
            if case.role == "urval":
                uow.checklist_answers.add(
                    ChecklistAnswer(
                        draw_id=drawn.id or 0,
                        case_id=case.case_id,
                        control_key="delaktighet",
                        answer="ja",
                    )
                )
        uow.commit()


@pytest.fixture
def adopted(uow_factory: UowFactory, catalog: Catalog) -> Setup:
    """The demo data with an adopted plan, an action, egenkontroll results and a follow-up."""

    ids = demo.load_demo(uow_factory(), catalog)
    workshop.confirm_all(uow_factory(), catalog, ids.analysis_id)
    created = plan.propose(uow_factory(), catalog, ids.namnd_id, YEAR)
    excluded = next(
        v
        for v in plan.view(uow_factory(), catalog, created.id or 0).risks
        if not v.plan_risk.included
    )
    plan.set_override(uow_factory(), catalog, excluded.plan_risk.id or 0, True, MOTIVATION)
    proposal = plan.view(uow_factory(), catalog, created.id or 0)
    for index, item in enumerate(proposal.included):
        suggestion = plan.suggested_controls(catalog, item.risk)[0]
        responsible = FORMULA_TEXT if index == 0 else "Enhetschef"
        plan.add_control(
            uow_factory(),
            {
                "plan_risk_id": item.plan_risk.id,
                **suggestion,
                "responsible": responsible,
                "timing": "Tertial 2",
            },
        )
    first = proposal.included[0].plan_risk.id or 0
    plan.add_action(
        uow_factory(),
        {"plan_risk_id": first, "what": "Ny rutin", "owner": "Sara", "due_date": date(2027, 3, 31)},
    )
    plan.set_opinion(uow_factory(), created.id or 0, OPINION)
    plan.approve(uow_factory(), catalog, created.id or 0, date(2026, 12, 10), "§ 123", "SN 2026/7")
    reviewed_sample(uow_factory, catalog, ids.namnd_id)
    control = plan.view(uow_factory(), catalog, created.id or 0).included[1].controls[0]
    plan.record_control_followup(
        uow_factory(),
        catalog,
        control.id or 0,
        "2027-T1",
        status=FollowupStatus.GUL,
        result="3 av 20",
    )
    deviations.import_deviations(
        uow_factory(), catalog, ids.namnd_id, DEVIATIONS_2027.encode(), "avvikelser.csv"
    )
    return Setup(uow_factory, catalog, created.id or 0, ids.namnd_id, ids.analysis_id)


def _db_plan_rows(setup: Setup) -> list[tuple[str, int | None, str]]:
    """(risk title, risk value, kontrollmoment) of the adopted plan, straight from the tables."""
    with setup.uow() as uow:
        titles = {r.id: r.title for r in uow.risks.for_analysis(setup.analysis_id)}
        rows = []
        for plan_risk in uow.plan_risks.for_plan(setup.plan_id):
            if not plan_risk.included:
                continue
            controls: list[PlanControl | None] = [
                *uow.plan_controls.for_plan_risks([plan_risk.id or 0])
            ]
            for control in controls or [None]:
                rows.append(
                    (
                        titles[plan_risk.risk_id],
                        plan_risk.risk_value,
                        control.control_activity if control else "",
                    )
                )
    return rows


def _table_rows(ws: object) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(min_row=2, values_only=True))  # type: ignore[attr-defined]


def test_workbook_sheets_headers_and_rows_match_the_database(
    adopted: Setup, tmp_path: Path
) -> None:
    out = exports.export_excel(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "p.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Sammanfattning",
        "Internkontrollplan",
        "Behandlingsplaner",
        "Riskanalys",
        "Riskmatris",
        "Egenkontroll",
        "Uppföljning",
        "Skalor",
    ]
    sheet = wb["Internkontrollplan"]
    assert [c.value for c in sheet[1]] == PLAN_HEADERS
    rows = _table_rows(sheet)
    from_sheet = sorted(((r[1], r[5], r[6]) for r in rows), key=str)
    assert from_sheet == sorted(_db_plan_rows(adopted), key=str)
    with adopted.uow() as uow:
        risks = uow.risks.for_analysis(adopted.analysis_id)
        plan_risk_ids = [p.id or 0 for p in uow.plan_risks.for_plan(adopted.plan_id)]
        actions = uow.plan_actions.for_plan_risks(plan_risk_ids)
    analysis_rows = _table_rows(wb["Riskanalys"])
    assert sorted(r[0] for r in analysis_rows) == sorted(r.id or 0 for r in risks)
    assert [r[3] for r in _table_rows(wb["Behandlingsplaner"])] == [a.what for a in actions]
    summary = {r[0]: r[1] for r in _table_rows(wb["Sammanfattning"])}
    assert (summary["Status"], summary["Paragraf (§)"], summary["Diarienummer"]) == (
        "fastställd",
        "§ 123",
        "SN 2026/7",
    )
    # every table has a frozen, filterable header and prints landscape with a footer
    for name in ("Internkontrollplan", "Riskanalys", "Behandlingsplaner"):
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws.tables
        assert ws.page_setup.orientation == "landscape"
        assert NAMND in ws.oddFooter.left.text


def test_formula_like_user_text_stays_text(adopted: Setup, tmp_path: Path) -> None:
    out = exports.export_excel(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "p.xlsx")
    sheet = load_workbook(out)["Internkontrollplan"]
    cells = [row[9] for row in sheet.iter_rows(min_row=2) if row[9].value == FORMULA_TEXT]
    assert cells and all(c.data_type == "s" for c in cells)


def test_matrix_sheet_uses_the_catalog_colours_and_places_every_risk(
    adopted: Setup, tmp_path: Path
) -> None:
    out = exports.export_excel(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "p.xlsx")
    ws = load_workbook(out)["Riskmatris"]
    scale = adopted.catalog.scale()
    colours = {lv.key: lv.colour.lstrip("#").upper() for lv in scale.risk_levels}
    size = scale.max_likelihood
    listed: list[int] = []
    # Rows 3.. hold likelihood size..1; columns B.. consequence 1..size.
    for offset in range(size):
        likelihood = size - offset
        for consequence in range(1, scale.max_consequence + 1):
            cell = ws.cell(row=3 + offset, column=1 + consequence)
            expected = colours[scale.grid[likelihood - 1][consequence - 1]]
            assert cell.fill.fgColor.rgb[-6:] == expected
            text = str(cell.value)
            if "Id: " in text:
                listed += [int(i) for i in text.split("Id: ")[1].split(", ")]
    with adopted.uow() as uow:
        risks = uow.risks.for_analysis(adopted.analysis_id)
    assert sorted(listed) == sorted(r.id or 0 for r in risks)
    confirmed = [r for r in risks if r.assessment_confirmed]
    for risk in confirmed[:10]:
        row = 3 + size - (risk.inherent_likelihood or 0)
        cell = ws.cell(row=row, column=1 + (risk.inherent_consequence or 0))
        assert str(risk.id) in str(cell.value).split("Id: ")[1].split(", ")


def test_egenkontroll_and_followup_sheets_hold_the_results(adopted: Setup, tmp_path: Path) -> None:
    out = exports.export_excel(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "p.xlsx")
    wb = load_workbook(out)
    sampled = _table_rows(wb["Egenkontroll"])
    assert [(r[0], r[3], r[7], r[8], r[15][:12]) for r in sampled] == [
        ("Aktgranskning utredningar", "tertial 1 2027", 59, 59, "Granskningen")
    ]
    followed = _table_rows(wb["Uppföljning"])
    reported = [r for r in followed if r[5]]
    assert [(r[0], r[5], r[6]) for r in reported] == [("tertial 1 2027", "gul", "3 av 20")]
    validations = wb["Uppföljning"].data_validations.dataValidation
    assert any("grön,gul,röd" in (v.formula1 or "") for v in validations)


def test_without_a_plan_excel_asks_for_a_proposal(
    uow_factory: UowFactory, catalog: Catalog, tmp_path: Path
) -> None:

    demo.load_demo(uow_factory(), catalog)
    with pytest.raises(NotFoundError, match="riskmotor plan propose"):
        exports.export_excel(uow_factory(), catalog, NAMND, YEAR, tmp_path / "p.xlsx")


def test_package_manifest_verifies_and_fails_after_a_changed_byte(
    adopted: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    folder = tmp_path / "paket"
    report = exports.export_package(
        adopted.uow(),
        adopted.catalog,
        NAMND,
        YEAR,
        folder,
        signatories=Signatories("Erik Holm", "kvalitetsutvecklare"),
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    on_disk = sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
    assert sorted(f["name"] for f in manifest["files"]) == on_disk
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert (manifest["plan_version"], manifest["plan_status"]) == (1, "fastställd")
    assert manifest["pdf"] == "skipped: " + pdf.MISSING == report.pdf
    assert {Path(n).suffix for n in on_disk} == {
        ".docx",
        ".xlsx",
        ".png",
        ".txt",
    }  # .txt: lagrum att kontrollera
    assert package.verify(folder).ok

    workbook = next(folder.glob("*.xlsx"))
    data = bytearray(workbook.read_bytes())
    data[len(data) // 2] ^= 0x01
    workbook.write_bytes(bytes(data))
    result = package.verify(folder)
    assert not result.ok
    assert result.problems == [f"{workbook.name}: innehållet är ändrat (SHA-256 stämmer inte)."]


def test_tjansteutlatande_has_the_sections_the_matrix_and_the_plan_table(
    adopted: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    folder = tmp_path / "paket"
    exports.export_package(
        adopted.uow(),
        adopted.catalog,
        NAMND,
        YEAR,
        folder,
        signatories=Signatories("Erik Holm", "kvalitetsutvecklare"),
    )
    document = Document(str(next(folder.glob("*.docx"))))
    headings = [
        p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")
    ]
    for wanted in (
        "Förslag till beslut",
        "Sammanfattning",
        "Bakgrund",
        "Ärendet",
        "Förvaltningens synpunkter",
        "Bilagor",
    ):
        assert wanted in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{NAMND} fastställer internkontrollplan för {YEAR}" in text
    assert OPINION in text
    assert f"Ingår (manuellt beslut): {MOTIVATION}" in text
    assert "En risk har tagits med eller lämnats utanför" in text
    assert "(ej verifierad)" not in text  # unverified paragraphs stay out of the body text
    assert "riskmotor" not in text.lower()
    assert len(document.inline_shapes) == 1
    plan_table = next(t for t in document.tables if t.rows[0].cells[1].text == "Risk")
    rows = [(r.cells[1].text, int(r.cells[2].text), r.cells[3].text) for r in plan_table.rows[1:]]
    assert sorted(rows) == sorted(_db_plan_rows(adopted))
    appendix = next(t for t in document.tables if len(t.columns) == 13)
    assert [c.text.replace("\u00ad", "") for c in appendix.rows[0].cells][1:] == [
        h if h not in ("Sannolikhet", "Konsekvens") else h[0] for h in PLAN_HEADERS
    ]
    assert len(document.sections) == 2
    appendix_section = document.sections[1]
    width, height = appendix_section.page_width, appendix_section.page_height
    assert width is not None and height is not None and width > height  # landscape
    props = document.core_properties
    assert props.author == "Erik Holm" and props.created.date() == date(2026, 12, 10)
    assert "python-docx" not in (props.comments or "")
    header = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert "Erik Holm, kvalitetsutvecklare" in header and "SN 2026/7" in header
    letterhead = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert demo.DEMO_KOMMUN in letterhead and "{{" not in letterhead


def test_kvalitetsberattelse_is_filled_from_the_year_and_marks_the_gaps(
    adopted: Setup, tmp_path: Path
) -> None:
    out = exports.export_kvalitetsberattelse(
        adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "k.docx"
    )
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Under 2027 kom 2 rapporter in" in text
    assert "Aktgranskning utredningar" in cells
    assert "Erik Holm" in cells  # a demo participant
    assert SECRET not in text + cells and "121212" not in text + cells
    gaps = [
        run
        for p in document.paragraphs
        for run in p.runs
        if run.text.startswith("[Att fylla i av förvaltningen")
    ]
    assert len(gaps) >= 5  # highlighted by shading in the run properties
    assert all(run._r.find(qn("w:rPr")).find(qn("w:shd")) is not None for run in gaps)
    assert "riskmotor" not in text.lower()
    assert "tertial 1 2027" in text + cells


def test_cli_writes_verifies_and_refuses_a_tampered_package(
    adopted: Setup, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    runner = CliRunner()
    base = ["--db", db_url, "--namnd", NAMND, "--year", str(YEAR)]
    excel = runner.invoke(main, ["export", "excel", *base, "--out", str(tmp_path / "p.xlsx")])
    assert excel.exit_code == 0, excel.output
    assert load_workbook(tmp_path / "p.xlsx").sheetnames[0] == "Sammanfattning"
    folder = tmp_path / "paket"
    made = runner.invoke(main, ["export", "package", *base, "--out", str(folder), "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["pdf"].startswith("skipped: LibreOffice finns inte")
    assert runner.invoke(main, ["export", "verify", str(folder)]).exit_code == 0
    (folder / "extra.txt").write_text("ny fil", encoding="utf-8")
    refused = runner.invoke(main, ["export", "verify", str(folder)])
    assert refused.exit_code == 1 and "extra.txt" in refused.output
    story = runner.invoke(
        main, ["export", "kvalitetsberattelse", *base, "--out", str(tmp_path / "k.docx")]
    )
    assert story.exit_code == 0, story.output
    assert (tmp_path / "k.docx").stat().st_size > 0


def test_a_new_version_reports_its_changes_against_the_adopted_plan(
    adopted: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    second = plan.new_version(adopted.uow(), adopted.plan_id)
    item = plan.view(adopted.uow(), adopted.catalog, second.id or 0).included[0]
    plan.add_control(
        adopted.uow(),
        {
            "plan_risk_id": item.plan_risk.id,
            "control_activity": "Genomgång av väntelistan",
            "control_method": "genomgång",
            "frequency": "månad",
            "responsible": "Enhetschef",
            "timing": "Varje månad",
        },
    )
    with pytest.raises(InvalidInputError, match="utkast"):
        exports.export_package(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path, version=2)
    plan.submit(adopted.uow(), adopted.catalog, second.id or 0)
    folder = tmp_path / "paket"
    report = exports.export_package(adopted.uow(), adopted.catalog, NAMND, YEAR, folder)
    assert (report.header.plan_version, report.header.plan_status) == (2, "för beslut")
    document = Document(str(next(folder.glob("*v2.docx"))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Förändringar mot föregående plan" in text
    assert f"Ändrad: {item.risk.title} – nytt kontrollmoment: Genomgång av väntelistan" in text


def test_each_export_reads_its_data_in_one_transaction(
    adopted: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    opened: list[UnitOfWork] = []
    enter = UnitOfWork.__enter__

    def counting_enter(self: UnitOfWork) -> UnitOfWork:
        opened.append(self)
        return enter(self)

    monkeypatch.setattr(UnitOfWork, "__enter__", counting_enter)
    exports_run = [
        lambda: exports.export_excel(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "a"),
        lambda: exports.export_package(adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path),
        lambda: exports.export_kvalitetsberattelse(
            adopted.uow(), adopted.catalog, NAMND, YEAR, tmp_path / "k.docx"
        ),
    ]
    for run in exports_run:
        opened.clear()
        run()
        assert len(opened) == 1  # a consistent snapshot: one unit of work, entered once


def test_package_time_comes_from_the_unit_of_works_clock(
    adopted: Setup, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    instant = datetime(2027, 1, 15, 8, 30, tzinfo=UTC)
    fixed = UnitOfWork(adopted.uow().engine, "testare", FixedClock(instant))
    report = exports.export_package(fixed, adopted.catalog, NAMND, YEAR, tmp_path, new_folder=True)
    assert report.folder.parent == tmp_path
    # Named and dated by the data, not the clock.
    assert report.folder.name == "beslutspaket-socialnamnden-2027-v1-faststalld"
    assert not report.header.frozen_at.startswith("2027-01-15")
    document = Document(str(next(report.folder.glob("*.docx"))))
    header = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    # An adopted plan's documents are dated by the decision, not the clock, so a re-export
    # at another time gives the same bytes.
    assert "2026-12-10" in header
    later = UnitOfWork(adopted.uow().engine, "testare", FixedClock(instant.replace(month=3)))
    again = exports.export_package(later, adopted.catalog, NAMND, YEAR, tmp_path, new_folder=True)
    assert again.folder.name == "beslutspaket-socialnamnden-2027-v1-faststalld-2"
    for name in (n for n in report.files if n.endswith((".docx", ".xlsx"))):
        assert (report.folder / name).read_bytes() == (again.folder / name).read_bytes(), name
