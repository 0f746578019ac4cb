"""The plan's contents while it is a draft: kontrollmoment, åtgärder and förvaltningens opinion.

Every change checks, in the same transaction as the write, that the stored plan is still
editable, so a plan adopted a moment ago cannot be changed by a page opened before.
"""

from __future__ import annotations

from collections.abc import Mapping

from riskmotor.domain.plan import ControlPlan, PlanAction, PlanControl
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.plan.fields import checked_action, checked_control
from riskmotor.services.plan.read import plan_of_risk


def add_control(uow: UnitOfWork, draft: Mapping[str, object]) -> PlanControl:
    """Add a kontrollmoment (fields of :class:`PlanControl`) to an included risk; an invalid
    field is refused with a Swedish message naming it."""
    control = checked_control(draft)
    with uow:
        plan_risk = uow.plan_risks.get(control.plan_risk_id)
        plan_of_risk(uow, control.plan_risk_id).ensure_editable()
        if not plan_risk.included:
            raise InvalidInputError("Kontrollmoment läggs bara till risker som ingår i planen.")
        stored = uow.plan_controls.add(control)
        uow.commit()
        return stored


def update_control(uow: UnitOfWork, control: PlanControl) -> PlanControl:
    """Change a kontrollmoment of a draft; the check is made on the stored row's plan, and
    the kontrollmoment can only be moved to another risk of the same plan version."""
    with uow:
        stored_plan = plan_of_risk(uow, uow.plan_controls.get(control.id or 0).plan_risk_id)
        stored_plan.ensure_editable()
        if plan_of_risk(uow, control.plan_risk_id).id != stored_plan.id:
            raise InvalidInputError(
                "Kontrollmomentet hör till en annan version av planen och kan inte flyttas dit."
            )
        stored = uow.plan_controls.update(control)
        uow.commit()
        return stored


def delete_control(uow: UnitOfWork, control_id: int, expected_version: int) -> None:
    with uow:
        plan_of_risk(uow, uow.plan_controls.get(control_id).plan_risk_id).ensure_editable()
        uow.plan_controls.delete(control_id, expected_version)
        uow.commit()


def add_action(uow: UnitOfWork, draft: Mapping[str, object]) -> PlanAction:
    """Add an åtgärd (fields of :class:`PlanAction`) to a risk of a draft plan."""
    action = checked_action(draft)
    with uow:
        plan_of_risk(uow, action.plan_risk_id).ensure_editable()
        stored = uow.plan_actions.add(action)
        uow.commit()
        return stored


def delete_action(uow: UnitOfWork, action_id: int, expected_version: int) -> None:
    with uow:
        plan_of_risk(uow, uow.plan_actions.get(action_id).plan_risk_id).ensure_editable()
        uow.plan_actions.delete(action_id, expected_version)
        uow.commit()


def set_opinion(uow: UnitOfWork, plan_id: int, text: str) -> ControlPlan:
    """Förvaltningens synpunkter for the tjänsteutlåtande."""
    with uow:
        plan = uow.control_plans.get(plan_id)
        plan.ensure_editable()
        stored = uow.control_plans.update(plan.model_copy(update={"opinion": text}))
        uow.commit()
        return stored
