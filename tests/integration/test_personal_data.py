"""Personal data never survives an import: scan the database, the exports and the CLI output.

The corpus in tests/data/personal_data/ (made by tests/personal_data_corpus.py) puts fake
personnummer and samordningsnummer in every column of a case list and a deviation export.
After importing them through the services and the CLI, none of the numbers may be found, in
any spelling, in the database (SQLite file bytes; every table on PostgreSQL), the checklist
workbook or any command's output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from riskmotor.catalogs import Catalog
from riskmotor.imports import HostileInputError, KeyLocation
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, deviations, egenkontroll, pseudonym_key
from tests.personal_data_corpus import FILES, FOLDER, NUMBERS

UowFactory = Callable[..., UnitOfWork]
NEEDLES = sorted({form for number in NUMBERS for form in number.forms()})


def hits(blob: str | bytes) -> list[str]:
    """The spellings of corpus numbers found in ``blob`` (the list itself is safe to print)."""
    if isinstance(blob, bytes):
        return [n for n in NEEDLES if n.encode() in blob or n.encode("utf-16-le") in blob]
    return [n for n in NEEDLES if n in blob]


def file_hits(path: Path) -> list[str]:
    raw = path.read_bytes()
    if zipfile.is_zipfile(path):  # xlsx: the text is in compressed XML members
        with zipfile.ZipFile(path) as archive:
            return sorted({h for name in archive.namelist() for h in hits(archive.read(name))})
    return hits(raw)


def database_hits(db_url: str, tmp_path: Path) -> list[str]:
    if db_url.startswith("sqlite"):
        return sorted({h for p in tmp_path.glob("riskmotor.db*") for h in hits(p.read_bytes())})
    found: set[str] = set()
    with engine_for(db_url).connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                found.update(hits(repr(tuple(row))))
    return sorted(found)


def cli(*args: str, key_file: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "RISKMOTOR_USER": "pn-test",
        "RISKMOTOR_PSEUDONYM_KEY_FILE": str(key_file),
    }
    return subprocess.run(
        [sys.executable, "-m", "riskmotor.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def test_the_committed_corpus_is_what_the_generator_makes() -> None:
    for name, make in FILES.items():
        assert (FOLDER / name).read_bytes() == make(), "kör python -m tests.personal_data_corpus"


def test_every_spelling_in_the_corpus_is_a_valid_number() -> None:
    from riskmotor.imports import is_personnummer
    from tests.personal_data_corpus import spellings

    assert all(is_personnummer(s) for s in spellings())
    assert hits((FOLDER / "arendelista.csv").read_bytes())  # the scan can find them


def _plan(uow_factory: UowFactory, catalog: Catalog) -> tuple[int, int]:
    namnd_id = demo.load_demo(uow_factory(), catalog).namnd_id
    plan = egenkontroll.plan_egenkontroll(
        uow_factory(),
        catalog,
        {
            "namnd_id": namnd_id,
            "year": 2027,
            "name": "Aktgranskning",
            "control_keys": ["delaktighet", "kommunicering"],
            "confidence": 0.95,
            "tolerable_rate": 0.05,
            "expected_rate": 0.0,
            "reserve_size": 2,
            "stratify_by_unit": True,
        },
    )
    assert plan.id is not None
    return namnd_id, plan.id


def test_no_personnummer_survives_import_export_or_output(
    db_url: str, uow_factory: UowFactory, catalog: Catalog, tmp_path: Path
) -> None:
    key = KeyLocation(tmp_path / "pseudonym.key")
    pseudonymiser = pseudonym_key.open_key(uow_factory(), key)
    namnd_id, plan_id = _plan(uow_factory, catalog)
    outputs: list[str] = []

    report = deviations.import_deviations(
        uow_factory(),
        catalog,
        namnd_id,
        FOLDER / "avvikelser.csv",
        "avvikelser.csv",
        skip_bad_rows=True,
        pseudonymiser=pseudonymiser,
    )
    assert report.imported == 7 and len(report.rejected) == 3
    found = {(f.row, f.column) for f in report.personal_data}
    assert {
        (2, "Avdelning"),
        (3, "Enhet"),
        (4, "Orsak"),
        (5, "Process"),
        (7, "Avvikelse-id"),
    } <= found
    assert {(6, "Beskrivning"), (9, "Datum"), (10, "Kategori"), (11, "Allvarlig")} <= found
    outputs.append(json.dumps(report.to_json()))

    for name in ("arendelista.csv", "arendelista-cp1252.csv"):
        case_list = egenkontroll.read_case_list(FOLDER / name, name, pseudonymiser)
        # Three more are in the Personnummer column, which pseudonymises by itself.
        assert sum(f.count for f in case_list.personal_data) == 8
        outputs.append(repr(case_list))
    workbook = FOLDER.parent / "unused.xlsx"  # the xlsx variant is built in memory
    xlsx = egenkontroll.read_case_list(
        __import__("tests.personal_data_corpus").personal_data_corpus.case_list_xlsx(),
        "arendelista.xlsx",
        pseudonymiser,
    )
    assert {(f.row, f.column) for f in xlsx.personal_data} >= {(2, "Handläggare"), (3, "Ärende-id")}
    outputs.append(repr(xlsx))
    assert not workbook.exists()

    drawn = egenkontroll.draw(
        uow_factory(),
        plan_id,
        FOLDER / "arendelista.csv",
        "arendelista.csv",
        "2027-T1",
        7,
        pseudonymiser=pseudonymiser,
        size=3,
    )
    assert drawn.id is not None
    checklist = tmp_path / "checklista-db.xlsx"
    checklist.write_bytes(
        egenkontroll.checklist_workbook(uow_factory(), catalog, drawn.id, "Socialnämnden")
    )

    common = ["--db", db_url, "--namnd", "Socialnämnden"]
    runs = [
        cli(
            "deviations",
            "import",
            *common,
            str(FOLDER / "avvikelser.csv"),
            "--json",
            "--skip-bad-rows",
            key_file=key.path,
        ),
        cli("deviations", "summary", *common, "--year", "2027", "--json", key_file=key.path),
        cli(
            "sample",
            "draw",
            str(FOLDER / "arendelista.csv"),
            "--size",
            "3",
            "--seed",
            "1",
            "--stratum",
            "enhet",
            "--json",
            "--out",
            str(tmp_path / "checklista.xlsx"),
            key_file=key.path,
        ),
        cli("key", "status", "--db", db_url, "--json", key_file=key.path),
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        outputs += [run.stdout, run.stderr]
    assert json.loads(runs[3].stdout)["matches"] is True

    assert hits("\n".join(outputs)) == []
    for path in (checklist, tmp_path / "checklista.xlsx"):
        assert file_hits(path) == [], path.name
    assert database_hits(db_url, tmp_path) == []


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("nul.csv", "rad 3, kolumn Beskrivning innehåller NUL-tecken"),
        ("binar.csv", "rad 2 innehåller tecken som varken är UTF-8"),
    ],
)
def test_hostile_bytes_are_refused_in_one_line_and_nothing_is_written(
    db_url: str, uow_factory: UowFactory, catalog: Catalog, tmp_path: Path, name: str, where: str
) -> None:
    namnd_id = demo.load_demo(uow_factory(), catalog).namnd_id
    before = deviations.years(uow_factory(), namnd_id)
    with uow_factory() as tx:
        stored = len(tx.deviations.fingerprints(namnd_id))
    with pytest.raises(HostileInputError) as refused:
        deviations.import_deviations(
            uow_factory(), catalog, namnd_id, FOLDER / name, name, skip_bad_rows=True
        )
    message = str(refused.value)
    assert "\n" not in message and where in message and name in message
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in message)
    assert hits(message) == []
    with uow_factory() as tx:
        assert len(tx.deviations.fingerprints(namnd_id)) == stored
    assert deviations.years(uow_factory(), namnd_id) == before

    run = cli(
        "deviations",
        "import",
        "--db",
        db_url,
        "--namnd",
        "Socialnämnden",
        str(FOLDER / name),
        "--skip-bad-rows",
        key_file=tmp_path / "k.key",
    )
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("Fel: Filen ")
