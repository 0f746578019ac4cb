"""Avvikelser on a real database: idempotent import, refused and partial imports, the demo
file's known figures, traceability to rows, evidence links, and the pinned CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from riskmotor.catalogs import DEFAULT_CATALOG_DIR, Catalog
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, deviations, organisation, workshop
from tests.unit.test_deviations import HAND_BUILT, csv_file

UowFactory = Callable[..., UnitOfWork]
DEMO_FILE = DEFAULT_CATALOG_DIR / "exempeldata" / "avvikelser-2023.csv"
# How the demo file was built (Norrtälje 2023's proportions, DOMAIN.md).
DEMO_COUNTS = {
    "lex_sarah": 110,
    "personuppgiftsincident": 35,
    "synpunkt_klagomal": 19,
    "ovrig": 227,
    "ej_avvikelse": 24,
}
DEMO_BY_TERTIAL = {"2023-T1": 112, "2023-T2": 115, "2023-T3": 164}  # deviations only


def demo_rows() -> list[dict[str, str]]:
    """The demo file read with the csv module, independently of riskmotor's reader."""
    return list(csv.DictReader(io.StringIO(DEMO_FILE.read_text("utf-8")), delimiter=";"))


@pytest.fixture
def namnd_id(uow_factory: UowFactory) -> int:
    namnd = organisation.create_namnd(uow_factory(), "Testkommun", "Socialnämnden")
    assert namnd.id is not None
    return namnd.id


def import_bytes(
    uow_factory: UowFactory,
    catalog: Catalog,
    namnd_id: int,
    content: bytes,
    name: str = "avvikelser.csv",
    *,
    skip_bad_rows: bool = False,
) -> deviations.ImportReport:
    return deviations.import_deviations(
        uow_factory(), catalog, namnd_id, content, name, skip_bad_rows=skip_bad_rows
    )


def test_reimport_adds_nothing_in_any_order_or_file(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    first = import_bytes(uow_factory, catalog, namnd_id, csv_file(*HAND_BUILT))
    assert (first.imported, first.duplicates, first.rejected) == (10, 0, [])
    again = import_bytes(uow_factory, catalog, namnd_id, csv_file(*HAND_BUILT))
    assert (again.imported, again.duplicates) == (0, 10)
    shuffled = csv_file(*reversed(HAND_BUILT), "11;2023-12-01;Vuxen;Vuxenenheten;Övrigt;;;;Ny")
    mixed = import_bytes(uow_factory, catalog, namnd_id, shuffled, "december.csv")
    assert (mixed.imported, mixed.duplicates) == (1, 10)
    assert deviations.summary(uow_factory(), catalog, namnd_id, 2023).total == 11


def test_bad_rows_refuse_the_file_unless_the_good_rows_are_chosen(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    content = csv_file(*HAND_BUILT[:3], "4;2023-13-01;A;E;Tillbud;;;;", *HAND_BUILT[4:])
    refused = import_bytes(uow_factory, catalog, namnd_id, content)
    assert refused.refused and refused.imported == 0
    assert [(r.row, "Datum" in r.reason, "Tillbud" in r.reason) for r in refused.rejected] == [
        (5, True, True)
    ]
    assert deviations.years(uow_factory(), namnd_id) == []  # nothing stored

    partial = import_bytes(uow_factory, catalog, namnd_id, content, skip_bad_rows=True)
    assert (partial.imported, partial.duplicates, partial.refused) == (9, 0, False)
    assert partial.as_dict()["rejected"] == [{"row": 5, "reason": refused.rejected[0].reason}]
    assert deviations.summary(uow_factory(), catalog, namnd_id, 2023).total == 9


def test_demo_file_summary_gives_the_known_numbers(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    report = deviations.import_deviations(
        uow_factory(), catalog, namnd_id, DEMO_FILE, DEMO_FILE.name
    )
    assert (report.imported, report.duplicates, report.rejected) == (415, 0, [])
    data = deviations.summary(uow_factory(), catalog, namnd_id, 2023).to_json()
    assert data["total"] == 415 and data["deviations"] == 391
    assert data["by_category"] == DEMO_COUNTS
    assert data["shares"] == {
        "lex_sarah": 110 / 391,
        "personuppgiftsincident": 35 / 391,
        "synpunkt_klagomal": 19 / 391,
        "ovrig": 227 / 391,
    }
    assert round(100 * data["shares"]["lex_sarah"]) == 28  # Norrtälje: 28 %
    assert round(100 * data["shares"]["personuppgiftsincident"]) == 9  # 9 %
    assert round(100 * data["shares"]["ovrig"]) == 58  # 58 %
    assert data["ivo_share"] == 21 / 110 and round(100 * data["ivo_share"]) == 19
    assert data["imy_share"] == 6 / 35
    total_row = data["table"][-1]
    assert total_row["level"] == "totalt" and total_row["total"] == 415
    assert {k: total_row[k] for k in DEMO_COUNTS} == DEMO_COUNTS
    enhet_rows = [r for r in data["table"] if r["level"] == "enhet"]
    expected = {}
    for row in demo_rows():
        expected[row["Enhet"]] = expected.get(row["Enhet"], 0) + 1
    assert {r["enhet"]: r["total"] for r in enhet_rows} == expected
    for avdelning in {r["avdelning"] for r in enhet_rows}:
        subtotal = next(
            r for r in data["table"] if r["level"] == "avdelning" and r["avdelning"] == avdelning
        )
        assert subtotal["total"] == sum(
            r["total"] for r in enhet_rows if r["avdelning"] == avdelning
        )


def test_demo_trend_rises_in_the_third_tertial(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    deviations.import_deviations(uow_factory(), catalog, namnd_id, DEMO_FILE, DEMO_FILE.name)
    tertials = deviations.tertial_counts(uow_factory(), catalog, namnd_id, 2023)
    per_tertial: dict[str, int] = {}
    for row in tertials:
        if row.is_deviation:
            per_tertial[row.period] = per_tertial.get(row.period, 0) + row.count
    assert per_tertial == DEMO_BY_TERTIAL
    comparison = deviations.compare_periods(uow_factory(), catalog, namnd_id, "2023-T2", "2023-T3")
    assert (comparison.n1, comparison.n2, comparison.days1, comparison.days2) == (
        115,
        164,
        123,
        122,
    )
    assert comparison.significant and "ökade från 29 till 41" in comparison.sentence
    lex_sarah = deviations.compare_periods(
        uow_factory(), catalog, namnd_id, "2023-T1", "2023-T3", "lex_sarah"
    )
    assert (lex_sarah.n1, lex_sarah.n2) == (30, 50)
    assert lex_sarah.sentence.startswith("Antalet lex Sarah-rapporter per månad")
    months = deviations.monthly_counts(uow_factory(), catalog, namnd_id, 2023)
    assert sum(r.count for r in months) == 415 and len({r.period for r in months}) == 12
    with pytest.raises(InvalidInputError, match="överlappar"):
        deviations.compare_periods(uow_factory(), catalog, namnd_id, "2023", "2023-T3")


def test_cell_rows_trace_to_file_and_row_and_hide_free_text(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    deviations.import_deviations(uow_factory(), catalog, namnd_id, DEMO_FILE, DEMO_FILE.name)
    data = deviations.summary(uow_factory(), catalog, namnd_id, 2023).to_json()
    cell = next(r for r in data["table"] if r["enhet"] == "Utredningsenheten barn och unga")
    rows = deviations.export_rows(
        uow_factory(),
        namnd_id,
        2023,
        avdelning=cell["avdelning"],
        enhet=cell["enhet"],
        category="lex_sarah",
    )
    assert len(rows) == cell["lex_sarah"]
    assert all("Beskrivning" not in row for row in rows)
    source = demo_rows()
    for row in rows:
        original = source[row["Rad"] - 2]  # row 1 is the header
        assert row["Fil"] == DEMO_FILE.name
        assert (original["Datum"], original["Enhet"], original["Kategori"]) == (
            row["Datum"],
            row["Enhet"],
            row["Kategori i filen"],
        )
    with_text = deviations.export_rows(
        uow_factory(), namnd_id, 2023, category="lex_sarah", include_description=True
    )
    assert len(with_text) == 110
    assert all(row["Beskrivning"] == source[row["Rad"] - 2]["Beskrivning"] for row in with_text)


@pytest.fixture
def analysis_id(uow_factory: UowFactory, catalog: Catalog, namnd_id: int) -> int:
    analysis = workshop.create_analysis(uow_factory(), catalog, namnd_id, 2024)
    assert analysis.id is not None
    deviations.import_deviations(uow_factory(), catalog, namnd_id, DEMO_FILE, DEMO_FILE.name)
    return analysis.id


def test_cause_group_link_is_evidence_for_a_risk(
    uow_factory: UowFactory, catalog: Catalog, analysis_id: int
) -> None:
    risk = workshop.add_risk(
        uow_factory(), catalog, {"analysis_id": analysis_id, "title": "Hög arbetsbelastning"}
    )
    [link] = deviations.link_to_risk(
        uow_factory(), risk.id, cause_group="hög  ARBETSBELASTNING", note="Från analysen"
    )
    assert link.cause_group == "Hög arbetsbelastning"
    members = [r for r in demo_rows() if r["Orsak"] == "Hög arbetsbelastning"]
    evidence = deviations.risk_evidence(uow_factory(), catalog, risk.id)
    assert evidence.total == len(members)
    assert sum(evidence.by_category.values()) == len(members)
    assert evidence.by_category["lex_sarah"] == sum(
        r["Kategori"]
        in ("Lex Sarah", "Missförhållande", "lex sarah-rapport", "Risk för missförhållande")
        for r in members
    )
    third = sum(r["Datum"] >= "2023-09-01" for r in members)
    assert evidence.by_tertial["2023-T3"] == third
    assert evidence.trend is not None and evidence.trend.second == "2023-T3"
    assert evidence.trend.n2 == third
    entries = audit.audit_log(uow_factory(), analysis_id=analysis_id, entity="deviation_link")
    assert [(e.action, e.actor) for e in entries] == [("create", "testare")]
    with pytest.raises(DuplicateError, match="redan kopplad"):
        deviations.link_to_risk(uow_factory(), risk.id, cause_group="Hög arbetsbelastning")
    with pytest.raises(InvalidInputError, match="inga avvikelser med orsaken"):
        deviations.link_to_risk(uow_factory(), risk.id, cause_group="Finns inte")


def test_single_deviations_can_be_linked(
    uow_factory: UowFactory, catalog: Catalog, analysis_id: int, namnd_id: int
) -> None:
    risk = workshop.add_risk(uow_factory(), catalog, {"analysis_id": analysis_id, "title": "R"})
    with uow_factory() as uow:
        ids = [d.id for d in uow.deviations.for_namnd(namnd_id)[:3]]
    created = deviations.link_to_risk(uow_factory(), risk.id, deviation_ids=[*ids, ids[0]])
    assert [link.deviation_id for link in created] == ids
    assert deviations.risk_evidence(uow_factory(), catalog, risk.id).total == 3
    with pytest.raises(InvalidInputError, match="finns inte"):
        deviations.link_to_risk(uow_factory(), risk.id, deviation_ids=[10**6])
    with pytest.raises(InvalidInputError, match="antingen"):
        deviations.link_to_risk(uow_factory(), risk.id)


def test_new_risk_from_a_pattern(
    uow_factory: UowFactory, catalog: Catalog, analysis_id: int
) -> None:
    risk = deviations.create_risk_from_pattern(
        uow_factory(), catalog, analysis_id, "Bristande dokumentation", "Brister i dokumentationen"
    )
    assert risk.source.value == "avvikelse" and risk.causes == "Bristande dokumentation"
    members = [r for r in demo_rows() if r["Orsak"] == "Bristande dokumentation"]
    assert f"{len(members)} avvikelser" in risk.description
    evidence = deviations.risk_evidence(uow_factory(), catalog, risk.id or 0)
    assert evidence.total == len(members) and evidence.cause_groups == ["Bristande dokumentation"]
    [view] = workshop.list_risks(uow_factory(), catalog, analysis_id)
    assert view.source == "avvikelse"
    with pytest.raises(DuplicateError):
        deviations.create_risk_from_pattern(
            uow_factory(), catalog, analysis_id, "Brister i rutin", "Brister i dokumentationen"
        )
    assert len(workshop.list_risks(uow_factory(), catalog, analysis_id)) == 1  # all or nothing


def riskmotor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskmotor.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "RISKMOTOR_USER": "cli-test", "HOME": str(Path.home())},
    )


def test_cli_import_and_summary(db_url: str, tmp_path: Path) -> None:
    assert riskmotor("demo", "--db", db_url).returncode == 0  # loads the demo deviations
    common = ["--db", db_url, "--namnd", "Socialnämnden"]
    again = riskmotor("deviations", "import", *common, str(DEMO_FILE), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {
        "imported": 0,
        "duplicates": 415,
        "rejected": [],
        "personal_data": [],
    }

    summary = riskmotor("deviations", "summary", *common, "--year", "2023", "--json")
    assert summary.returncode == 0, summary.stderr
    data = json.loads(summary.stdout)
    assert (data["total"], data["deviations"], data["by_category"]) == (415, 391, DEMO_COUNTS)
    assert set(data["shares"]) == set(DEMO_COUNTS) - {"ej_avvikelse"}
    assert (data["ivo_share"], data["imy_share"]) == (21 / 110, 6 / 35)
    assert all(set(row) >= {"avdelning", "enhet", "total", *DEMO_COUNTS} for row in data["table"])

    bad = tmp_path / "avvikelser-2024.csv"
    bad.write_bytes(csv_file("1;2024-01-10;A;E;Lex Sarah;IVO;;;", "2;2024-01-11;A;E;Tillbud;;;;"))
    refused = riskmotor("deviations", "import", *common, str(bad), "--json")
    assert refused.returncode == 1 and "--skip-bad-rows" in refused.stderr
    assert json.loads(refused.stdout)["rejected"][0]["row"] == 3
    assert json.loads(refused.stdout)["imported"] == 0
    skipped = riskmotor("deviations", "import", *common, str(bad), "--skip-bad-rows", "--json")
    assert skipped.returncode == 0
    assert json.loads(skipped.stdout)["imported"] == 1
    year_2024 = riskmotor("deviations", "summary", *common, "--year", "2024", "--json")
    assert json.loads(year_2024.stdout)["by_category"]["lex_sarah"] == 1

    unknown = riskmotor("deviations", "summary", "--db", db_url, "--namnd", "X", "--year", "1")
    assert unknown.returncode == 1 and unknown.stderr.startswith("Fel: Nämnden 'X' finns inte")


def test_cli_links_a_cause_group(db_url: str) -> None:
    assert riskmotor("demo", "--db", db_url).returncode == 0
    listed = riskmotor(
        "risks", "list", "--db", db_url, "--namnd", "Socialnämnden", "--year", "2027", "--json"
    )
    risk_id = json.loads(listed.stdout)[0]["id"]
    linked = riskmotor(
        "deviations", "link", "--db", db_url, "--risk-id", str(risk_id), "--cause",
        "Brister i rutin", "--json",
    )  # fmt: skip
    assert linked.returncode == 0, linked.stderr
    members = [r for r in demo_rows() if r["Orsak"] == "Brister i rutin"]
    assert json.loads(linked.stdout)["total"] == len(members)
    shown = riskmotor("deviations", "evidence", "--db", db_url, "--risk-id", str(risk_id))
    assert f"{len(members)} kopplade avvikelser" in shown.stdout


# --- bulk import --------------------------------------------------------------------------


def generated_export(rows: int, *, bad_row: int | None = None) -> bytes:
    """``rows`` distinct reports (the hand-built ones with new ids and dates); row number
    ``bad_row`` (as the user counts, header = 1) gets an impossible date."""
    lines = []
    for number in range(rows):
        template = HAND_BUILT[number % len(HAND_BUILT)].split(";")
        template[0] = f"B-{number:06d}"
        template[1] = f"2023-{number % 12 + 1:02d}-{number % 28 + 1:02d}"
        if bad_row is not None and number + 2 == bad_row:
            template[1] = "2023-02-30"
        lines.append(";".join(template))
    return csv_file(*lines)


def import_audit(uow_factory: UowFactory, namnd_id: int) -> list[dict[str, object]]:
    entries = audit.audit_log(uow_factory(), entity="deviation_import", entity_id=namnd_id)
    return [json.loads(entry.new or "{}") for entry in entries]


def test_bulk_import_writes_one_audit_entry_with_the_file_hash_and_counts(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    content = generated_export(3000, bad_row=1500)
    report = import_bytes(uow_factory, catalog, namnd_id, content, "stor.csv", skip_bad_rows=True)
    assert (report.imported, report.duplicates, len(report.rejected)) == (2999, 0, 1)
    assert import_audit(uow_factory, namnd_id) == [
        {
            "fil": "stor.csv",
            "sha256": hashlib.sha256(content).hexdigest(),
            "nya": 2999,
            "dubbletter": 0,
            "avvisade": 1,
            "personnummer_ersatta": 0,
        }
    ]
    # No audit row per report: the log holds the organisation's rows and the one import entry.
    assert not audit.audit_log(uow_factory(), entity="deviation", limit=10)
    with uow_factory() as uow:
        assert len(uow.deviations.fingerprints(namnd_id)) == 2999

    again = import_bytes(uow_factory, catalog, namnd_id, content, "igen.csv", skip_bad_rows=True)
    assert (again.imported, again.duplicates) == (0, 2999)
    assert [(e["fil"], e["nya"], e["dubbletter"]) for e in import_audit(uow_factory, namnd_id)] == [
        ("igen.csv", 0, 2999),
        ("stor.csv", 2999, 0),
    ]


def test_a_rejected_row_in_all_or_nothing_mode_writes_nothing(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    content = generated_export(3000, bad_row=2999)
    report = import_bytes(uow_factory, catalog, namnd_id, content, "stor.csv")
    assert report.refused and report.imported == 0
    assert [r.row for r in report.rejected] == [2999]
    assert "Datum" in report.rejected[0].reason
    assert deviations.years(uow_factory(), namnd_id) == []
    assert import_audit(uow_factory, namnd_id) == []


def test_concurrent_imports_of_the_same_file_report_duplicates(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int
) -> None:
    content = generated_export(2000)
    start = threading.Barrier(2)
    reports: list[deviations.ImportReport] = []
    failures: list[BaseException] = []

    def run() -> None:
        start.wait()
        try:
            reports.append(import_bytes(uow_factory, catalog, namnd_id, content))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted((r.imported, r.duplicates) for r in reports) == [(0, 2000), (2000, 0)]
    with uow_factory() as uow:
        assert len(uow.deviations.fingerprints(namnd_id)) == 2000


def test_a_collision_with_a_concurrent_writer_is_a_clear_duplicate_message(
    uow_factory: UowFactory, catalog: Catalog, namnd_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Something that stores reports without the import lock (as the demo loader does) can
    still collide on the unique fingerprint; the user is told what happened, in Swedish."""
    import_bytes(uow_factory, catalog, namnd_id, csv_file(*HAND_BUILT))
    # As if the other writer committed after this import read the stored fingerprints.
    monkeypatch.setattr(
        "riskmotor.persistence.repositories.DeviationRepository.fingerprints",
        lambda self, namnd_id: set(),
    )
    with pytest.raises(DuplicateError, match="sparades samtidigt av någon annan"):
        import_bytes(uow_factory, catalog, namnd_id, csv_file(*HAND_BUILT))
    assert deviations.summary(uow_factory(), catalog, namnd_id, 2023).total == 10
