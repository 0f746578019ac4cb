"""Turning one row of cells into a parsed row and its errors, fast enough for bulk imports.

Used by :mod:`riskmotor.imports.tabular`; every cell is scanned for personnummer before it is
parsed (see :class:`~riskmotor.imports.columns.Column`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import Any

from riskmotor.domain.personal_data import PersonalDataFinding
from riskmotor.imports.cells import parse_optional_text, shown
from riskmotor.imports.columns import ROW_KEY, Column
from riskmotor.imports.errors import RowError, SensitiveValueError
from riskmotor.imports.personnummer import (
    PERSONNUMMER_CANDIDATE,
    PersonalField,
    PersonnummerScrubber,
)


def has_content(cells: Sequence[Any]) -> bool:
    # Written out (not with is_blank) because it runs for every row of a large file; it
    # usually stops at the first cell.
    return any(cell is not None and (cell.__class__ is not str or cell.strip()) for cell in cells)


_MISSING = object()
_MISSINGS = repeat(_MISSING)
_PERSONNUMMER_SEARCH = PERSONNUMMER_CANDIDATE.search


def _picker(indices: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """The cells at ``indices`` as a tuple (itemgetter gives a bare cell for one index)."""
    if len(indices) == 1:
        only = indices[0]
        return lambda cells: (cells[only],)
    if not indices:
        return lambda cells: ()
    return itemgetter(*indices)


# Distinct values remembered per column. Most columns of an export repeat a few values
# (dates, categories, units), so each is parsed once; a column of unique values (ids, free
# text) stops being remembered here.
MAX_REMEMBERED_VALUES = 20_000


@dataclass(frozen=True, slots=True)
class _Failure:
    problem: str
    shown: Any  # None: withheld as personal data


class RowParser:
    """Parses the wanted cells of a row; every distinct value is parsed once per column.

    Parsers are pure functions of the cell value, so remembering their answer (or their
    error) changes nothing but the time. Text cells that parsed cleanly (no error, no
    personnummer) are remembered by their text alone, so a repeated value costs one lookup.
    """

    def __init__(
        self, columns: Sequence[Column], positions: dict[str, int], scrubber: PersonnummerScrubber
    ) -> None:
        steps = [_Step(column, positions.get(column.key)) for column in columns]
        self.plan: list[tuple[str, int | None, dict[Any, Any], bool, _Step]] = [
            (step.column.key, step.index, step.clean, step.plain, step) for step in steps
        ]
        self.scrubber = scrubber
        self.findings: list[PersonalDataFinding] = []
        # The fast path for a row that has every column found in the header: the cells are
        # picked and looked up in C. Columns missing from the file (all optional, or
        # _check_required would have refused the file) stay None from the template.
        present = [step for step in steps if step.index is not None]
        self.present = present
        self.positions = range(len(present))
        self.last_index = max(
            (step.index for step in present if step.index is not None), default=-1
        )
        self.pick = _picker([step.index for step in present if step.index is not None])
        self.cleans = [step.clean for step in present]
        self.keys = [step.column.key for step in present]
        self.template: dict[str, Any] = dict.fromkeys([ROW_KEY, *(c.key for c in columns)])

    def __call__(
        self, row_number: int, cells: Sequence[Any]
    ) -> tuple[dict[str, Any], list[RowError]]:
        if len(cells) <= self.last_index:  # a short row: the general path
            return self._each(row_number, cells)
        raws = self.pick(cells)
        values = list(map(dict.get, self.cleans, raws, _MISSINGS))
        parsed = self.template.copy()
        parsed[ROW_KEY] = row_number
        parsed.update(zip(self.keys, values, strict=True))
        errors: list[RowError] = []
        # Only the cells not remembered as clean, found in C: usually one id per row.
        for position in compress(self.positions, map(is_, values, _MISSINGS)):
            step = self.present[position]
            raw = raws[position]
            if step.plain and raw.__class__ is str and _PERSONNUMMER_SEARCH(raw) is None:
                parsed[step.column.key] = value = raw.strip() or None
                if len(step.clean) < MAX_REMEMBERED_VALUES:
                    step.clean[raw] = value
            else:
                self._parse(step, raw, row_number, parsed, errors)
        return parsed, errors

    def _each(self, row_number: int, cells: Sequence[Any]) -> tuple[dict[str, Any], list[RowError]]:
        """The row parsed column by column (any row; used for rows shorter than the header)."""
        parsed: dict[str, Any] = {ROW_KEY: row_number}
        errors: list[RowError] = []
        width = len(cells)
        for key, index, clean, plain, step in self.plan:
            raw = cells[index] if index is not None and index < width else None
            # Only text keys (and None in an optional column) are remembered here.
            value = clean.get(raw, _MISSING)
            if value is not _MISSING:
                parsed[key] = value
            elif plain and raw.__class__ is str and _PERSONNUMMER_SEARCH(raw) is None:
                # parse_optional_text of a text without a personnummer, written out; this
                # runs for every cell of a column of unique values (ids).
                parsed[key] = value = raw.strip() or None
                if len(clean) < MAX_REMEMBERED_VALUES:
                    clean[raw] = value
            else:
                self._parse(step, raw, row_number, parsed, errors)
        return parsed, errors

    def _parse(
        self,
        step: _Step,
        raw: Any,
        row_number: int,
        parsed: dict[str, Any],
        errors: list[RowError],
    ) -> None:
        """Parse one cell that is not remembered as clean: the general path."""
        column = step.column
        # is_blank, written out.
        if raw is None or (raw.__class__ is str and not raw.strip()):
            parsed[column.key] = None
            if column.required:
                errors.append(RowError(row_number, column.label, "", "saknar värde"))
            elif raw is not None and len(step.clean) < MAX_REMEMBERED_VALUES:
                step.clean[raw] = None
            return
        # An XLSX cell's True, 1 and 1.0 are equal as keys but not as text.
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        remembered = step.remembered
        outcome = remembered.get(key)
        if outcome is None:
            outcome = self._parse_cell(column, raw)
            if len(remembered) < MAX_REMEMBERED_VALUES:
                remembered[key] = outcome
        value, found = outcome
        if found:
            self.findings.append(PersonalDataFinding(row_number, column.label, found))
        if value.__class__ is _Failure:
            errors.append(RowError(row_number, column.label, value.shown, value.problem))
            parsed.pop(column.key, None)  # a cell with an error has no value in the row
            return
        parsed[column.key] = value
        if not found and raw.__class__ is str and len(step.clean) < MAX_REMEMBERED_VALUES:
            step.clean[raw] = value

    def _parse_cell(self, column: Column, raw: Any) -> tuple[Any, int]:
        """(parsed value or failure, personnummer replaced in the cell)."""
        kind = column.personal
        if getattr(column.parser, "pseudonymises", False):
            kind = PersonalField.OWN_PARSER  # the Personnummer column's own parser
        cleaned, found = self.scrubber.scrub(raw, kind)
        try:
            return column.parser(cleaned), found
        except SensitiveValueError as error:
            return _Failure(str(error), None), found
        except ValueError as error:
            return _Failure(str(error), shown(cleaned)), found


class _Step:
    """One wanted column of :class:`RowParser`: where it is and what it has seen.

    ``clean`` maps a text cell to its parsed value when that parse had no error and no
    personnummer; ``remembered`` maps any cell to its full outcome. ``plain`` marks an
    optional column parsed by :func:`parse_optional_text` whose personnummer become
    "[personnummer]" or a pseudonym.
    """

    __slots__ = ("clean", "column", "index", "plain", "remembered")

    def __init__(self, column: Column, index: int | None) -> None:
        self.column = column
        self.index = index
        self.clean: dict[Any, Any] = {}
        self.remembered: dict[Any, tuple[Any, int]] = {}
        if not column.required:
            self.clean[None] = None  # an empty cell (XLSX) or a column missing from the file
        self.plain = (
            column.parser is parse_optional_text
            and not column.required
            and column.personal is not PersonalField.OWN_PARSER
        )
