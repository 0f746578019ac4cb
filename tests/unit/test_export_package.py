"""The approval package's manifest and check, and the optional PDF step, without a database."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from riskmotor.export import package, pdf
from riskmotor.reports.export import PackageHeader, PackageRecord

HEADER = PackageHeader(
    namnd="Socialnämnden",
    year=2027,
    plan_version=2,
    plan_status="fastställd",
    dnr="SN 2026/7",
    decision_date=date(2026, 12, 10),
    paragraf="§ 123",
    content_sha256="c" * 64,
    frozen_at="2026-12-10T09:30:00+00:00",
    generator="riskmotor 1.0",
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "paket"
    folder.mkdir(parents=True)
    (folder / "a.docx").write_bytes(b"tjansteutlatande")
    (folder / "b.xlsx").write_bytes(b"arbetsbok")
    package.write_manifest(folder, ["b.xlsx", "a.docx"], HEADER, pdf.MISSING)
    return folder


def test_manifest_lists_each_file_with_its_sha256(tmp_path: Path) -> None:
    manifest = json.loads((_folder(tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == [
        {"name": "a.docx", "sha256": hashlib.sha256(b"tjansteutlatande").hexdigest(), "bytes": 16},
        {"name": "b.xlsx", "sha256": hashlib.sha256(b"arbetsbok").hexdigest(), "bytes": 9},
    ]
    assert (manifest["plan_version"], manifest["dnr"], manifest["content_sha256"]) == (
        2,
        "SN 2026/7",
        "c" * 64,
    )
    assert manifest["decision"] == {"date": "2026-12-10", "paragraf": "§ 123"}
    assert manifest["pdf"] == pdf.MISSING


def test_verify_reports_changed_missing_and_extra_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert package.verify(folder).ok
    (folder / "a.docx").write_bytes(b"tjansteutlatandE")
    (folder / "b.xlsx").unlink()
    (folder / "c.txt").write_text("tillagd", encoding="utf-8")
    result = package.verify(folder)
    assert not result.ok
    assert result.problems == [
        "a.docx: innehållet är ändrat (SHA-256 stämmer inte).",
        "b.xlsx: filen saknas.",
        "c.txt: filen finns i mappen men inte i manifest.json.",
    ]


def test_the_same_files_and_header_give_the_same_manifest_bytes(tmp_path: Path) -> None:
    first = (_folder(tmp_path / "1") / "manifest.json").read_bytes()
    assert (_folder(tmp_path / "2") / "manifest.json").read_bytes() == first


def test_compare_with_record_names_each_difference(tmp_path: Path) -> None:
    result = package.verify(_folder(tmp_path))
    record = PackageRecord(
        plan_status="fastställd",
        frozen_sha256="d" * 64,
        dnr="SN 2026/8",
        decision_date=date(2026, 12, 10),
        paragraf="§ 123",
        adopted_sha256="d" * 64,
        package_hashes=(),
    )
    package.compare_with_record(result, record)
    assert len(result.problems) == 4  # content, adopted content, dnr, unregistered package
    assert any(
        p.startswith("dnr: paketet anger SN 2026/7, databasen SN 2026/8") for p in result.problems
    )
    same = PackageRecord("fastställd", "c" * 64, "SN 2026/7", date(2026, 12, 10), "§ 123",
                         "c" * 64, (result.manifest_sha256,))  # fmt: skip
    again = package.verify(tmp_path / "paket")
    package.compare_with_record(again, same)
    assert again.ok, again.problems


def test_verify_without_a_manifest_says_so(tmp_path: Path) -> None:
    result = package.verify(tmp_path)
    assert not result.ok and "manifest.json saknas" in result.message()
    (tmp_path / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    assert "är inte ett JSON-objekt" in package.verify(tmp_path).message()


def test_pdf_is_skipped_with_a_swedish_reason_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    docx = tmp_path / "t.docx"
    docx.write_bytes(b"x")
    files, note = package.convert_to_pdf([docx])
    assert files == [] and "LibreOffice finns inte" in note


@pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a shell script")
def test_pdf_is_made_by_soffice_with_its_own_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in soffice that checks for a private profile and writes the PDF where
    LibreOffice would (--outdir)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(
        '#!/bin/sh\ncase "$1" in -env:UserInstallation=file://*) ;; *) exit 3;; esac\n'
        '[ "$2" = --headless ] && [ "$4" = pdf ] || exit 2\n'
        'name=$(basename "$7"); name=${name%.*}\nprintf "%%PDF-1.4" > "$6/$name.pdf"\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    docx, xlsx = tmp_path / "t.docx", tmp_path / "b.xlsx"
    docx.write_bytes(b"x")
    xlsx.write_bytes(b"x")
    files, note = package.convert_to_pdf([docx, xlsx])
    assert files == [tmp_path / "t.pdf", tmp_path / "b.pdf"] and note == "t.pdf, b.pdf"
    assert files[0].read_bytes().startswith(b"%PDF")
