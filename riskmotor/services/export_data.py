"""What the exports read, gathered inside the caller's one open unit of work (``tx``).

:func:`gather` reads one nämnd's year live (the workbook and the kvalitetsberättelse);
:func:`gather_decision` reads a plan version för beslut or fastställd from its frozen
content (``riskmotor.services.plan.snapshots``): risks, scores, scale, participants, the
analysis title, and the package sections beside the plan (sampling results, evidence, plan
diff, deviation summary, workshop dates; ``riskmotor.services.plan.sections``) as the nämnd
received them, and the documents dated by the data — the
decision date, or the day the content was frozen — so the same version renders to the same
bytes. Deviation free text and personnummer pseudonyms are never read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import OrgUnit, RiskAnalysis
from riskmotor.domain.plan import ControlPlan, PlanSnapshot, PlanStatus
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.export.legal import legal_labels, unverified_references
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.export import ExportData, Signatories
from riskmotor.reports.matrix import build_matrix, points
from riskmotor.reports.plan import FollowupReport, PlanView
from riskmotor.reports.risks import RiskView
from riskmotor.reports.snapshot import FrozenParticipant, FrozenSections, parse_content
from riskmotor.services.organisation import namnd_by_name
from riskmotor.services.plan import followup_report, plan_versions, plan_view, sections
from riskmotor.services.plan.snapshots import active_snapshot
from riskmotor.services.workshop import risk_views

NO_PLAN_MESSAGE = (
    "{namnd} har ingen internkontrollplan för {year}. Föreslå en först, till exempel med "
    'riskmotor plan propose --namnd "{namnd}" --year {year}.'
)
NOT_DECIDABLE_MESSAGE = (
    "{namnd} har ingen version av internkontrollplanen för {year} som är för beslut eller "
    "fastställd. Ett beslutspaket görs av det innehåll som skickas för beslut: "
    'riskmotor plan submit --namnd "{namnd}" --year {year}.'
)
SWEDEN = ZoneInfo("Europe/Stockholm")
DECIDABLE = (PlanStatus.FOR_BESLUT, PlanStatus.FASTSTALLD)


def _kommun_name(tx: UnitOfWork, namnd: OrgUnit) -> str:
    return tx.units.get(namnd.parent_id).name if namnd.parent_id is not None else ""


def _analysis(tx: UnitOfWork, namnd: OrgUnit, year: int) -> RiskAnalysis:
    analysis = tx.analyses.find(namnd.id or 0, year)
    if analysis is None:
        raise NotFoundError(f"{namnd.name} har ingen riskanalys för {year}.")
    return analysis


def _followups(
    tx: UnitOfWork, catalog: Catalog, view: PlanView, today: date
) -> list[FollowupReport]:
    """The follow-up of every tertial that has a reported result."""
    control_ids = [c.id or 0 for v in view.included for c in v.controls]
    reported = {f.period for f in tx.control_followups.for_controls(control_ids)}
    plan_id = view.plan.id or 0
    return [followup_report(tx, catalog, plan_id, period, today) for period in sorted(reported)]


def _only(participants: list[FrozenParticipant], role: str) -> str:
    """The one participant with ``role``; '' when there is none or more than one."""
    found = [p.name for p in participants if p.role.strip().lower() == role]
    return found[0] if len(found) == 1 else ""


def _with_chiefs(people: Signatories, participants: list[FrozenParticipant]) -> Signatories:
    """The förvaltningschef and avdelningschef from the settings, or else the one
    participant of the risk analysis with that role."""
    return replace(
        people,
        forvaltningschef=people.forvaltningschef or _only(participants, "förvaltningschef"),
        avdelningschef=people.avdelningschef or _only(participants, "avdelningschef"),
    )


def _frozen_participants(tx: UnitOfWork, analysis_id: int) -> list[FrozenParticipant]:
    return [
        FrozenParticipant(name=p.name, role=p.role, function=p.function)
        for p in tx.participants.for_analysis(analysis_id)
    ]


def _assemble(
    tx: UnitOfWork,
    catalog: Catalog,
    namnd: OrgUnit,
    year: int,
    analysis: RiskAnalysis,
    view: PlanView | None,
    live: bool,
    signatories: Signatories | None,
    frozen: FrozenSections | None = None,
) -> ExportData:
    """The export data; with ``live`` False the plan's risks, scale, participants and
    analysis title come from the frozen ``view``, the sampling results, evidence, plan diff,
    deviation summary and workshop dates from the ``frozen`` sections, and follow-up (which
    continues after the decision) is left out."""
    namnd_id = namnd.id or 0
    analysis_id = analysis.id or 0
    if live or view is None or view.scale is None:
        scale = catalog.scale(analysis.scale_key)
        risks: list[RiskView] = risk_views(tx, catalog, analysis_id)
        participants = _frozen_participants(tx, analysis_id)
    else:
        scale = view.scale
        risks = [item.risk for item in view.risks]
        participants = list(view.participants)
        analysis = analysis.model_copy(update={"title": view.analysis_title})
    titles = {r.id: r.title for r in risks}
    today = tx.clock.today()
    if live or frozen is None:
        # A draft, or a version frozen before the package sections were part of its content
        # (format 1, no ``sections``): those sections can only be read live.
        summary, causes = sections.deviations(tx, catalog, namnd_id, year)
        frozen = FrozenSections(
            sampling=sections.sampling(tx, catalog, namnd_id, year, titles),
            evidence=sections.evidence(tx, analysis_id, titles),
            plan_diff=sections.diff(tx, catalog, view.plan if view is not None else None),
            deviation_summary=summary,
            top_causes=causes,
            workshop_dates=analysis.workshop_dates,
        )
    analysis = analysis.model_copy(update={"workshop_dates": list(frozen.workshop_dates)})
    return ExportData(
        kommun=_kommun_name(tx, namnd),
        namnd=namnd.name,
        year=year,
        analysis=analysis,
        scale=scale,
        participants=participants,
        risks=risks,
        plan=view,
        plan_diff=frozen.plan_diff,
        inherent=build_matrix(scale, points(risks, "inherent"), "inherent"),
        residual=build_matrix(scale, points(risks, "residual"), "residual"),
        sampling=frozen.sampling,
        followups=_followups(tx, catalog, view, today) if view and live else [],
        deviation_summary=frozen.deviation_summary,
        top_causes=frozen.top_causes,
        deviation_labels={c.key: c.name for c in catalog.deviation_categories},
        evidence=frozen.evidence,
        legal=legal_labels(catalog),
        generated_at=tx.clock.now(),
        today=today,  # the Swedish date of the export; documents use document_date
        signatories=_with_chiefs(signatories or Signatories(), participants),
        unverified_references=unverified_references(catalog),
    )


def gather(
    tx: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    *,
    require_plan: bool,
    signatories: Signatories | None = None,
) -> ExportData:
    """Read everything the workbook or the kvalitetsberättelse shows, live, inside ``tx``."""
    namnd = namnd_by_name(tx, namnd_name)
    analysis = _analysis(tx, namnd, year)
    found = plan_versions(tx, namnd.id or 0, year)
    if not found and require_plan:
        raise NotFoundError(NO_PLAN_MESSAGE.format(namnd=namnd.name, year=year))
    view = plan_view(tx, catalog, found[-1].id or 0) if found else None
    return _assemble(tx, catalog, namnd, year, analysis, view, True, signatories)


def decision_version(
    tx: UnitOfWork, namnd: OrgUnit, year: int, version: int | None
) -> tuple[ControlPlan, PlanSnapshot]:
    """Plan version ``version`` (default: the newest för beslut or fastställd) and the
    frozen content it is rendered from; refuses a draft."""
    found = plan_versions(tx, namnd.id or 0, year)
    if not found:
        raise NotFoundError(NO_PLAN_MESSAGE.format(namnd=namnd.name, year=year))
    if version is None:
        decidable = [p for p in found if p.status in DECIDABLE]
        if not decidable:
            raise InvalidInputError(NOT_DECIDABLE_MESSAGE.format(namnd=namnd.name, year=year))
        plan = decidable[-1]
    else:
        matching = [p for p in found if p.plan_version == version]
        if not matching:
            numbers = ", ".join(str(p.plan_version) for p in found)
            raise NotFoundError(
                f"{namnd.name} har ingen version {version} av planen för {year} "
                f"(det finns: {numbers})."
            )
        plan = matching[0]
    snapshot = active_snapshot(tx, plan)
    if plan.status not in DECIDABLE or snapshot is None:
        raise InvalidInputError(
            f"Version {plan.plan_version} är {plan.status.value} och har inget fryst innehåll. "
            + NOT_DECIDABLE_MESSAGE.format(namnd=namnd.name, year=year)
        )
    return plan, snapshot


def gather_decision(
    tx: UnitOfWork,
    catalog: Catalog,
    namnd_name: str,
    year: int,
    version: int | None,
    signatories: Signatories | None = None,
) -> tuple[ExportData, PlanSnapshot]:
    """The plan version för beslut or fastställd as frozen, dated by its data."""
    namnd = namnd_by_name(tx, namnd_name)
    plan, snapshot = decision_version(tx, namnd, year, version)
    analysis = tx.analyses.get(plan.analysis_id)
    view = plan_view(tx, catalog, plan.id or 0)
    frozen = parse_content(snapshot.content).sections
    data = _assemble(tx, catalog, namnd, year, analysis, view, False, signatories, frozen)
    frozen_on = snapshot.created_at.astimezone(SWEDEN).date()
    # The documents carry the decision date once adopted (document_date), else the day the
    # content was frozen; never the day of the export.
    return replace(data, generated_at=snapshot.created_at, today=frozen_on), snapshot
