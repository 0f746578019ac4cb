"""One import row as a stored report: its fields, made consistent, and its fingerprint.

:class:`RecordBuilder` is the fast path for bulk imports: it gives a compact
:class:`DeviationRecord` (a tuple, no validation object per row) and remembers the normal
forms of values that repeat (units, causes, processes), so a 200 000-row export is turned
into records in about a second. :func:`deviation_from_row` gives the same fields as a
:class:`~riskmotor.domain.models.Deviation`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.deviations.parsing import resolve_reporting
from riskmotor.domain.deviations.text import fold, tidy
from riskmotor.domain.models import Deviation

# json's own string encoder (the C one when available), as json.dumps(ensure_ascii=False).
_json_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


class DeviationRecord(NamedTuple):
    """The per-row fields of a stored report (the nämnd, file and import time are per batch)."""

    occurred_on: date
    avdelning: str
    enhet: str
    category: str
    category_text: str
    reported_to: str
    serious: bool
    cause: str
    process: str
    description: str
    source_row: int
    fingerprint: str


def fingerprint_of(
    external_id: str | None,
    occurred_on: date,
    folded: tuple[str, str, str, str, str],
    category: str,
    reported_to: str,
    serious: bool,
) -> str:
    """SHA-256 of a report's normalised content; ``folded`` is (avdelning, enhet, cause,
    process, description), each in :func:`fold` form.

    Not of the file name or row number: the same report imported again, from the same file or
    another, gets the same fingerprint and is skipped. The serialisation is fixed — changing it
    would make every stored report look new.
    """
    avdelning, enhet, cause, process, description = folded
    # Exactly json.dumps([...], ensure_ascii=False), written out: the encoder's own string
    # escaping, the same ", " separator and true/false, at a third of the cost.
    content = ", ".join(
        (
            _json_string(fold(external_id)),
            _json_string(occurred_on.isoformat()),
            _json_string(avdelning),
            _json_string(enhet),
            _json_string(category),
            _json_string(reported_to),
            "true" if serious else "false",
            _json_string(cause),
            _json_string(process),
            _json_string(description),
        )
    )
    return hashlib.sha256(f"[{content}]".encode()).hexdigest()


def fingerprint(deviation: Deviation, external_id: str | None = None) -> str:
    """The fingerprint of a stored report (plus its id in the source system, if any)."""
    folded = (
        fold(deviation.avdelning),
        fold(deviation.enhet),
        fold(deviation.cause),
        fold(deviation.process),
        fold(deviation.description),
    )
    return fingerprint_of(
        external_id,
        deviation.occurred_on,
        folded,
        deviation.category,
        deviation.reported_to,
        deviation.serious,
    )


class RecordBuilder:
    """Turns parsed import rows into :class:`DeviationRecord` for one file.

    ``row`` is what the tabular reader gives for the deviation columns: ``category`` as
    (key, text as written), ``reported_to`` from :func:`parse_authority`, ``serious`` as bool.
    Raises ValueError when a row's reporting columns contradict each other.
    """

    def __init__(
        self, categories: Mapping[str, DeviationCategory], *, has_reported_column: bool
    ) -> None:
        self.categories = categories
        self.has_reported_column = has_reported_column
        # Keyed by values that repeat across rows (units, causes, dates, categories), so the
        # normal and JSON forms of each are computed once per file, not once per row.
        self._forms: dict[Any, tuple[str, str]] = {}
        self._dates: dict[date, str] = {}
        self._reporting: dict[tuple[str, str | None, bool | None], _Reporting | str] = {}
        self._tails: dict[tuple[Any, ...], _Tail] = {}

    def record(self, row: Mapping[str, Any]) -> DeviationRecord:
        """The row as a record; its fingerprint equals :func:`fingerprint` of the report."""
        get = row.get
        category = row["category"]
        description = get("description")
        # Everything but the id, the date and the row number usually repeats as a whole
        # (the same unit, category, cause and text): that part is computed once per file.
        # The description's type is part of the key: 1 and 1.0 are equal but not as text.
        tail_key = (
            category,
            get("reported_to"),
            get("serious"),
            get("avdelning"),
            get("enhet"),
            get("cause"),
            get("process"),
            description,
            description.__class__,
        )
        tail = self._tails.get(tail_key)
        if tail is None:
            tail = self._tail(tail_key)
            if len(self._tails) < 50_000:  # free text is unique: do not remember all of it
                self._tails[tail_key] = tail
        occurred_on = row["occurred_on"]
        occurred_json = self._dates.get(occurred_on)
        if occurred_json is None:
            occurred_json = self._dates[occurred_on] = _json_string(occurred_on.isoformat())
        external_id = get("external_id")
        if external_id.__class__ is str:  # fold, written out: it runs for every row
            external_json = _json_string(" ".join(external_id.casefold().split()))
        else:
            external_json = _json_string(fold(external_id))
        # The same text as fingerprint_of builds, from the parts remembered above.
        content = f"[{external_json}, {occurred_json}, {tail.json}]"
        return _new_record(
            DeviationRecord,
            (
                occurred_on,
                *tail.fields,
                int(row["_row"]),
                hashlib.sha256(content.encode()).hexdigest(),
            ),
        )

    def _tail(self, key: tuple[Any, ...]) -> _Tail:
        """The repeating part of a record; ValueError when its reporting columns conflict."""
        (category_key, written), reported, serious, *texts, description, _ = key
        reporting = self._resolve(category_key, reported, serious)
        avdelning, avdelning_json = self._form(texts[0])
        enhet, enhet_json = self._form(texts[1])
        cause, cause_json = self._form(texts[2])
        process, process_json = self._form(texts[3])
        description = str(description or "").strip()
        fields = (
            avdelning,
            enhet,
            category_key,
            written,
            reporting.reported_to,
            reporting.serious,
            cause,
            process,
            description,
        )
        json_text = ", ".join(
            (
                avdelning_json,
                enhet_json,
                reporting.json,
                cause_json,
                process_json,
                _json_string(fold(description)),
            )
        )
        return _Tail(fields, json_text)

    def _form(self, value: Any) -> tuple[str, str]:
        """(stored form, JSON of the comparison form) of a text that usually repeats."""
        forms = self._forms.get(value)
        if forms is None:
            stored = tidy(value)
            forms = (stored, _json_string(fold(stored)))
            if len(self._forms) < 50_000:  # free text is unique: do not remember all of it
                self._forms[value] = forms
        return forms

    def _resolve(self, key: str, reported: str | None, serious: bool | None) -> _Reporting:
        if reported is None and self.has_reported_column:
            reported = ""
        cache_key = (key, reported, serious)
        known = self._reporting.get(cache_key)
        if known is None:
            try:
                reported_to, is_serious = resolve_reporting(self.categories[key], reported, serious)
                known = _Reporting(reported_to, is_serious, key)
            except ValueError as error:
                known = str(error)
            self._reporting[cache_key] = known
        if isinstance(known, str):
            raise ValueError(known)
        return known


class _Tail(NamedTuple):
    """The fields of a record between the date and the row number, and their part of the
    fingerprint's JSON (avdelning to description)."""

    fields: tuple[str, str, str, str, str, bool, str, str, str]
    json: str


# A record straight from its field tuple, without the generated __new__'s extra call.
_new_record: Callable[[type[DeviationRecord], tuple[Any, ...]], DeviationRecord] = tuple.__new__


class _Reporting:
    """A category's resolved reporting, with its part of the fingerprint's JSON."""

    __slots__ = ("json", "reported_to", "serious")

    def __init__(self, reported_to: str, serious: bool, category: str) -> None:
        self.reported_to = reported_to
        self.serious = serious
        flag = "true" if serious else "false"
        self.json = f"{_json_string(category)}, {_json_string(reported_to)}, {flag}"


def deviation_from_row(
    row: Mapping[str, Any],
    categories: Mapping[str, DeviationCategory],
    *,
    namnd_id: int,
    source_file: str,
    imported_at: datetime,
    has_reported_column: bool,
) -> Deviation:
    """One parsed import row as a Deviation; ValueError when its columns contradict each other."""
    record = RecordBuilder(categories, has_reported_column=has_reported_column).record(row)
    return as_deviation(record, namnd_id=namnd_id, source_file=source_file, imported_at=imported_at)


def as_deviation(
    record: DeviationRecord, *, namnd_id: int, source_file: str, imported_at: datetime
) -> Deviation:
    return Deviation(
        namnd_id=namnd_id,
        source_file=source_file,
        imported_at=imported_at,
        **record._asdict(),
    )
