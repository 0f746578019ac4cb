"""How a stored audit value reads in the Ändringslogg: ja/nej, names instead of ids, Swedish
dates and numbers, lists joined — never None, true/false, [] or a column name.

The audit trail stores an updated field as text (JSON for anything that is not a string)
and a created or deleted row as one JSON object of every column. This module turns both into
reader's text; the names behind ids come from a ``Resolver`` the service supplies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from riskmotor.domain.terms import (
    ANSWER_LABELS,
    CATEGORY_LABELS,
    RISK_SOURCE_LABELS,
    STATUS_LABELS,
    UNIT_KIND_LABELS,
    local_time,
    number,
    percent,
    record_field_label,
    yes_no,
)

Resolver = Callable[[str, int], str]  # (entity, id) -> the name a reader knows it by

EMPTY = "–"
MAX_CHARS = 300  # a long text (a plan's frozen content) is cut here, with an ellipsis
ALL_FIELDS = "*"
HIDDEN_FIELDS = frozenset({"id", "version"})

# A field holding the id of another row: the kind of row it points at.
REFERENCES: dict[str, str] = {
    "analysis_id": "risk_analysis",
    "namnd_id": "org_unit",
    "unit_id": "org_unit",
    "parent_id": "org_unit",
    "risk_id": "risk",
    "participant_id": "participant",
    "plan_id": "control_plan",
    "plan_risk_id": "plan_risk",
    "plan_control_id": "plan_control",
    "draw_id": "sample_draw",
    "scenario_id": "scenario",
    "deviation_id": "deviation",
    "egenkontroll_plan_id": "egenkontroll_plan",
    "likelihood_evidence_id": "simulation_run",
    "based_on_id": "control_plan",
}
REFERENCE_OVERRIDES: dict[str, str] = {"sample_draw.plan_id": "egenkontroll_plan"}
SHARE_FIELDS = frozenset({"confidence", "tolerable_rate", "expected_rate", "share"})
# Stored codes that have a Swedish wording of their own.
CODE_LABELS: dict[str, Mapping[str, str]] = {
    "answer": ANSWER_LABELS,
    "category": CATEGORY_LABELS,
    "source": RISK_SOURCE_LABELS,
    "kind": {str(kind): text for kind, text in UNIT_KIND_LABELS.items()},
    "status": {str(status): text for status, text in STATUS_LABELS.items()},
}
# Whole structures a reader cannot use field by field: what they are, not their contents.
STRUCTURES: dict[str, str] = {
    "spec": "simuleringens inställningar",
    "summary": "simuleringens resultat",
    "backlog_fan": "köns utveckling dag för dag",
    "content": "planens innehåll när den låstes",
}
# Keys of a batch entry (an import or an export) that are not plain Swedish words.
BATCH_KEYS: dict[str, str] = {
    "sha256": "SHA-256",
    "bytes": "storlek i byte",
    "personnummer_ersatta": "ersatta personnummer",
}
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_JSON_START = re.compile(r"^(\[|\{|\"|true$|false$|null$|-?\d+(\.\d+)?([eE][-+]?\d+)?$)")


def decode(text: str | None) -> Any:
    """The stored text back as a value: JSON where it is JSON, else the text itself."""
    if text is None:
        return None
    if _JSON_START.match(text):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def reference_of(entity: str, field: str) -> str | None:
    return REFERENCE_OVERRIDES.get(f"{entity}.{field}") or REFERENCES.get(field)


def value_text(entity: str, field: str, value: Any, resolve: Resolver) -> str:
    """One field's value as a reader's text."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    target = reference_of(entity, field)
    if target and isinstance(value, int) and not isinstance(value, bool):
        return resolve(target, value)
    if field in STRUCTURES:
        return STRUCTURES[field]
    return _plain(entity, field, value, resolve)


def _plain(entity: str, field: str, value: Any, resolve: Resolver) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float) and field in SHARE_FIELDS:
        return percent(float(value), 1, trim=True)
    if isinstance(value, float):
        return _decimal(value)
    if isinstance(value, int):
        return str(value)  # years, levels, seeds: no thousands separator inside a year
    if isinstance(value, list):
        return ", ".join(value_text(entity, field, item, resolve) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{_key(k)}: {value_text(entity, k, v, resolve)}" for k, v in value.items()
        )
    return _text(field, str(value))


def _decimal(value: float) -> str:
    if value.is_integer():
        return number(value)
    text = number(value, 4).rstrip("0")
    return text.rstrip(",")


def _text(field: str, text: str) -> str:
    codes = CODE_LABELS.get(field)
    if codes and text in codes:
        return codes[text]
    if _ISO_INSTANT.match(text):
        try:
            return local_time(text)
        except ValueError:
            return text
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rstrip() + " …"


def _key(key: str) -> str:
    """A key inside a stored structure (a batch entry's Swedish word, a unit's name)."""
    return BATCH_KEYS.get(key, key.replace("_", " "))


def row_text(entity: str, values: Mapping[str, Any], resolve: Resolver) -> str:
    """A whole created or deleted row: 'Label: value; …', empty fields left out."""
    parts = [
        f"{record_field_label(entity, field)}: {value_text(entity, field, value, resolve)}"
        for field, value in values.items()
        if field not in HIDDEN_FIELDS and value not in (None, "", [], {})
    ]
    return "; ".join(parts) or EMPTY


def change_texts(
    entity: str, field: str, old: str | None, new: str | None, resolve: Resolver
) -> tuple[str, str, str]:
    """(field label, old value, new value) of one entry, ready to show."""
    old_value, new_value = decode(old), decode(new)
    if field == ALL_FIELDS:
        return (
            record_field_label(entity, ALL_FIELDS),
            _whole(entity, old_value, resolve),
            _whole(entity, new_value, resolve),
        )
    if isinstance(new_value, dict) and old_value is None and field in ("export", "import"):
        # A batch entry: what the file was and what the import or export did.
        return EMPTY, EMPTY, "; ".join(f"{_key(k)}: {_batch(v)}" for k, v in new_value.items())
    return (
        record_field_label(entity, field),
        value_text(entity, field, old_value, resolve),
        value_text(entity, field, new_value, resolve),
    )


def _whole(entity: str, value: Any, resolve: Resolver) -> str:
    if isinstance(value, dict):
        return row_text(entity, value, resolve)
    return value_text(entity, ALL_FIELDS, value, resolve)


def _batch(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} ({_batch(v)})" for k, v in value.items())
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return number(value)
    return str(value)
