"""Use cases of the risk workshop: analyses, participants, risks, votes and assessment.

Each public function is one user action: it enters the unit of work it is given once,
validates against the catalog, and commits there, so a failed action leaves nothing
half-written. ``risk_views`` and the checks in ``rules`` run inside a caller's open unit
of work.
"""

from riskmotor.services.workshop.analyses import (
    analyses_for,
    check_scales_in_use,
    chosen_or_default_analysis,
    create_analysis,
    find_analysis,
    get_analysis,
    update_analysis,
)
from riskmotor.services.workshop.participants import (
    add_participant,
    participants,
    remove_participant,
    update_participant,
)
from riskmotor.services.workshop.risks import (
    add_risk,
    add_risk_from_template,
    delete_risk,
    get_risk,
    restore_risk,
    update_risk,
)
from riskmotor.services.workshop.rules import check_unique_title, ensure_editable, invalid_input
from riskmotor.services.workshop.views import list_risks, risk_views
from riskmotor.services.workshop.votes import (
    cast_vote,
    confirm_all,
    confirm_assessment,
    confirm_undisputed,
    votes_for_analysis,
)

__all__ = [
    "add_participant",
    "add_risk",
    "add_risk_from_template",
    "analyses_for",
    "cast_vote",
    "check_scales_in_use",
    "check_unique_title",
    "chosen_or_default_analysis",
    "confirm_all",
    "confirm_assessment",
    "confirm_undisputed",
    "create_analysis",
    "delete_risk",
    "ensure_editable",
    "find_analysis",
    "get_analysis",
    "get_risk",
    "invalid_input",
    "list_risks",
    "participants",
    "remove_participant",
    "restore_risk",
    "risk_views",
    "update_analysis",
    "update_participant",
    "update_risk",
    "votes_for_analysis",
]
