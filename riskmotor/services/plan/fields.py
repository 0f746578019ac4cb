"""Turning a draft of a kontrollmoment or an åtgärd into a checked domain object, in Swedish.

A pydantic ValidationError is written for developers ("String should have at least 1
character"); it never leaves a service. Each problem becomes a sentence naming the field by
its glossary label (and, for a table, its row), the way the forms and the CLI show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from riskmotor.domain.plan import ActionStatus, ControlMethod, Frequency, PlanAction, PlanControl
from riskmotor.domain.terms import EXPORT_LABELS, REQUIRED_FIELD, label
from riskmotor.errors import InvalidInputError

M = TypeVar("M", bound=BaseModel)

# The label a user reads for each field of a kontrollmoment or an åtgärd.
FIELD_LABELS: dict[str, str] = {
    "plan_risk_id": label("title"),
    "control_activity": EXPORT_LABELS["control_activity"],
    "control_method": EXPORT_LABELS["control_method"],
    "frequency": EXPORT_LABELS["frequency"],
    "responsible": EXPORT_LABELS["responsible"],
    "reported_to": EXPORT_LABELS["reported_to"],
    "timing": EXPORT_LABELS["timing"],
    "egenkontroll_plan_id": EXPORT_LABELS["sampling_plan"],
    "what": EXPORT_LABELS["action"],
    "owner": EXPORT_LABELS["responsible"],
    "due_date": EXPORT_LABELS["due_date"],
    "status": label("status"),
    "expected_effect": EXPORT_LABELS["expected_effect"],
}

# The choices of a field that takes one of a fixed set of words.
_CHOICES: dict[str, type[StrEnum]] = {
    "control_method": ControlMethod,
    "frequency": Frequency,
    "status": ActionStatus,
}


class FieldProblemsError(InvalidInputError):
    """One or more fields (of one or more table rows) are invalid; nothing was saved.

    ``problems`` holds one Swedish sentence per problem, ``str(error)`` all of them.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" eller {words[-1]}"


def _what_is_wrong(field: str, error: ErrorDetails) -> str:
    """What the user should do about one pydantic error, in Swedish."""
    kind = error["type"]
    if field in _CHOICES:
        return f"välj {_or_list([c.value for c in _CHOICES[field]])}."
    if kind in ("missing", "string_too_short") or error.get("input") in (None, ""):
        return REQUIRED_FIELD
    if kind.startswith("date"):
        return f"skriv ett datum som åååå-mm-dd, till exempel {date(2027, 3, 31).isoformat()}."
    if kind.startswith("int"):
        return "ange ett heltal."
    return "värdet kan inte användas."


def problems_of(error: ValidationError, row: int | None = None) -> list[str]:
    """One sentence per invalid field: 'Rad 2, Kontrollmoment: fältet måste fyllas i.'"""
    found = []
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else ""
        where = FIELD_LABELS.get(field, field)
        if row is not None:
            where = f"Rad {row}, {where}"
        found.append(f"{where}: {_what_is_wrong(field, detail)}")
    return found


def cleaned(draft: Mapping[str, object]) -> dict[str, object]:
    """The draft with text trimmed and empty choices as None: a field of blanks is empty."""
    result: dict[str, object] = {}
    for key, value in draft.items():
        result[key] = value.strip() if isinstance(value, str) else value
    return result


def checked(model: type[M], draft: Mapping[str, object], row: int | None = None) -> M:
    """``model`` built from ``draft``, or a FieldProblemsError naming each invalid field."""
    try:
        return model.model_validate(cleaned(draft))
    except ValidationError as error:
        raise FieldProblemsError(problems_of(error, row)) from None


def checked_control(draft: Mapping[str, object], row: int | None = None) -> PlanControl:
    return checked(PlanControl, draft, row)


def checked_action(draft: Mapping[str, object], row: int | None = None) -> PlanAction:
    return checked(PlanAction, draft, row)
