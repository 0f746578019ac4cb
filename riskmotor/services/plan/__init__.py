"""Use cases of the internkontrollplan: propose, complete, adopt, version, copy, follow up.

One module per capability; this package re-exports the public API so callers write
``from riskmotor.services import plan; plan.propose(...)``. Functions whose first
parameter is ``tx`` (``plan_view``, ``plan_versions``, ``plan_diff``, ``followup_report``)
run inside a caller's open unit of work; the others are use cases that open their own.
"""

from __future__ import annotations

from riskmotor.domain.plan import PlanFrozenError
from riskmotor.reports.plan import FollowupReport, PlanRiskView, PlanView
from riskmotor.services.plan.contents import (
    add_action,
    add_control,
    delete_action,
    delete_control,
    set_opinion,
    update_control,
)
from riskmotor.services.plan.fields import FieldProblemsError
from riskmotor.services.plan.followup import (
    ActionProgress,
    ControlResult,
    ResidualScore,
    followup_report,
    followup_summary,
    record_control_followup,
    record_followup,
    record_risk_followup,
    set_action_status,
)
from riskmotor.services.plan.lifecycle import approve, submit, withdraw
from riskmotor.services.plan.proposal import (
    propose,
    set_must_include,
    set_override,
    set_treatment,
    suggested_controls,
)
from riskmotor.services.plan.read import (
    current_plan,
    find_plan,
    find_plan_risk,
    find_plan_view,
    latest_plan,
    plan_versions,
    plan_view,
    view,
)
from riskmotor.services.plan.tables import (
    TableSaved,
    add_catalog_suggestions,
    save_actions,
    save_controls,
)

# ``versions`` is both a module and a use case; importing the name from the module binds
# the function, so ``plan.versions(...)`` stays the use case.
from riskmotor.services.plan.versions import (
    copy_to_next_year,
    diff,
    new_version,
    plan_diff,
    versions,
)

__all__ = [
    "ActionProgress",
    "ControlResult",
    "FieldProblemsError",
    "FollowupReport",
    "PlanFrozenError",
    "PlanRiskView",
    "PlanView",
    "ResidualScore",
    "TableSaved",
    "add_action",
    "add_catalog_suggestions",
    "add_control",
    "approve",
    "copy_to_next_year",
    "current_plan",
    "delete_action",
    "delete_control",
    "diff",
    "find_plan",
    "find_plan_risk",
    "find_plan_view",
    "followup_report",
    "followup_summary",
    "latest_plan",
    "new_version",
    "plan_diff",
    "plan_versions",
    "plan_view",
    "propose",
    "record_control_followup",
    "record_followup",
    "record_risk_followup",
    "save_actions",
    "save_controls",
    "set_action_status",
    "set_must_include",
    "set_opinion",
    "set_override",
    "set_treatment",
    "submit",
    "suggested_controls",
    "update_control",
    "versions",
    "view",
    "withdraw",
]
