"""Reading the internkontrollplan: helpers inside an open transaction, and the read use cases."""

from __future__ import annotations

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import ControlPlan, PlanRisk
from riskmotor.errors import NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import PlanView
from riskmotor.services.organisation import namnd_by_name
from riskmotor.services.plan import snapshots

# helpers (take the open unit of work) --------------------------------------------------


def plan_versions(tx: UnitOfWork, namnd_id: int, year: int) -> list[ControlPlan]:
    """Every version of the nämnd's plan for the year, oldest first."""
    return tx.control_plans.versions(namnd_id, year)


def latest_plan(tx: UnitOfWork, namnd_id: int, year: int) -> ControlPlan:
    found = plan_versions(tx, namnd_id, year)
    if not found:
        raise NotFoundError(
            f"Det finns ingen internkontrollplan för {year} ännu. Föreslå en först."
        )
    return found[-1]


def plan_view(tx: UnitOfWork, catalog: Catalog, plan_id: int) -> PlanView:
    """The plan version as shown: from its frozen content when it is för beslut or
    fastställd, live from the risk analysis when it is a draft (with the risks marked that
    differ from the adopted version)."""
    plan = tx.control_plans.get(plan_id)
    snapshot = snapshots.active_snapshot(tx, plan)
    if snapshot is not None:
        return snapshots.frozen_view(tx, plan, snapshot)
    return snapshots.draft_view(tx, catalog, plan)


def plan_of_risk(tx: UnitOfWork, plan_risk_id: int) -> ControlPlan:
    return tx.control_plans.get(tx.plan_risks.get(plan_risk_id).plan_id)


def plan_risk_of(tx: UnitOfWork, plan_id: int, risk_id: int) -> PlanRisk:
    """The plan's entry for the analysis risk ``risk_id`` (the id the CLI and pages show)."""
    match = next((p for p in tx.plan_risks.for_plan(plan_id) if p.risk_id == risk_id), None)
    if match is None:
        plan = tx.control_plans.get(plan_id)
        raise NotFoundError(f"Risk {risk_id} finns inte i internkontrollplanen för {plan.year}.")
    return match


# use cases -----------------------------------------------------------------------------


def current_plan(uow: UnitOfWork, namnd_id: int, year: int) -> ControlPlan:
    """The newest version of the nämnd's plan for the year."""
    with uow:
        return latest_plan(uow, namnd_id, year)


def find_plan(uow: UnitOfWork, namnd_name: str, year: int) -> ControlPlan:
    """The newest version of the plan of the nämnd called ``namnd_name`` for the year."""
    with uow:
        return latest_plan(uow, _namnd_id(uow, namnd_name), year)


def find_plan_view(uow: UnitOfWork, catalog: Catalog, namnd_name: str, year: int) -> PlanView:
    """The newest version of the named nämnd's plan for the year, with its contents."""
    with uow:
        found = latest_plan(uow, _namnd_id(uow, namnd_name), year)
        return plan_view(uow, catalog, found.id or 0)


def find_plan_risk(uow: UnitOfWork, namnd_name: str, year: int, risk_id: int) -> PlanRisk:
    """The current plan's entry for an analysis risk, so a caller never searches output."""
    with uow:
        found = latest_plan(uow, _namnd_id(uow, namnd_name), year)
        return plan_risk_of(uow, found.id or 0, risk_id)


def view(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> PlanView:
    with uow:
        return plan_view(uow, catalog, plan_id)


def _namnd_id(tx: UnitOfWork, namnd_name: str) -> int:
    namnd = namnd_by_name(tx, namnd_name)
    assert namnd.id is not None  # stored units always have an id
    return namnd.id
