"""Use cases of the exports: the internkontrollplan workbook, the nämnd's approval package
(tjänsteutlåtande, workbook, matrix picture, manifest) and the kvalitetsberättelse draft.

The data is gathered once through the other services into :class:`ExportData`; the modules
in :mod:`riskmotor.export` only lay it out. Deviation free text and personnummer pseudonyms
are never gathered, so no export can leak them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from riskmotor.catalogs import Catalog
from riskmotor.config import get_settings
from riskmotor.domain.catalog import LegalReference, Scale
from riskmotor.domain.deviations import CauseCount
from riskmotor.domain.models import EgenkontrollPlan, Participant, RiskAnalysis, SimulationRun
from riskmotor.domain.plan import PlanDiff
from riskmotor.errors import NotFoundError
from riskmotor.export import package
from riskmotor.export.charts import matrix_png
from riskmotor.export.kvalitetsberattelse import write_kvalitetsberattelse
from riskmotor.export.tjansteutlatande import write_tjansteutlatande
from riskmotor.export.workbook import write_workbook
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import deviations, egenkontroll, plan, scenarios, workshop
from riskmotor.services.egenkontroll import DrawEvaluation
from riskmotor.services.matrix import RiskMatrix, build_matrix, points
from riskmotor.services.organisation import find_namnd
from riskmotor.services.plan import PlanView
from riskmotor.services.workshop import RiskView

NO_PLAN_MESSAGE = (
    "{namnd} har ingen internkontrollplan för {year}. Föreslå en först, till exempel med "
    'riskmotor plan propose --namnd "{namnd}" --year {year}.'
)


@dataclass(frozen=True)
class SamplingResult:
    """One egenkontroll sampling plan and the evaluation of each of its draws."""

    plan: EgenkontrollPlan
    risk_title: str
    evaluations: list[DrawEvaluation]


@dataclass
class ExportData:
    """Everything an export shows, read once from the database and the catalog."""

    kommun: str
    namnd: str
    year: int
    analysis: RiskAnalysis
    scale: Scale
    participants: list[Participant]
    risks: list[RiskView]
    plan: PlanView | None
    plan_diff: PlanDiff | None
    inherent: RiskMatrix
    residual: RiskMatrix
    sampling: list[SamplingResult]
    followups: list[dict[str, Any]]
    deviation_summary: dict[str, Any] | None
    top_causes: list[CauseCount]
    deviation_labels: dict[str, str]
    evidence: dict[int, SimulationRun]
    legal: dict[str, str]
    generated_at: datetime
    today: date
    handlaggare: str = ""

    @property
    def plan_label(self) -> str:
        if self.plan is None:
            return "ingen plan"
        return f"version {self.plan.plan.plan_version} ({self.plan.plan.status.value})"


# legal references ----------------------------------------------------------------------

# The references the documents cite, as (law, section). Whether each is verified is read
# from the catalog: a reference the catalog lacks or marks unverified is printed with
# "(ej verifierad)", never as settled law.
CITED: dict[str, tuple[str, str]] = {
    "kl_internal_control": ("Kommunallagen (2017:725)", "6 kap. 6 §"),
    "sosfs_risk_analysis": ("SOSFS 2011:9", "5 kap. 1 §"),
    "sosfs_self_inspection": ("SOSFS 2011:9", "5 kap. 2 §"),
    "sosfs_deviations": ("SOSFS 2011:9", "5 kap. 4–6 §§"),
    "sosfs_quality_report": ("SOSFS 2011:9", "7 kap. 1 §"),
}


def _catalog_references(catalog: Catalog) -> list[LegalReference]:
    found: list[LegalReference] = []
    for template in catalog.templates:
        found += template.legal_references
    for deadline in catalog.deadlines:
        found += deadline.references
    for category in catalog.deviation_categories:
        found += category.references
    for control in catalog.control_activities:
        found += control.references
    return found


def legal_labels(catalog: Catalog) -> dict[str, str]:
    """The text of each cited reference, marked "(ej verifierad)" unless the catalog
    holds it as verified."""
    known = {(r.law, r.section): r.verified for r in _catalog_references(catalog)}
    return {
        key: LegalReference(
            law=law, section=section, verified=known.get((law, section), False)
        ).label
        for key, (law, section) in CITED.items()
    }


# gathering -----------------------------------------------------------------------------


def _kommun_name(uow: UnitOfWork, parent_id: int | None) -> str:
    if parent_id is None:
        return ""
    with uow:
        return uow.units.get(parent_id).name


def _evidence(uow: UnitOfWork, analysis_id: int) -> dict[int, SimulationRun]:
    """Simulation runs used as likelihood evidence; only the few risks that have one."""
    with uow:
        with_evidence = [
            r.id for r in uow.risks.for_analysis(analysis_id) if r.likelihood_evidence_id
        ]
    found = {risk_id: scenarios.evidence_for(uow, risk_id) for risk_id in with_evidence if risk_id}
    return {k: v for k, v in found.items() if v is not None}


def _sampling(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int, titles: dict[int, str]
) -> list[SamplingResult]:
    results = []
    for sampling_plan in egenkontroll.plans(uow, namnd_id, year):
        assert sampling_plan.id is not None
        evaluations = [
            egenkontroll.evaluate(uow, catalog, d.id)
            for d in egenkontroll.draws(uow, sampling_plan.id)
            if d.id is not None
        ]
        title = titles.get(sampling_plan.risk_id or 0, "")
        results.append(SamplingResult(sampling_plan, title, evaluations))
    return results


def _followups(uow: UnitOfWork, catalog: Catalog, plan_view: PlanView) -> list[dict[str, Any]]:
    """The follow-up summary of every tertial that has a reported result."""
    control_ids = [c.id or 0 for v in plan_view.included for c in v.controls]
    with uow:
        reported = {f.period for f in uow.control_followups.for_controls(control_ids)}
    plan_id = plan_view.plan.id or 0
    return [plan.followup_summary(uow, catalog, plan_id, period) for period in sorted(reported)]


def _diff(uow: UnitOfWork, catalog: Catalog, plan_view: PlanView | None) -> PlanDiff | None:
    # plan.diff reads the whole plan again; skip it for a plan that is based on none.
    if plan_view is None or plan_view.plan.based_on_id is None:
        return None
    return plan.diff(uow, catalog, plan_view.plan.id or 0)


def gather(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    *,
    require_plan: bool = True,
    handlaggare: str = "",
    now: datetime | None = None,
) -> ExportData:
    """Read everything the exports need for one nämnd and year."""
    with uow:
        namnd = find_namnd(uow, namnd_name)
    assert namnd.id is not None
    analysis = workshop.find_analysis(uow, namnd_name, year)
    assert analysis.id is not None
    scale = catalog.scale(analysis.scale_key)
    risks = workshop.list_risks(uow, catalog, analysis.id)
    found_plans = plan.versions(uow, namnd.id, year)
    if not found_plans and require_plan:
        raise NotFoundError(NO_PLAN_MESSAGE.format(namnd=namnd_name, year=year))
    plan_view = plan.view(uow, catalog, found_plans[-1].id or 0) if found_plans else None
    generated = now or datetime.now(UTC)
    summary = deviations.summary(uow, catalog, namnd.id, year)
    return ExportData(
        kommun=_kommun_name(uow, namnd.parent_id),
        namnd=namnd.name,
        year=year,
        analysis=analysis,
        scale=scale,
        participants=workshop.participants(uow, analysis.id),
        risks=risks,
        plan=plan_view,
        plan_diff=_diff(uow, catalog, plan_view),
        inherent=build_matrix(catalog, scale.key, points(risks, "inherent"), "inherent"),
        residual=build_matrix(catalog, scale.key, points(risks, "residual"), "residual"),
        sampling=_sampling(uow, catalog, namnd.id, year, {r.id: r.title for r in risks}),
        followups=_followups(uow, catalog, plan_view) if plan_view else [],
        deviation_summary=summary if summary["total"] else None,
        top_causes=deviations.top_causes(uow, catalog, namnd.id, year, limit=5),
        deviation_labels={c.key: c.name for c in catalog.deviation_categories},
        evidence=_evidence(uow, analysis.id),
        legal=legal_labels(catalog),
        generated_at=generated,
        today=generated.astimezone().date(),  # the local date the documents are dated
        handlaggare=handlaggare,
    )


# file names ----------------------------------------------------------------------------


def slug(text: str) -> str:
    """An ASCII file-name part: 'Socialnämnden' -> 'socialnamnden'."""
    folded = text.lower().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"}))
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "export"


def workbook_name(data: ExportData) -> str:
    version = data.plan.plan.plan_version if data.plan else 0
    return f"internkontrollplan-{slug(data.namnd)}-{data.year}-v{version}.xlsx"


def package_folder_name(namnd_name: str, year: int, when: datetime) -> str:
    """A new folder per package, so an earlier package is never mixed into a later one."""
    return f"beslutspaket-{slug(namnd_name)}-{year}-{when.strftime('%Y%m%d-%H%M%S')}"


def export_dir() -> Path:
    """Where the UI keeps what it exports (RISKMOTOR_EXPORT_DIR, default exports/)."""
    return get_settings().export_dir


# use cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageReport:
    folder: Path
    files: list[str]
    pdf: str
    manifest: dict[str, Any]


def export_excel(uow: UnitOfWork, catalog: Catalog, namnd_name: str, year: int, out: Path) -> Path:
    """Write the internkontrollplan workbook to ``out``."""
    data = gather(uow, catalog, namnd_name, year)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(data, out)
    return out


def export_package(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    out_dir: Path,
    *,
    handlaggare: str = "",
    template: Path | None = None,
) -> PackageReport:
    """Write the nämnd's approval package to ``out_dir`` and its manifest last."""
    data = gather(uow, catalog, namnd_name, year, handlaggare=handlaggare)
    assert data.plan is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    names = package.PackageNames.for_plan(slug(data.namnd), year, data.plan.plan.plan_version)
    write_workbook(data, out_dir / names.workbook)
    matrix_png(data.inherent, out_dir / names.matrix, title=f"Riskmatris {year} – bedömd risk")
    write_tjansteutlatande(
        data, out_dir / names.report, names, out_dir / names.matrix, template=template
    )
    files = [names.report, names.workbook, names.matrix]
    pdf, pdf_note = package.convert_to_pdf(out_dir / names.report)
    if pdf is not None:
        files.append(pdf.name)
    manifest = package.write_manifest(
        out_dir,
        files,
        namnd=data.namnd,
        year=year,
        plan_version=data.plan.plan.plan_version,
        plan_status=data.plan.plan.status.value,
        generated_at=data.generated_at,
        pdf=pdf_note,
    )
    return PackageReport(out_dir, files, manifest["pdf"], manifest)


def export_kvalitetsberattelse(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    out: Path,
    *,
    template: Path | None = None,
) -> Path:
    """Write the draft kvalitetsberättelse for ``year``; a plan is used when there is one."""
    data = gather(uow, catalog, namnd_name, year, require_plan=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_kvalitetsberattelse(data, out, template=template)
    return out


def zip_folder(folder: Path) -> bytes:
    """The package folder as one zip, for a browser download."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = shutil.make_archive(str(Path(scratch) / folder.name), "zip", folder)
        return Path(archive).read_bytes()
