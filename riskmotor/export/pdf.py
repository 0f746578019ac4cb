"""PDF copies made by LibreOffice headless, when it is installed.

Each conversion runs with its own temporary LibreOffice profile
(``-env:UserInstallation``), so parallel exports and tests never wait on or break each
other's profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 180
MISSING = (
    "LibreOffice finns inte på den här datorn; installera LibreOffice (kommandot soffice) "
    "eller spara Word- och Excelfilerna som PDF själv"
)
FAILED = "LibreOffice kunde inte göra en PDF av {name}"


@dataclass(frozen=True)
class PdfResult:
    """The PDFs written and, when some are missing, why (in Swedish)."""

    files: list[Path]
    message: str = ""


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(sources: list[Path], out_dir: Path | None = None) -> PdfResult:
    """Convert ``sources`` (docx, xlsx) to PDF beside them (or in ``out_dir``)."""
    program = libreoffice()
    if program is None:
        return PdfResult([], MISSING)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lo-profil-") as profile:
        for source in sources:
            target_dir = out_dir or source.parent
            command = [
                program,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(target_dir),
                str(source),
            ]
            try:
                subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
            except (OSError, subprocess.SubprocessError):
                return PdfResult(written, FAILED.format(name=source.name))
            pdf = target_dir / (source.stem + ".pdf")
            if not pdf.is_file():
                return PdfResult(written, FAILED.format(name=source.name))
            written.append(pdf)
    return PdfResult(written)
