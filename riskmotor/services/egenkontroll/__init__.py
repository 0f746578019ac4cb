"""Use cases of egenkontroll: plan a sample, draw it from a case list, hand out the
checklist, import the reviewed checklist and evaluate it per kontrollmoment.

One module per capability; this package re-exports the public API, so callers write
``from riskmotor.services import egenkontroll; egenkontroll.draw(...)``.
"""

from riskmotor.services.egenkontroll.caselist import CaseListRow, case_list_columns, read_case_list
from riskmotor.services.egenkontroll.checklist import (
    RESERVE,
    SAMPLE,
    answer_counts,
    checklist_workbook,
    import_checklist,
)
from riskmotor.services.egenkontroll.draws import (
    WHOLE_POPULATION,
    CaseDraw,
    draw,
    draw_cases,
    draw_to_file,
    draws,
    sampled_cases,
)
from riskmotor.services.egenkontroll.evaluation import evaluate, evaluate_draw, trend
from riskmotor.services.egenkontroll.planning import (
    DEFAULT_CONTROL_KEYS,
    fixed_sample_reach,
    plan_egenkontroll,
    plans,
    sample_sizing,
)
from riskmotor.services.egenkontroll.recording import record_draw
from riskmotor.services.egenkontroll.results import evaluate_checklist, evaluate_checklist_file

__all__ = [
    "DEFAULT_CONTROL_KEYS",
    "RESERVE",
    "SAMPLE",
    "WHOLE_POPULATION",
    "CaseDraw",
    "CaseListRow",
    "answer_counts",
    "case_list_columns",
    "checklist_workbook",
    "draw",
    "draw_cases",
    "draw_to_file",
    "draws",
    "evaluate",
    "evaluate_checklist",
    "evaluate_checklist_file",
    "evaluate_draw",
    "fixed_sample_reach",
    "import_checklist",
    "plan_egenkontroll",
    "plans",
    "read_case_list",
    "record_draw",
    "sample_sizing",
    "sampled_cases",
    "trend",
]
