"""The approval package's proof of integrity: ``manifest.json`` with the SHA-256 of every
file, and the check that the files are still the ones the nämnd decided on.

Also the optional PDF of the tjänsteutlåtande, made by LibreOffice when it is installed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
PDF_SKIPPED = "skipped: LibreOffice saknas"
PDF_FAILED = "skipped: LibreOffice kunde inte skapa PDF-filen"
PDF_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class PackageNames:
    """The file names of one package, so the report's Bilagor name the real files."""

    report: str
    workbook: str
    matrix: str

    @classmethod
    def for_plan(cls, namnd_slug: str, year: int, plan_version: int) -> PackageNames:
        stem = f"{namnd_slug}-{year}-v{plan_version}"
        return cls(
            report=f"tjansteutlatande-internkontrollplan-{stem}.docx",
            workbook=f"internkontrollplan-{stem}.xlsx",
            matrix=f"riskmatris-{stem}.png",
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(
    folder: Path,
    files: list[str],
    *,
    namnd: str,
    year: int,
    plan_version: int,
    plan_status: str,
    generated_at: datetime,
    pdf: str,
) -> dict[str, Any]:
    """Hash every file and write ``manifest.json``; returns the manifest."""
    manifest = {
        "namnd": namnd,
        "year": year,
        "plan_version": plan_version,
        "plan_status": plan_status,
        "generated_at": generated_at.isoformat(),
        "files": [
            {
                "name": name,
                "sha256": sha256_file(folder / name),
                "bytes": (folder / name).stat().st_size,
            }
            for name in files
        ],
        "pdf": pdf,
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


@dataclass
class Verification:
    """What ``riskmotor export verify`` found; ``ok`` only when nothing differs."""

    folder: Path
    checked: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.error)

    def message(self) -> str:
        if self.error:
            return self.error
        if self.ok:
            return f"Paketet är oförändrat: alla {len(self.checked)} filer stämmer med {MANIFEST}."
        parts = []
        if self.changed:
            parts.append("ändrade filer: " + ", ".join(self.changed))
        if self.missing:
            parts.append("filer som saknas: " + ", ".join(self.missing))
        if self.extra:
            parts.append("filer som inte finns i manifestet: " + ", ".join(self.extra))
        return "Paketet stämmer inte med manifestet – " + "; ".join(parts) + "."

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "missing": self.missing,
            "changed": self.changed,
            "extra": self.extra,
            "message": self.message(),
        }


def _read_manifest(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("files saknas")
    return data


def verify(folder: Path) -> Verification:
    """Recompute every hash; report missing, changed and unlisted files."""
    result = Verification(folder)
    path = folder / MANIFEST
    if not path.is_file():
        result.error = f"{folder} innehåller ingen {MANIFEST}."
        return result
    try:
        manifest = _read_manifest(path)
        listed = {str(f["name"]): str(f["sha256"]) for f in manifest["files"]}
    except (ValueError, KeyError, TypeError):
        result.error = f"{path} går inte att läsa som ett manifest från riskmotor."
        return result
    for name, expected in listed.items():
        target = folder / name
        if not target.is_file():
            result.missing.append(name)
        elif sha256_file(target) != expected:
            result.changed.append(name)
        else:
            result.checked.append(name)
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST}
    result.extra = sorted(present - listed.keys())
    return result


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path) -> tuple[Path | None, str]:
    """A PDF beside ``docx`` made by LibreOffice and its manifest entry, or None and the
    reason it was skipped (the package is complete without it)."""
    program = libreoffice()
    if program is None:
        return None, PDF_SKIPPED
    try:
        subprocess.run(
            [program, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
            check=True,
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError):
        return None, PDF_FAILED
    pdf = docx.with_suffix(".pdf")
    return (pdf, pdf.name) if pdf.is_file() else (None, PDF_FAILED)
