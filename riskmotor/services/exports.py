"""Use cases of the exports: the internkontrollplan workbook, the nämnd's approval package
(tjänsteutlåtande, workbook, matrix picture, manifest), its verification, and the
kvalitetsberättelse draft.

Each use case reads what it shows in ONE unit of work (:mod:`riskmotor.services.export_data`),
writes its files, and records the export in the audit log (and, for a package, its hash in
``plan_package``) in that same transaction; :mod:`riskmotor.export` only lays the data out.

The approval package is made from a plan version för beslut or fastställd, from its frozen
content only, so exporting the same version twice gives the same files (the PDFs aside:
LibreOffice stamps each PDF with the time of conversion, see docs/exports.md).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskmotor import __version__
from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Role
from riskmotor.domain.plan import PlanPackage, PlanSnapshot, PlanStatus
from riskmotor.errors import NotFoundError
from riskmotor.export import package
from riskmotor.export.charts import matrix_png
from riskmotor.export.docx.kvalitetsberattelse import write_kvalitetsberattelse
from riskmotor.export.docx.tjansteutlatande import write_tjansteutlatande
from riskmotor.export.legal import legal_labels, references_checklist
from riskmotor.export.package import Verification, package_folder_name, slug
from riskmotor.export.xlsx.workbook import write_workbook
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.export import (
    ExportData,
    ExportOverview,
    PackageHeader,
    PackageRecord,
    Signatories,
)
from riskmotor.services.export_data import gather, gather_decision
from riskmotor.services.organisation import namnd_by_name
from riskmotor.services.plan import plan_versions

__all__ = [
    "PackageReport",
    "export_excel",
    "export_kvalitetsberattelse",
    "export_overview",
    "export_package",
    "legal_labels",
    "slug",
    "verify_package",
    "zip_folder",
]

EXPORT_ENTITY = "export"
EXPORT_ACTION = "export"
GENERATOR = f"riskmotor {__version__}"


def export_overview(uow: UnitOfWork, namnd_id: int, year: int) -> ExportOverview:
    """What the Export page shows: the nämnd and the newest version of its plan, if any."""
    with uow:
        namnd = uow.units.get(namnd_id)
        found = plan_versions(uow, namnd_id, year)
        return ExportOverview(namnd.name, year, found[-1] if found else None)


@dataclass(frozen=True)
class PackageReport:
    folder: Path
    files: list[str]
    pdf: str
    header: PackageHeader
    package_sha256: str
    manifest: dict[str, Any]  # manifest.json as written, for the Export page's table

    def as_dict(self) -> dict[str, object]:
        header = self.header
        return {
            "folder": str(self.folder),
            "namnd": header.namnd,
            "year": header.year,
            "plan_version": header.plan_version,
            "plan_status": header.plan_status,
            "dnr": header.dnr,
            "decision": (
                {"date": header.decision_date.isoformat(), "paragraf": header.paragraf}
                if header.decision_date
                else None
            ),
            "content_sha256": header.content_sha256,
            "package_sha256": self.package_sha256,
            "files": self.files,
            "pdf": self.pdf,
        }


def _record_file(tx: UnitOfWork, namnd_id: int, what: str, year: int, path: Path) -> None:
    """One audit entry for a written document: what, which year, its hash and size."""
    tx.audit.record_batch(
        EXPORT_ENTITY,
        namnd_id,
        EXPORT_ACTION,
        {
            "dokument": what,
            "år": year,
            "fil": path.name,
            "sha256": package.sha256_file(path),
            "bytes": path.stat().st_size,
        },
    )


def export_excel(uow: UnitOfWork, catalog: Catalog, namnd_name: str, year: int, out: Path) -> Path:
    """Write the internkontrollplan workbook to ``out``."""
    with uow:
        uow.require(Role.REDAKTOR, namnd_by_name(uow, namnd_name).id)  # before the file
        data = gather(uow, catalog, namnd_name, year, require_plan=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        written = write_workbook(data, out)
        _record_file(
            uow, namnd_by_name(uow, namnd_name).id or 0, "internkontrollplan", year, written
        )
        uow.commit()
    return written


def export_package(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    out_dir: Path,
    *,
    version: int | None = None,
    signatories: Signatories | None = None,
    template: Path | None = None,
    new_folder: bool = False,
    with_kvalitetsberattelse: bool = False,
) -> PackageReport:
    """Write the approval package of plan version ``version`` (default: the newest för
    beslut or fastställd) to ``out_dir``, its manifest last, and register its hash.

    With ``new_folder`` the package goes to a folder inside ``out_dir`` named by the nämnd,
    year, version and status (a number is added if that folder exists).
    """
    with uow:
        uow.require(Role.REDAKTOR, namnd_by_name(uow, namnd_name).id)  # before the files
        data, snapshot = gather_decision(uow, catalog, namnd_name, year, version, signatories)
        assert data.plan is not None and data.plan.plan.id is not None
        plan = data.plan.plan
        if new_folder:
            out_dir = _free_folder(
                out_dir / package_folder_name(data.namnd, year, plan.plan_version, plan.status)
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        names = package.PackageNames.for_plan(slug(data.namnd), year, plan.plan_version)
        files = _write_documents(data, out_dir, names, template, with_kvalitetsberattelse)
        pdfs, pdf_note = package.convert_to_pdf(
            [out_dir / name for name in files if name.endswith((".docx", ".xlsx"))]
        )
        files += [p.name for p in pdfs]
        header = _header(data, snapshot)
        manifest = package.write_manifest(out_dir, files, header, pdf_note)
        digest = hashlib.sha256(manifest).hexdigest()
        stored = uow.plan_packages.add(
            PlanPackage(
                plan_id=plan.id,
                plan_version=plan.plan_version,
                plan_status=plan.status,
                content_sha256=snapshot.content_sha256,
                package_sha256=digest,
                files=len(files),
                created_at=uow.clock.now(),
            )
        )
        uow.audit.record_batch(
            "plan_package",
            stored.id or 0,
            EXPORT_ACTION,
            {"mapp": out_dir.name, "filer": {n: package.sha256_file(out_dir / n) for n in files}},
        )
        uow.commit()
    return PackageReport(
        out_dir, sorted(files), pdf_note, header, digest, json.loads(manifest.decode("utf-8"))
    )


def _header(data: ExportData, snapshot: PlanSnapshot) -> PackageHeader:
    assert data.plan is not None
    adopted = snapshot.kind == PlanStatus.FASTSTALLD
    return PackageHeader(
        namnd=data.namnd,
        year=data.year,
        plan_version=data.plan.plan.plan_version,
        plan_status=snapshot.kind.value,
        dnr=snapshot.dnr,
        decision_date=snapshot.decision_date if adopted else None,
        paragraf=snapshot.paragraf if adopted else "",
        content_sha256=snapshot.content_sha256,
        frozen_at=snapshot.created_at.isoformat(),
        generator=GENERATOR,
    )


def _free_folder(folder: Path) -> Path:
    candidate, number = folder, 1
    while candidate.exists():
        number += 1
        candidate = folder.with_name(f"{folder.name}-{number}")
    return candidate


def _write_documents(
    data: ExportData,
    out_dir: Path,
    names: package.PackageNames,
    template: Path | None,
    with_kvalitetsberattelse: bool,
) -> list[str]:
    """The package's documents; returns their file names."""
    year = data.year
    write_workbook(data, out_dir / names.workbook)
    assert data.plan is not None
    matrix_png(
        data.inherent,
        out_dir / names.matrix,
        title=f"Riskmatris {year} – bedömd risk (id per ruta)",
        threshold=data.plan.plan.threshold,
    )
    write_tjansteutlatande(
        data, out_dir / names.report, names, out_dir / names.matrix, template=template
    )
    files = [names.report, names.workbook, names.matrix]
    if with_kvalitetsberattelse:
        write_kvalitetsberattelse(data, out_dir / names.quality_report)
        files.append(names.quality_report)
    if data.unverified_references:
        (out_dir / names.references).write_text(references_checklist(data), encoding="utf-8")
        files.append(names.references)
    return files


def verify_package(uow: UnitOfWork, folder: Path) -> Verification:
    """Check the package in ``folder`` (:func:`riskmotor.export.package.verify`) and its
    manifest against the plan version in the database."""
    result = package.verify(folder)
    header = result.header
    if header is None:
        return result
    with uow:
        record = _package_record(uow, header)
    package.compare_with_record(result, record)
    return result


def _package_record(tx: UnitOfWork, header: PackageHeader) -> PackageRecord | None:
    try:
        namnd = namnd_by_name(tx, header.namnd)
    except NotFoundError:
        return None
    found = [
        p
        for p in plan_versions(tx, namnd.id or 0, header.year)
        if p.plan_version == header.plan_version
    ]
    if not found or found[0].id is None:
        return None
    plan = found[0]
    snapshots = tx.plan_snapshots.for_plan(plan.id or 0)
    valid = [s for s in snapshots if s.kind.value == header.plan_status and s.voided_at is None]
    adopted = [s for s in snapshots if s.kind == PlanStatus.FASTSTALLD]
    frozen = valid[-1] if valid else None
    return PackageRecord(
        plan_status=plan.status.value,
        frozen_sha256=frozen.content_sha256 if frozen else None,
        dnr=frozen.dnr if frozen else plan.dnr,
        decision_date=frozen.decision_date if frozen else plan.decision_date,
        paragraf=frozen.paragraf if frozen else plan.paragraf,
        adopted_sha256=adopted[-1].content_sha256 if adopted else None,
        package_hashes=tuple(p.package_sha256 for p in tx.plan_packages.for_plan(plan.id or 0)),
    )


def export_kvalitetsberattelse(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    out: Path,
    *,
    template: Path | None = None,
    signatories: Signatories | None = None,
) -> Path:
    """Write the draft kvalitetsberättelse for ``year``; a plan is used when there is one."""
    with uow:
        uow.require(Role.REDAKTOR, namnd_by_name(uow, namnd_name).id)  # before the file
        data = gather(uow, catalog, namnd_name, year, require_plan=False, signatories=signatories)
        out.parent.mkdir(parents=True, exist_ok=True)
        written = write_kvalitetsberattelse(data, out, template=template)
        _record_file(
            uow, namnd_by_name(uow, namnd_name).id or 0, "kvalitetsberättelse", year, written
        )
        uow.commit()
    return written


def zip_folder(folder: Path) -> bytes:
    """The package folder as one zip, for a browser download."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = shutil.make_archive(str(Path(scratch) / folder.name), "zip", folder)
        return Path(archive).read_bytes()
