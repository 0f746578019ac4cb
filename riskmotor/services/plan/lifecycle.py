"""The plan's decision path: utkast → för beslut → fastställd (and back to utkast).

The rules live in :class:`~riskmotor.domain.plan.ControlPlan`; each use case loads the
stored plan, applies the rule and stores the result in one transaction. Sending for
decision freezes the plan's content; adoption freezes the same content again, with the
decision, so the nämnd adopts exactly what it received.
"""

from __future__ import annotations

from datetime import date

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import ControlPlan, PlanStatus
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.snapshot import content_json
from riskmotor.services.plan.sections import decision_content
from riskmotor.services.plan.snapshots import (
    active_snapshot,
    freeze,
    submission_items,
    void,
)


def submit(uow: UnitOfWork, catalog: Catalog, plan_id: int, dnr: str | None = None) -> ControlPlan:
    """Utkast → för beslut once the plan is complete; its content is frozen from now on."""
    with uow:
        plan = uow.control_plans.get(plan_id)
        content = decision_content(uow, catalog, plan)
        stored = uow.control_plans.update(plan.submit(submission_items(content), dnr))
        freeze(uow, stored, content_json(content))
        uow.commit()
        return stored


def withdraw(uow: UnitOfWork, plan_id: int) -> ControlPlan:
    """För beslut → utkast, so the draft can be changed again; the frozen content is void."""
    with uow:
        plan = uow.control_plans.get(plan_id)
        draft = plan.withdraw()
        if plan.status == PlanStatus.FOR_BESLUT:
            void(uow, plan)
        stored = uow.control_plans.update(draft)
        uow.commit()
        return stored


def approve(
    uow: UnitOfWork, catalog: Catalog, plan_id: int, decision_date: date, paragraf: str, dnr: str
) -> ControlPlan:
    """Nämnden fastställer planen (a draft is submitted first): the content it received för
    beslut is frozen again with the decision."""
    with uow:
        plan = uow.control_plans.get(plan_id)
        received = active_snapshot(uow, plan)
        if received is not None:
            content = received.content
        else:  # a draft (or a plan submitted before contents were frozen)
            live = decision_content(uow, catalog, plan)
            if plan.status == PlanStatus.UTKAST:
                plan = plan.submit(submission_items(live))
            content = content_json(live)
        stored = uow.control_plans.update(plan.approve(decision_date, paragraf, dnr))
        freeze(uow, stored, content)
        uow.commit()
        return stored
