"""The approval package's file names, its manifest and the strict check of both.

``manifest.json`` binds a package to a decision: nämnd, year, plan version and status, dnr,
decision date and § (once adopted), the SHA-256 of the frozen plan content
(``riskmotor.reports.snapshot``), the generator version, and the SHA-256 and size of every
file. :func:`verify` checks a folder against its manifest; :func:`compare_with_record`
checks the manifest against what the database holds about the plan version
(:class:`~riskmotor.reports.export.PackageRecord`). Every problem is one Swedish line.

Also the optional PDFs of the documents, made by LibreOffice when it is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from riskmotor.export import pdf
from riskmotor.reports.export import PackageHeader, PackageRecord

MANIFEST = "manifest.json"
FORMAT = "riskmotor-beslutspaket"
FORMAT_VERSION = 2
PDF_SKIPPED_PREFIX = "skipped: "
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HEADER_KEYS = {
    "format", "format_version", "generator", "namnd", "year", "plan_version", "plan_status",
    "dnr", "decision", "content_sha256", "frozen_at", "files", "pdf",
}  # fmt: skip


def slug(text: str) -> str:
    """An ASCII file-name part: 'Socialnämnden' -> 'socialnamnden'."""
    folded = text.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "export"


def package_folder_name(namnd_name: str, year: int, plan_version: int, status: str) -> str:
    """The folder of one version's package, named by the data (the same package, the same
    name), so an earlier version's package is never mixed into a later one."""
    return f"beslutspaket-{slug(namnd_name)}-{year}-v{plan_version}-{slug(status)}"


@dataclass(frozen=True)
class PackageNames:
    """The file names of one package, so the report's Bilagor name the real files."""

    report: str
    workbook: str
    matrix: str
    quality_report: str
    references: str

    @classmethod
    def for_plan(cls, namnd_slug: str, year: int, plan_version: int) -> PackageNames:
        stem = f"{namnd_slug}-{year}-v{plan_version}"
        return cls(
            report=f"tjansteutlatande-internkontrollplan-{stem}.docx",
            workbook=f"internkontrollplan-{stem}.xlsx",
            matrix=f"riskmatris-{stem}.png",
            quality_report=f"kvalitetsberattelse-{stem}.docx",
            references=f"lagrum-att-kontrollera-{stem}.txt",
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, files: list[str], header: PackageHeader, pdf_note: str) -> bytes:
    """Hash every file and write ``manifest.json`` (stable bytes for the same files and
    header); returns the bytes written, whose SHA-256 is the package hash."""
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": header.generator,
        "namnd": header.namnd,
        "year": header.year,
        "plan_version": header.plan_version,
        "plan_status": header.plan_status,
        "dnr": header.dnr,
        "decision": (
            {"date": header.decision_date.isoformat(), "paragraf": header.paragraf}
            if header.decision_date is not None
            else None
        ),
        "content_sha256": header.content_sha256,
        "frozen_at": header.frozen_at,
        "files": [
            {
                "name": name,
                "sha256": sha256_file(folder / name),
                "bytes": (folder / name).stat().st_size,
            }
            for name in sorted(files)
        ],
        "pdf": pdf_note,
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    (folder / MANIFEST).write_bytes(data)
    return data


# verification ---------------------------------------------------------------------------


@dataclass
class Verification:
    """What ``riskmotor export verify`` checked and found; ``ok`` only without problems."""

    folder: Path
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    header: PackageHeader | None = None
    manifest_sha256: str = ""
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self) -> str:
        if self.ok:
            return "Paketet stämmer: " + "; ".join(self.checked) + "."
        return "\n".join(self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "folder": str(self.folder),
            "checked": self.checked,
            "problems": self.problems,
            "package_sha256": self.manifest_sha256,
            "message": self.message(),
        }


class _Malformed(ValueError):
    pass


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise _Malformed(what)


def _parse_header(data: object) -> PackageHeader:
    _require(isinstance(data, dict), "manifestet är inte ett JSON-objekt")
    assert isinstance(data, dict)
    missing = sorted(_HEADER_KEYS - data.keys())
    _require(not missing, "fält saknas: " + ", ".join(missing))
    extra = sorted(data.keys() - _HEADER_KEYS)
    _require(not extra, "okända fält: " + ", ".join(extra))
    _require(data["format"] == FORMAT, f"format är inte {FORMAT}")
    _require(data["format_version"] == FORMAT_VERSION, f"format_version är inte {FORMAT_VERSION}")
    for key in ("generator", "namnd", "plan_status", "dnr", "frozen_at", "pdf"):
        _require(isinstance(data[key], str), f"{key} är inte text")
    for key in ("year", "plan_version"):
        _require(type(data[key]) is int, f"{key} är inte ett heltal")
    _require(
        isinstance(data["content_sha256"], str) and bool(_SHA256.match(data["content_sha256"])),
        "content_sha256 är inte en SHA-256",
    )
    decision = data["decision"]
    decided: date | None = None
    paragraf = ""
    if decision is not None:
        _require(
            isinstance(decision, dict) and set(decision) == {"date", "paragraf"},
            "decision ska ha date och paragraf",
        )
        try:
            decided = date.fromisoformat(str(decision["date"]))
        except ValueError:
            raise _Malformed("decision.date är inget datum") from None
        _require(isinstance(decision["paragraf"], str), "decision.paragraf är inte text")
        paragraf = decision["paragraf"]
    return PackageHeader(
        namnd=data["namnd"],
        year=data["year"],
        plan_version=data["plan_version"],
        plan_status=data["plan_status"],
        dnr=data["dnr"],
        decision_date=decided,
        paragraf=paragraf,
        content_sha256=data["content_sha256"],
        frozen_at=data["frozen_at"],
        generator=data["generator"],
    )


def _parse_files(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    files = data["files"]
    _require(isinstance(files, list), "files är inte en lista")
    _require(bool(files), "files är tom – ett paket utan filer bevisar ingenting")
    parsed = []
    for number, entry in enumerate(files, start=1):
        _require(
            isinstance(entry, dict) and set(entry) == {"name", "sha256", "bytes"},
            f"fil {number} ska ha exakt name, sha256 och bytes",
        )
        name, digest, size = entry["name"], entry["sha256"], entry["bytes"]
        _require(isinstance(name, str) and bool(name), f"fil {number} saknar namn")
        _require(
            isinstance(digest, str) and bool(_SHA256.match(digest)),
            f"fil {number} ({name}) har ingen giltig SHA-256",
        )
        _require(type(size) is int and size >= 0, f"fil {number} ({name}) har ogiltig storlek")
        parsed.append((name, digest, size))
    return parsed


def _unsafe_name(folder: Path, name: str) -> str:
    """Why ``name`` may not be read inside ``folder`` ('' when it may)."""
    posix = PurePosixPath(name)
    if "\\" in name or posix.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return "är en absolut sökväg"
    if any(part in ("..", ".", "") for part in name.split("/")) or posix.as_posix() != name:
        return "lämnar paketmappen eller är inte en normaliserad sökväg"
    if name == MANIFEST:
        return "är manifestet självt"
    target = folder / name
    if target.is_symlink() or not target.resolve().is_relative_to(folder.resolve()):
        return "är en symbolisk länk eller pekar ut ur paketmappen"
    return ""


def _present_files(folder: Path) -> set[str]:
    """Every file and link below ``folder`` at any depth, hidden ones included."""
    found = set()
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root).relative_to(folder)
        for name in [*names, *(d for d in dirs if (Path(root) / d).is_symlink())]:
            found.add((base / name).as_posix())
    found.discard(MANIFEST)
    return found


def read_manifest(folder: Path) -> tuple[dict[str, Any], bytes]:
    """The parsed manifest and its bytes; raises ValueError with a Swedish reason."""
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        raise ValueError(f"{MANIFEST} saknas i {folder}.")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{MANIFEST} är inte giltig JSON ({exc}).") from None
    return data, raw


def verify(folder: Path) -> Verification:
    """Check ``folder`` against its manifest: every listed file present with its size and
    hash, no other file at any depth, nothing outside the folder, no duplicates."""
    result = Verification(folder)
    try:
        data, raw = read_manifest(folder)
        result.header = _parse_header(data)
        files = _parse_files(data)
    except (ValueError, _Malformed) as exc:
        message = str(exc)
        if isinstance(exc, _Malformed):
            message = f"{MANIFEST} är felaktigt: {message}."
        result.problems.append(message)
        return result
    result.manifest_sha256 = hashlib.sha256(raw).hexdigest()
    result.checked.append(f"{MANIFEST} är läsbart och komplett")
    seen: set[str] = set()
    for name, digest, size in files:
        result.problems.extend(_check_file(folder, name, digest, size, seen))
        seen.add(name)
    for extra in sorted(_present_files(folder) - seen):
        result.problems.append(f"{extra}: filen finns i mappen men inte i {MANIFEST}.")
    result.files = len(seen)
    if result.ok:
        result.checked.append(
            f"alla {len(seen)} filer finns med rätt storlek och SHA-256, och inga andra filer"
        )
    return result


def _check_file(folder: Path, name: str, digest: str, size: int, seen: set[str]) -> list[str]:
    if name in seen:
        return [f"{name}: står mer än en gång i {MANIFEST}."]
    unsafe = _unsafe_name(folder, name)
    if unsafe:
        return [f"{name}: sökvägen {unsafe}."]
    target = folder / name
    if not target.is_file():
        return [f"{name}: filen saknas."]
    actual = target.stat().st_size
    if actual != size:
        return [f"{name}: storleken är {actual} byte, manifestet anger {size}."]
    if sha256_file(target) != digest:
        return [f"{name}: innehållet är ändrat (SHA-256 stämmer inte)."]
    return []


def compare_with_record(result: Verification, record: PackageRecord | None) -> None:
    """Add what differs between the manifest and the database's plan version to ``result``."""
    header = result.header
    if header is None:
        return
    label = f"{header.namnd} {header.year} version {header.plan_version}"
    if record is None:
        result.problems.append(f"Databasen har ingen internkontrollplan {label}.")
        return
    problems: list[str] = []
    if record.frozen_sha256 is None:
        problems.append(
            f"Planversionen har inget giltigt fryst innehåll med status {header.plan_status} "
            f"(i databasen: {record.plan_status}); paketet gäller inte längre."
        )
    elif record.frozen_sha256 != header.content_sha256:
        problems.append(
            "Planinnehållets SHA-256 skiljer sig från det frysta innehållet i databasen."
        )
    if record.adopted_sha256 is not None and record.adopted_sha256 != header.content_sha256:
        problems.append("Den fastställda versionen har ett annat innehåll än paketet visar.")
    for what, ours, theirs in (
        ("dnr", header.dnr, record.dnr),
        ("beslutsdatum", header.decision_date, record.decision_date),
        ("§", header.paragraf, record.paragraf),
    ):
        if ours != theirs:
            problems.append(
                f"{what}: paketet anger {ours or 'inget'}, databasen {theirs or 'inget'}."
            )
    if result.manifest_sha256 not in record.package_hashes:
        problems.append(
            f"Paketets SHA-256 ({result.manifest_sha256[:12]}…) är inte registrerat i databasen "
            "för planversionen: manifestet har ändrats eller paketet är inte exporterat härifrån."
        )
    result.problems.extend(problems)
    if not problems:
        result.checked.append(
            f"manifestet stämmer med {label} i databasen (status, dnr, beslut, planinnehållets "
            "SHA-256 och registrerat paket)"
        )


def convert_to_pdf(sources: list[Path]) -> tuple[list[Path], str]:
    """PDFs of ``sources`` beside them (see :mod:`riskmotor.export.pdf`) and the manifest's
    note: the PDF names, or the Swedish reason they are missing (the package is complete
    without them)."""
    result = pdf.convert(sources)
    if result.message:
        return result.files, PDF_SKIPPED_PREFIX + result.message
    return result.files, ", ".join(p.name for p in result.files)
