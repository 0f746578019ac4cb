"""The approval package's manifest and check, and the optional PDF step, without a database."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from riskmotor.export import package, pdf


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "paket"
    folder.mkdir()
    (folder / "a.docx").write_bytes(b"tjansteutlatande")
    (folder / "b.xlsx").write_bytes(b"arbetsbok")
    package.write_manifest(
        folder,
        ["a.docx", "b.xlsx"],
        namnd="Socialnämnden",
        year=2027,
        plan_version=2,
        plan_status="fastställd",
        generated_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        pdf=pdf.MISSING,
    )
    return folder


def test_manifest_lists_each_file_with_its_sha256(tmp_path: Path) -> None:
    manifest = json.loads((_folder(tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == [
        {"name": "a.docx", "sha256": hashlib.sha256(b"tjansteutlatande").hexdigest(), "bytes": 16},
        {"name": "b.xlsx", "sha256": hashlib.sha256(b"arbetsbok").hexdigest(), "bytes": 9},
    ]
    assert (manifest["plan_version"], manifest["generated_at"]) == (2, "2026-12-01T09:30:00+00:00")
    assert manifest["pdf"] == pdf.MISSING


def test_verify_reports_changed_missing_and_extra_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert package.verify(folder).ok
    (folder / "a.docx").write_bytes(b"tjansteutlatandE")
    (folder / "b.xlsx").unlink()
    (folder / "c.txt").write_text("tillagd", encoding="utf-8")
    result = package.verify(folder)
    assert (result.ok, result.changed, result.missing, result.extra) == (
        False,
        ["a.docx"],
        ["b.xlsx"],
        ["c.txt"],
    )
    message = result.message()
    assert "ändrade filer: a.docx" in message and "saknas: b.xlsx" in message


def test_verify_without_a_manifest_says_so(tmp_path: Path) -> None:
    result = package.verify(tmp_path)
    assert not result.ok and "ingen manifest.json" in result.message()
    (tmp_path / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    assert "går inte att läsa" in package.verify(tmp_path).message()


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
