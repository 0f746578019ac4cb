"""Swedish form widgets: placeholders, decimal comma, ISO dates, status badges, field errors.

Streamlit's own widgets speak English where riskmotor does not set the text ("Choose an
option") and write numbers the English way ("0.10"); these wrappers are the one place the
pages get Swedish versions from. Pages import them through ``streamlit_app.ui``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from riskmotor.domain.plan import NOT_REPORTED, FollowupStatus
from riskmotor.domain.terms import REQUIRED_FIELD, number

T = TypeVar("T")

PLACEHOLDER = "Välj …"
DATE_FORMAT = "YYYY-MM-DD"

# Coloured text, never emoji: Chromium on Linux draws the traffic-light emoji as boxes.
_BADGE_COLOURS: dict[FollowupStatus, str] = {
    FollowupStatus.GRON: "green",
    FollowupStatus.GUL: "orange",
    FollowupStatus.ROD: "red",
}


def select(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], Any] = str,
    index: int | None = None,
    help: str | None = None,
    disabled: bool = False,
) -> T | None:
    """A selectbox with a Swedish placeholder; None until something is chosen."""
    return st.selectbox(
        label,
        options,
        index=index,
        format_func=format_func,
        key=key,
        placeholder=PLACEHOLDER,
        help=help,
        disabled=disabled,
    )


def parse_decimal(text: str) -> float | None:
    """A number typed the Swedish or the English way: '0,25', '0.25', '1 000,5'; None if not one."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-").replace(",", ".")
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    return float(cleaned)


def decimal_input(
    label: str,
    *,
    value: float | None,
    key: str,
    min_value: float | None = None,
    max_value: float | None = None,
    decimals: int = 2,
    help: str | None = None,
) -> float | None:
    """A decimal number with a decimal comma; None (after a Swedish message) when invalid.

    Streamlit's number input always writes a decimal point, so decimals are typed as text.
    """
    shown = "" if value is None else number(value, decimals).replace("−", "-")
    text = st.text_input(label, value=shown, key=key, help=help)
    if not text.strip():
        return None
    parsed = parse_decimal(text)
    if parsed is None:
        st.error(f"{label}: skriv ett tal, till exempel {number(0.25, 2)}.")
        return None
    if min_value is not None and parsed < min_value:
        st.error(f"{label}: talet får inte vara mindre än {number(min_value, decimals)}.")
        return None
    if max_value is not None and parsed > max_value:
        st.error(f"{label}: talet får inte vara större än {number(max_value, decimals)}.")
        return None
    return parsed


def date_input(label: str, value: date | None, *, key: str) -> date | None:
    """A date written yyyy-mm-dd, as Swedish documents write it."""
    chosen = st.date_input(label, value=value, key=key, format=DATE_FORMAT)
    return chosen if isinstance(chosen, date) else None


def status_text(status: str | None) -> str:
    """A follow-up or egenkontroll status as a word for a table ('grön', 'ej rapporterad')."""
    return FollowupStatus(status).value if status else NOT_REPORTED


def status_badge(status: str | None) -> str:
    """The status as a coloured text badge for st.markdown."""
    if not status:
        return f":gray-badge[{NOT_REPORTED.capitalize()}]"
    colour = _BADGE_COLOURS[FollowupStatus(status)]
    return f":{colour}-badge[{status_text(status).capitalize()}]"


def field_errors(errors: Mapping[str, str]) -> None:
    """One Swedish message per invalid field: 'Rubrik: ange en rubrik.'"""
    for field, message in errors.items():
        st.error(f"{field}: {message}")


def missing(values: Mapping[str, object]) -> dict[str, str]:
    """The fields (by label) left empty, each with the message 'fältet måste fyllas i.'"""
    return {
        field: REQUIRED_FIELD
        for field, value in values.items()
        if value is None or (isinstance(value, str) and not value.strip())
    }


def confirm_button(label: str, *, key: str, question: str) -> bool:
    """A button that asks first: True only when the user confirmed in the popover."""
    with st.popover(label):
        st.write(question)
        return st.button(f"Ja, {label[:1].lower()}{label[1:]}", key=key, type="primary")
