"""Decision-bound approval packages (issue 11, points 3–4): a package is made from a plan
version's frozen content, re-exports to the same bytes, carries the decision in its
manifest, is registered in the database, and ``export verify`` catches every tampering —
without the database what the files themselves show, with ``--db`` also a package edited
consistently, manifest included."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskmotor.catalogs import Catalog
from riskmotor.cli import main
from riskmotor.errors import InvalidInputError
from riskmotor.export import pdf
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import deviations, exports, plan, scenarios, workshop
from tests.integration.test_adoption import DECIDED, Adopted, adopted, submitted
from tests.integration.test_exports import reviewed_sample

__all__ = ["adopted", "submitted"]  # fixtures used below

UowFactory = Callable[..., UnitOfWork]
NAMND, YEAR = "Socialnämnden", 2027
MANIFEST = "manifest.json"


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    # LibreOffice stamps each PDF with the conversion time (docs/exports.md); these tests
    # compare bytes, so the PDF step is left out.
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)


def _export(uow_factory: UowFactory, catalog: Catalog, out: Path, **kwargs: object) -> Path:
    return exports.export_package(uow_factory(), catalog, NAMND, YEAR, out, **kwargs).folder  # type: ignore[arg-type]


def _manifest(folder: Path) -> dict[str, object]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _write_manifest(folder: Path, data: dict[str, object]) -> None:
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# reproducible, decision-bound --------------------------------------------------------


def test_an_adopted_version_re_exports_byte_for_byte_after_the_analysis_changed(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted, tmp_path: Path
) -> None:
    first = _export(uow_factory, catalog, tmp_path / "a")
    risk = adopted.view.included[0].risk
    with uow_factory() as tx:
        stored = tx.risks.get(risk.id)
    workshop.update_risk(uow_factory(), catalog, stored.model_copy(update={"title": "Ny titel"}))
    plan.new_version(uow_factory(), adopted.plan_id)  # version 2, a draft
    second = _export(uow_factory, catalog, tmp_path / "b", version=1)
    assert _files(first) == _files(second)  # manifest included
    manifest = _manifest(first)
    assert manifest["plan_version"] == 1 and manifest["plan_status"] == "fastställd"
    assert manifest["dnr"] == DECIDED[2]
    assert manifest["decision"] == {"date": DECIDED[0].isoformat(), "paragraf": DECIDED[1]}
    assert manifest["content_sha256"] == adopted.view.frozen.content_sha256  # type: ignore[union-attr]
    assert str(manifest["generator"]).startswith("riskmotor ")
    with uow_factory() as tx:
        packages = tx.plan_packages.for_plan(adopted.plan_id)
        logged = tx.audit.entries(entity="plan_package")
    digest = hashlib.sha256((first / MANIFEST).read_bytes()).hexdigest()
    assert [p.package_sha256 for p in packages] == [digest, digest]
    assert {e.action for e in logged} == {"create", "export"}


DEVIATIONS = (
    "Löpnummer;Datum;Avdelning;Enhet;Kategori;Anmäld till;Orsak;Process;Beskrivning\n"
    "AV-1;2027-02-01;Barn och familj;Utredningsenheten barn och unga;Lex Sarah;IVO;"
    "Hög arbetsbelastning;Utredning barn och unga;Fritext\n"
)


def test_an_adopted_version_re_exports_byte_for_byte_after_the_package_sections_changed(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted, db_url: str, tmp_path: Path
) -> None:
    # Sampling results, evidence, deviations and workshop dates are frozen with the plan
    # content when it goes för beslut, so none of their live data reaches the package.
    first = _export(uow_factory, catalog, tmp_path / "a", version=1)
    reviewed_sample(uow_factory, catalog, adopted.namnd_id)
    risk = adopted.view.included[0].risk
    result = scenarios.run(scenarios.DEFAULT_SCENARIO, replications=200, seed=7)
    run = scenarios.record_run(uow_factory(), result, catalog.scale(), risk_id=risk.id)
    stored = workshop.get_risk(uow_factory(), risk.id)
    if run.suggested_level:
        scenarios.apply_likelihood(uow_factory(), catalog, run.id or 0, risk.id, stored.version)
    else:  # no suggestion to apply: link the run as evidence directly
        with uow_factory() as tx:
            tx.risks.update(stored.model_copy(update={"likelihood_evidence_id": run.id}))
            tx.commit()
    deviations.import_deviations(
        uow_factory(), catalog, adopted.namnd_id, DEVIATIONS.encode(), "avvikelser.csv"
    )
    with uow_factory() as tx:
        analysis = tx.analyses.get(adopted.analysis_id)
    workshop.update_analysis(
        uow_factory(),
        catalog,
        analysis.model_copy(update={"workshop_dates": [date(2026, 10, 1), date(2026, 10, 8)]}),
    )
    with uow_factory() as tx:  # the live data really changed
        assert tx.sample_draws.for_plan(
            tx.egenkontroll_plans.for_namnd(adopted.namnd_id, YEAR)[0].id or 0
        )
        assert tx.risks.get(risk.id).likelihood_evidence_id == run.id
        assert tx.deviations.for_namnd(adopted.namnd_id, date(YEAR, 1, 1), date(YEAR, 12, 31))
    second = _export(uow_factory, catalog, tmp_path / "b", version=1)
    assert _files(first) == _files(second)  # manifest included
    result_cli = CliRunner().invoke(main, ["export", "verify", str(second), "--db", db_url])
    assert result_cli.exit_code == 0, result_cli.output


def test_the_package_sent_before_the_meeting_verifies_against_the_adopted_version(
    uow_factory: UowFactory, catalog: Catalog, submitted: Adopted, db_url: str, tmp_path: Path
) -> None:
    folder = _export(uow_factory, catalog, tmp_path / "paket")
    assert _manifest(folder)["decision"] is None
    plan.approve(uow_factory(), catalog, submitted.plan_id, *DECIDED)
    result = CliRunner().invoke(main, ["export", "verify", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "planinnehållets SHA-256" in result.output


def test_a_withdrawn_version_voids_its_package(
    uow_factory: UowFactory, catalog: Catalog, submitted: Adopted, db_url: str, tmp_path: Path
) -> None:
    folder = _export(uow_factory, catalog, tmp_path / "paket")
    plan.withdraw(uow_factory(), submitted.plan_id)
    result = CliRunner().invoke(main, ["export", "verify", str(folder), "--db", db_url])
    assert result.exit_code == 1 and "gäller inte längre" in result.output
    with pytest.raises(InvalidInputError, match="plan submit"):
        _export(uow_factory, catalog, tmp_path / "igen")


# the 16 tamperings ---------------------------------------------------------------------


def _flip_byte(folder: Path) -> None:
    target = next(folder.glob("*.xlsx"))
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))


def _rehash(folder: Path) -> None:
    data = _manifest(folder)
    for entry in data["files"]:  # type: ignore[attr-defined]
        content = (folder / entry["name"]).read_bytes()
        entry["sha256"] = hashlib.sha256(content).hexdigest()
        entry["bytes"] = len(content)
    _write_manifest(folder, data)


def _flip_and_rehash(folder: Path) -> None:
    _flip_byte(folder)
    _rehash(folder)


def _delete_file(folder: Path) -> None:
    next(folder.glob("*.png")).unlink()


def _delete_file_and_entry(folder: Path) -> None:
    png = next(folder.glob("*.png"))
    png.unlink()
    data = _manifest(folder)
    data["files"] = [f for f in data["files"] if f["name"] != png.name]  # type: ignore[attr-defined]
    _write_manifest(folder, data)


def _add_file(folder: Path) -> None:
    (folder / "extra.txt").write_text("ny fil")


def _add_in_subfolder(folder: Path) -> None:
    (folder / "bilagor" / "djup").mkdir(parents=True)
    (folder / "bilagor" / "djup" / "extra.txt").write_text("ny fil")


def _add_hidden(folder: Path) -> None:
    (folder / ".dold").write_text("syns inte i ls")


def _add_with_entry(folder: Path) -> None:
    (folder / "extra.txt").write_text("ny fil")
    data = _manifest(folder)
    data["files"].append({"name": "extra.txt", "sha256": "0" * 64, "bytes": 0})  # type: ignore[attr-defined]
    _write_manifest(folder, data)
    _rehash(folder)


def _change_header(folder: Path) -> None:
    data = _manifest(folder)
    data["dnr"] = "SN 2099/1"
    data["decision"] = {"date": "2026-12-11", "paragraf": "§ 999"}
    _write_manifest(folder, data)


def _empty_file_list(folder: Path) -> None:
    data = _manifest(folder)
    data["files"] = []
    _write_manifest(folder, data)


def _outside_path(folder: Path) -> None:
    outside = folder.parent / "outside.txt"
    outside.write_text("utanför")
    data = _manifest(folder)
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    data["files"].append({"name": "../outside.txt", "sha256": digest, "bytes": 7})  # type: ignore[attr-defined]
    _write_manifest(folder, data)


def _absolute_path(folder: Path) -> None:
    data = _manifest(folder)
    data["files"].append({"name": "/etc/hostname", "sha256": "0" * 64, "bytes": 1})  # type: ignore[attr-defined]
    _write_manifest(folder, data)


def _wrong_size(folder: Path) -> None:
    data = _manifest(folder)
    data["files"][0]["bytes"] += 1  # type: ignore[index]
    _write_manifest(folder, data)


def _duplicate_entry(folder: Path) -> None:
    data = _manifest(folder)
    data["files"].append(dict(data["files"][0]))  # type: ignore[attr-defined,index]
    _write_manifest(folder, data)


def _malformed(folder: Path) -> None:
    (folder / MANIFEST).write_text('{"files": [', encoding="utf-8")


def _content_hash_changed(folder: Path) -> None:
    data = _manifest(folder)
    data["content_sha256"] = "a" * 64
    _write_manifest(folder, data)


# (name, tampering, caught without the database, what the message names)
TAMPERINGS: list[tuple[str, Callable[[Path], None], bool, str]] = [
    ("a changed byte", _flip_byte, True, "SHA-256 stämmer inte"),
    ("a changed byte, hash recomputed", _flip_and_rehash, False, "inte registrerat"),
    ("a deleted file", _delete_file, True, "filen saknas"),
    ("a deleted file and its entry", _delete_file_and_entry, False, "inte registrerat"),
    ("an added file", _add_file, True, "extra.txt: filen finns i mappen"),
    ("a file added in a subfolder", _add_in_subfolder, True, "bilagor/djup/extra.txt"),
    ("a hidden file added", _add_hidden, True, ".dold"),
    ("a file added with an entry", _add_with_entry, False, "inte registrerat"),
    ("the header changed", _change_header, False, "dnr: paketet anger SN 2099/1"),
    ("the content hash changed", _content_hash_changed, False, "Planinnehållets SHA-256"),
    ("an empty file list", _empty_file_list, True, "files är tom"),
    ("a path leaving the folder", _outside_path, True, "lämnar paketmappen"),
    ("an absolute path", _absolute_path, True, "absolut sökväg"),
    ("a wrong size", _wrong_size, True, "manifestet anger"),
    ("a duplicate entry", _duplicate_entry, True, "mer än en gång"),
    ("a malformed manifest", _malformed, True, "inte giltig JSON"),
]


@pytest.fixture
def pristine(
    uow_factory: UowFactory, catalog: Catalog, adopted: Adopted, db_url: str, tmp_path: Path
) -> tuple[Path, str]:
    folder = _export(uow_factory, catalog, tmp_path / "original")
    runner = CliRunner()
    assert runner.invoke(main, ["export", "verify", str(folder)]).exit_code == 0
    checked = runner.invoke(main, ["export", "verify", str(folder), "--db", db_url])
    assert checked.exit_code == 0, checked.output
    return folder, db_url


@pytest.mark.parametrize(
    ("name", "tamper", "without_db", "reason"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS]
)
def test_verify_catches_every_tampering(
    pristine: tuple[Path, str],
    tmp_path: Path,
    name: str,
    tamper: Callable[[Path], None],
    without_db: bool,
    reason: str,
) -> None:
    original, db_url = pristine
    folder = tmp_path / "kopia" / "paket"
    shutil.copytree(original, folder)
    tamper(folder)
    runner = CliRunner()
    plain = runner.invoke(main, ["export", "verify", str(folder)])
    with_db = runner.invoke(main, ["export", "verify", str(folder), "--db", db_url])
    assert with_db.exit_code == 1, f"{name}: --db said {with_db.output}"
    assert reason in with_db.output
    if without_db:
        assert plain.exit_code == 1 and reason in plain.output
    else:
        # Consistent with itself: only the database can tell (docs/exports.md).
        assert plain.exit_code == 0, plain.output
    assert all(line.startswith("Fel: ") for line in with_db.output.strip().splitlines())


def test_verify_json_lists_every_problem(pristine: tuple[Path, str], tmp_path: Path) -> None:
    original, _db_url = pristine
    folder = tmp_path / "paket"
    shutil.copytree(original, folder)
    _add_file(folder)
    _delete_file(folder)
    result = CliRunner().invoke(main, ["export", "verify", str(folder), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert len(problems) == 2 and any("extra.txt" in p for p in problems)
