"""Deviations as evidence for the risk analysis: link reports or a whole root-cause group to a
risk, read the evidence back, and create a risk from a pattern."""

from __future__ import annotations

from collections import Counter

from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain.deviations import (
    RateComparison,
    compare_rates,
    count_by_category,
    period_days,
    period_months,
    previous_tertial,
    same_cause,
    tertial_of,
)
from riskmotor.domain.egenkontroll import parse_period
from riskmotor.domain.models import Deviation, DeviationLink, Risk, RiskSource
from riskmotor.domain.terms import CATEGORY_LABELS
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.deviations import RiskEvidence
from riskmotor.services.deviations.analysis import category_keys, deviation_keys
from riskmotor.services.workshop import check_unique_title, ensure_editable, invalid_input


def link_to_risk(
    uow: UnitOfWork,
    risk_id: int,
    deviation_ids: list[int] | None = None,
    cause_group: str | None = None,
    note: str = "",
) -> list[DeviationLink]:
    """Link single reports, or a whole root-cause group, to a risk as evidence."""
    if bool(deviation_ids) == bool(cause_group and cause_group.strip()):
        raise InvalidInputError("Välj antingen avvikelser eller en orsaksgrupp att koppla.")
    with uow:
        risk = uow.risks.get(risk_id)
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        found = uow.deviations.for_namnd(analysis.namnd_id)
        existing = uow.deviation_links.for_risk(risk_id)
        if cause_group:
            drafts = [_cause_link(risk_id, cause_group, found, existing, note)]
        else:
            drafts = _deviation_links(risk_id, deviation_ids or [], found, existing, note)
        created = [uow.deviation_links.add(link) for link in drafts]
        uow.commit()
        return created


def _cause_link(
    risk_id: int,
    cause_group: str,
    found: list[Deviation],
    existing: list[DeviationLink],
    note: str,
) -> DeviationLink:
    members = [d for d in found if same_cause(d, cause_group)]
    if not members:
        raise InvalidInputError(f"Det finns inga avvikelser med orsaken ”{cause_group.strip()}”.")
    if any(link.cause_group and same_cause(members[0], link.cause_group) for link in existing):
        raise DuplicateError(f"Orsaken ”{members[0].cause}” är redan kopplad till risken.")
    return DeviationLink(risk_id=risk_id, cause_group=members[0].cause, note=note)


def _deviation_links(
    risk_id: int,
    deviation_ids: list[int],
    found: list[Deviation],
    existing: list[DeviationLink],
    note: str,
) -> list[DeviationLink]:
    known = {d.id for d in found}
    strangers = sorted(set(deviation_ids) - known)
    if strangers:
        raise InvalidInputError(
            f"Avvikelserna {', '.join(map(str, strangers))} finns inte för riskens nämnd."
        )
    linked = {link.deviation_id for link in existing}
    new = [i for i in dict.fromkeys(deviation_ids) if i not in linked]
    if not new:
        raise DuplicateError("Avvikelserna är redan kopplade till risken.")
    return [DeviationLink(risk_id=risk_id, deviation_id=i, note=note) for i in new]


def risk_evidence(uow: UnitOfWork, catalog: Catalog, risk_id: int) -> RiskEvidence:
    """The reports linked to a risk; a cause-group link counts every report with that cause."""
    with uow:
        risk = uow.risks.get(risk_id)
        namnd_id = uow.analyses.get(risk.analysis_id).namnd_id
        links = uow.deviation_links.for_risk(risk_id)
        found = uow.deviations.for_namnd(namnd_id) if links else []
    ids = {link.deviation_id for link in links if link.deviation_id is not None}
    groups = [link.cause_group for link in links if link.cause_group]
    linked = [d for d in found if d.id in ids or any(same_cause(d, g) for g in groups)]
    by_tertial = dict(Counter(tertial_of(d.occurred_on) for d in linked))
    return RiskEvidence(
        risk_id=risk_id,
        links=links,
        total=len(linked),
        by_category=count_by_category(linked, category_keys(catalog)),
        by_tertial=by_tertial,
        cause_groups=groups,
        trend=_latest_trend(linked) if linked else None,
    )


def _latest_trend(linked: list[Deviation]) -> RateComparison:
    """The latest tertial with reports against the tertial before it."""
    second = parse_period(tertial_of(max(d.occurred_on for d in linked)))
    first = parse_period(previous_tertial(second.label))
    return compare_rates(
        sum(first.contains(d.occurred_on) for d in linked),
        period_days(first),
        sum(second.contains(d.occurred_on) for d in linked),
        period_days(second),
        months1=period_months(first),
        months2=period_months(second),
        labels=(first.label, second.label),
        what="kopplade avvikelser",
    )


def create_risk_from_pattern(
    uow: UnitOfWork, catalog: Catalog, analysis_id: int, cause_group: str, title: str
) -> Risk:
    """A new risk (source: avvikelse) from a root-cause group, with the group linked to it."""
    with uow:
        analysis = uow.analyses.get(analysis_id)
        ensure_editable(analysis)
        wanted = deviation_keys(catalog)
        members = [
            d
            for d in uow.deviations.for_namnd(analysis.namnd_id)
            if d.category in wanted and same_cause(d, cause_group)
        ]
        if not members:
            raise InvalidInputError(f"Det finns inga avvikelser med orsaken ”{cause_group}”.")
        try:
            risk = Risk(
                analysis_id=analysis_id,
                title=title,
                description=_pattern_description(members),
                causes=members[0].cause,
                source=RiskSource.AVVIKELSE,
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None
        check_unique_title(uow, risk)
        stored = uow.risks.add(risk)
        assert stored.id is not None
        uow.deviation_links.add(
            DeviationLink(
                risk_id=stored.id,
                cause_group=members[0].cause,
                note="Risken skapades från avvikelsemönstret.",
            )
        )
        uow.commit()
        return stored


def _pattern_description(members: list[Deviation]) -> str:
    first = min(d.occurred_on for d in members)
    last = max(d.occurred_on for d in members)
    categories = Counter(CATEGORY_LABELS[d.category] for d in members)
    units = Counter(d.enhet for d in members if d.enhet)
    parts = [
        f"{len(members)} avvikelser {first.isoformat()}–{last.isoformat()} med orsaken "
        f"”{members[0].cause}”",
        ", ".join(f"{name} {n}" for name, n in categories.most_common()),
    ]
    if units:
        parts.append("vanligast i " + ", ".join(name for name, _ in units.most_common(3)))
    return "Skapad från avvikelser: " + "; ".join(parts) + "."
