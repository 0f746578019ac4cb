"""The names a reader knows the rows of the audit log by: a risk's title, a plan's year and
version, a vote's participant and risk — looked up inside an open unit of work.

A row still in the database is read through its repository; a deleted one is named from
its last create or delete entry in the log (which holds every field). Each name is looked up
once per read model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from riskmotor.domain.models import AuditEntry
from riskmotor.domain.terms import CATEGORY_LABELS, ENTITY_LABELS, local_time
from riskmotor.errors import AccessDeniedError, NotFoundError
from riskmotor.persistence.read_access import NAMND_BATCHES
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.audit_format import ALL_FIELDS, decode

# The unit of work's repository for each kind of row.
REPOSITORIES: dict[str, str] = {
    "risk": "risks",
    "risk_analysis": "analyses",
    "participant": "participants",
    "vote": "votes",
    "org_unit": "units",
    "scenario": "scenarios",
    "simulation_run": "simulation_runs",
    "egenkontroll_plan": "egenkontroll_plans",
    "sample_draw": "sample_draws",
    "sampled_case": "sampled_cases",
    "checklist_answer": "checklist_answers",
    "deviation": "deviations",
    "deviation_link": "deviation_links",
    "control_plan": "control_plans",
    "plan_risk": "plan_risks",
    "plan_control": "plan_controls",
    "plan_action": "plan_actions",
    "control_followup": "control_followups",
    "risk_followup": "risk_followups",
    "plan_snapshot": "plan_snapshots",
    "plan_package": "plan_packages",
}
# Rows named by one of their own fields.
NAME_FIELDS: dict[str, str] = {
    "risk": "title",
    "risk_analysis": "title",
    "participant": "name",
    "org_unit": "name",
    "scenario": "name",
    "egenkontroll_plan": "name",
    "plan_control": "control_activity",
    "plan_action": "what",
    "sampled_case": "case_id",
}
UNKNOWN = "(finns inte längre)"

Values = Mapping[str, Any]


class NameBook:
    """Names of rows for one read model, looked up at most once each."""

    def __init__(self, tx: UnitOfWork, entries: list[AuditEntry]) -> None:
        self.tx = tx
        self._names: dict[tuple[str, int], str] = {}
        self._logged: dict[tuple[str, int], Values] = {}
        for entry in entries:
            self._remember(entry)

    def _remember(self, entry: AuditEntry) -> None:
        if entry.field != ALL_FIELDS:
            return
        values = decode(entry.new if entry.action == "create" else entry.old)
        if isinstance(values, dict):
            self._logged.setdefault((entry.entity, entry.entity_id), values)

    # public ------------------------------------------------------------------------
    def name(self, entity: str, item_id: int) -> str:
        """What a reader calls row ``item_id`` of ``entity``."""
        key = (entity, item_id)
        if key not in self._names:
            self._names[key] = UNKNOWN  # guards against a cycle of references
            self._names[key] = self._name(entity, item_id)
        return self._names[key]

    def subject(self, entry: AuditEntry) -> str:
        """Which row an entry is about."""
        if entry.entity in NAMND_BATCHES:
            return self.name("org_unit", entry.entity_id)
        if entry.entity == "installation_setting":
            return "riskmotor"
        return self.name(entry.entity, entry.entity_id)

    # lookup ------------------------------------------------------------------------
    def _values(self, entity: str, item_id: int) -> Values | None:
        repository = getattr(self.tx, REPOSITORIES.get(entity, ""), None)
        if repository is not None:
            try:
                return dict(repository.get(item_id).model_dump(mode="json"))
            except (NotFoundError, AccessDeniedError):  # gone, or not readable: as logged
                pass
        key = (entity, item_id)
        if key not in self._logged:
            for entry in self.tx.audit.entries(entity=entity, entity_id=item_id, limit=20):
                self._remember(entry)
        return self._logged.get(key)

    def _name(self, entity: str, item_id: int) -> str:
        values = self._values(entity, item_id)
        if values is None:
            return UNKNOWN
        field = NAME_FIELDS.get(entity)
        if field is not None:
            return str(values.get(field) or UNKNOWN)
        compose = COMPOSED.get(entity)
        return compose(self, values) if compose else ENTITY_LABELS.get(entity, entity)

    def ref(self, entity: str, values: Values, field: str) -> str:
        item_id = values.get(field)
        return self.name(entity, item_id) if isinstance(item_id, int) else UNKNOWN


def _vote(book: NameBook, v: Values) -> str:
    return f"{book.ref('participant', v, 'participant_id')} om {book.ref('risk', v, 'risk_id')}"


def _control_plan(_book: NameBook, v: Values) -> str:
    return f"{v.get('year')}, version {v.get('plan_version')}"


def _sample_draw(book: NameBook, v: Values) -> str:
    return f"{book.ref('egenkontroll_plan', v, 'plan_id')}, {v.get('period')}"


def _checklist_answer(_book: NameBook, v: Values) -> str:
    return f"{v.get('case_id')}, {v.get('control_key')}"


def _deviation(_book: NameBook, v: Values) -> str:
    category = CATEGORY_LABELS.get(str(v.get("category")), str(v.get("category")))
    return f"{category} {v.get('occurred_on')}"


def _deviation_link(book: NameBook, v: Values) -> str:
    what = v.get("cause_group") or "en avvikelserapport"
    return f"{what} → {book.ref('risk', v, 'risk_id')}"


def _simulation_run(_book: NameBook, v: Values) -> str:
    created = v.get("created_at")
    day = f" ({local_time(created)[:10]})" if isinstance(created, str) and created else ""
    return f"{v.get('scenario_name')}{day}"


COMPOSED: dict[str, Callable[[NameBook, Values], str]] = {
    "vote": _vote,
    "control_plan": _control_plan,
    "plan_risk": lambda book, v: book.ref("risk", v, "risk_id"),
    "sample_draw": _sample_draw,
    "checklist_answer": _checklist_answer,
    "deviation": _deviation,
    "deviation_link": _deviation_link,
    "simulation_run": _simulation_run,
    "control_followup": lambda book, v: (
        f"{book.ref('plan_control', v, 'plan_control_id')}, {v.get('period')}"
    ),
    "risk_followup": lambda book, v: (
        f"{book.ref('plan_risk', v, 'plan_risk_id')}, {v.get('period')}"
    ),
    "plan_snapshot": lambda book, v: book.ref("control_plan", v, "plan_id"),
    "plan_package": lambda book, v: book.ref("control_plan", v, "plan_id"),
}
