"""Use cases for risk analyses: create, find, list and update."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import RiskAnalysis, UnitKind
from riskmotor.errors import AccessDeniedError, DuplicateError, InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.organisation import namnd_by_name
from riskmotor.services.workshop.rules import invalid_input


def create_analysis(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    year: int,
    *,
    title: str | None = None,
    scale_key: str | None = None,
    workshop_dates: list[date] | None = None,
) -> RiskAnalysis:
    scale = catalog.scale(scale_key)
    with uow:
        namnd = uow.units.get(namnd_id)
        if uow.analyses.find(namnd_id, year):
            raise DuplicateError(f"{namnd.name} har redan en riskanalys för {year}.")
        try:
            analysis = RiskAnalysis(
                namnd_id=namnd_id,
                year=year,
                title=title or f"Riskanalys {year} – {namnd.name}",
                scale_key=scale.key,
                workshop_dates=workshop_dates or [],
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None
        stored = uow.analyses.add(analysis)
        uow.commit()
        return stored


def find_analysis(uow: UnitOfWork, namnd_name: str, year: int) -> RiskAnalysis:
    with uow:
        namnd = namnd_by_name(uow, namnd_name)
        assert namnd.id is not None
        analysis = uow.analyses.find(namnd.id, year)
        if analysis is None:
            raise NotFoundError(f"{namnd_name} har ingen riskanalys för {year}.")
        return analysis


def analyses_for(uow: UnitOfWork, namnd_id: int) -> list[RiskAnalysis]:
    with uow:
        return uow.analyses.for_namnd(namnd_id)


def check_scales_in_use(uow: UnitOfWork, catalog: Catalog) -> None:
    """Refuse a catalog that lacks a scale some stored risk analysis is scored on (of the
    nämnder the identity may read)."""
    with uow:
        readable = uow.access.readable_namnd_ids()
        for namnd in uow.units.of_kind(UnitKind.NAMND):
            assert namnd.id is not None
            if readable is not None and namnd.id not in readable:
                continue
            for analysis in uow.analyses.for_namnd(namnd.id):
                if analysis.scale_key not in catalog.scales:
                    raise InvalidInputError(
                        f"Riskanalysen {analysis.title!r} använder skalan "
                        f"{analysis.scale_key!r}, som saknas i katalogen {catalog.directory}."
                    )


def get_analysis(uow: UnitOfWork, analysis_id: int) -> RiskAnalysis:
    with uow:
        return uow.analyses.get(analysis_id)


def update_analysis(uow: UnitOfWork, catalog: Catalog, analysis: RiskAnalysis) -> RiskAnalysis:
    catalog.scale(analysis.scale_key)
    with uow:
        stored = uow.analyses.update(analysis)
        uow.commit()
        return stored


def chosen_or_default_analysis(uow: UnitOfWork, analysis_id: int | None) -> RiskAnalysis | None:
    """The analysis a user chose, or when it no longer exists (or none was chosen) the
    newest analysis of the first nämnd that has one; None in an empty database. A
    logged-in user gets only analyses of nämnder where they have a role."""
    with uow:
        readable = uow.access.readable_namnd_ids()
        if analysis_id is not None:
            try:
                chosen = uow.analyses.get(analysis_id)
                if readable is None or chosen.namnd_id in readable:
                    return chosen
            except (NotFoundError, AccessDeniedError):  # gone, or of another nämnd
                pass
        for namnd in uow.units.of_kind(UnitKind.NAMND):
            if readable is not None and namnd.id not in readable:
                continue
            if namnd.id is not None and (found := uow.analyses.for_namnd(namnd.id)):
                return found[0]
        return None
