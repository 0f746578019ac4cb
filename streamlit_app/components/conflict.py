"""A refused save, resolved field by field: your value, their value, who and when.

When two people edit the same row, the second save is refused (``ConflictError``) and
nothing is overwritten. This component shows each field where the person's own values
differ from the saved ones — by the glossary's label, with values written as people read
them — lets them keep their own or take the other's per field, and hands the chosen
values back, with the saved version, when they click "Spara igen".
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

import streamlit as st

from riskmotor.domain.terms import yes_no
from riskmotor.errors import ConflictError

Formatter = Callable[[object], str]

KEEP_MINE = "Behåll mitt"
TAKE_THEIRS = "Ta deras"
EMPTY = "–"


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    mine: object
    theirs: object
    changed_by_me: bool  # False: the form still shows the value as it was when opened


def plain(value: object) -> str:
    """A value as a person reads it: ja/nej, lists comma-separated, nothing as a dash."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return ", ".join(plain(item) for item in value)
    return str(value)


def _comparable(value: object) -> object:
    """Values as the saved row gives them (JSON): enums as text, tuples as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str):
        return value.strip()
    return value


def differences(
    mine: Mapping[str, object],
    exc: ConflictError,
    labels: Mapping[str, str],
    original: Mapping[str, object] | None = None,
) -> list[Difference]:
    """The labelled fields where ``mine`` differs from the values saved meanwhile, each
    marked by whether this person changed it (against ``original``, the values the form
    was opened with; without them every field counts as changed)."""
    return [
        Difference(
            field,
            text,
            mine.get(field),
            exc.current.get(field),
            original is None or _comparable(mine.get(field)) != _comparable(original.get(field)),
        )
        for field, text in labels.items()
        if _comparable(mine.get(field)) != _comparable(exc.current.get(field))
    ]


def saved_version(exc: ConflictError) -> int:
    """The version to save against after resolving: the one the other person saved."""
    return int(exc.current.get("version") or 0)


def _who(exc: ConflictError) -> str:
    who = exc.changed_by or "den andra"
    return f"{who}, {exc.changed_at}" if exc.changed_at else who


def _value_block(heading: str, text: str) -> str:
    # Values are the users' own text: escaped, line breaks kept.
    body = html.escape(text).replace("\n", "<br>")
    return f"<small>{html.escape(heading)}</small><br>{body}"


def _show_difference(key: str, diff: Difference, exc: ConflictError, format_of: Formatter) -> str:
    with st.container(border=True):
        st.markdown(f"**{diff.label}** – skiljer sig")
        left, right = st.columns(2)
        left.markdown(_value_block("Ditt värde", format_of(diff.mine)), unsafe_allow_html=True)
        right.markdown(
            _value_block(f"Sparat av {_who(exc)}", format_of(diff.theirs)),
            unsafe_allow_html=True,
        )
        if not diff.changed_by_me:
            st.caption("Du ändrade inte fältet, så det sparade värdet föreslås.")
        # A field this person left alone keeps the other's change unless they choose not to.
        choice = st.radio(
            f"Vilket värde ska sparas för {diff.label.lower()}?",
            [KEEP_MINE, TAKE_THEIRS],
            index=0 if diff.changed_by_me else 1,
            key=f"{key}_choice_{diff.field}",
            horizontal=True,
        )
    return str(choice)


def resolve_conflict(
    key: str,
    mine: Mapping[str, object],
    exc: ConflictError,
    labels: Mapping[str, str],
    formatters: Mapping[str, Formatter] | None = None,
    original: Mapping[str, object] | None = None,
) -> dict[str, object] | None:
    """Draw the conflict; after "Spara igen" the values to save (every field in ``labels``,
    the person's own or the other's as chosen) and ``version`` to save against.
    ``original``: the values the form was opened with, so that fields this person did not
    change default to the other person's value."""
    formatters = formatters or {}
    st.error(str(exc))
    diffs = differences(mine, exc, labels, original)
    if diffs:
        st.markdown(
            f"{len(diffs)} fält skiljer sig mellan dina värden och de sparade. "
            "Välj för varje fält vilket värde som ska gälla och spara igen."
        )
    else:
        st.markdown(
            "Den andra ändringen gällde inte fälten här, så dina värden kan sparas som de är."
        )
    choices = {
        diff.field: _show_difference(key, diff, exc, formatters.get(diff.field, plain))
        for diff in diffs
    }
    if not st.button("Spara igen", key=f"{key}_save_again", type="primary"):
        return None
    resolved: dict[str, object] = {}
    for field in labels:
        take_theirs = choices.get(field) == TAKE_THEIRS
        resolved[field] = exc.current.get(field) if take_theirs else mine.get(field)
    resolved["version"] = saved_version(exc)
    return resolved


def forget_choices(key: str, labels: Mapping[str, str]) -> None:
    """Drop the per-field choices of a resolved or abandoned conflict."""
    for field in labels:
        st.session_state.pop(f"{key}_choice_{field}", None)
