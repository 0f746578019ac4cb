"""No traceback reaches a user: the error boundary and the Swedish widgets."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from streamlit_app.widgets import parse_decimal, status_badge, status_text


def _page_that_fails() -> None:
    from streamlit_app.boundary import error_boundary

    with error_boundary():
        raise KeyError("unit_id")


def _page_with_expected_error() -> None:
    from riskmotor.errors import RiskmotorError
    from streamlit_app.boundary import error_boundary

    with error_boundary():
        raise RiskmotorError("Planen är fastställd och kan inte ändras.")


def test_unexpected_error_gives_swedish_message_with_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="riskmotor.ui"):
        at = AppTest.from_function(_page_that_fails).run()
    assert not at.exception
    message = at.error[0].value
    assert "Något gick fel" in message
    assert "KeyError" not in message and "unit_id" not in message
    reference = message.split("Referensnummer: ")[1].split(" ")[0]
    assert reference.startswith("RM-")
    # The server log holds the same number with the traceback.
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_expected_error_shows_its_own_message() -> None:
    at = AppTest.from_function(_page_with_expected_error).run()
    assert not at.exception
    assert at.error[0].value == "Planen är fastställd och kan inte ändras."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0,25", 0.25),
        ("0.25", 0.25),
        ("1 000,5", 1000.5),
        ("−2,5", -2.5),
        (",5", 0.5),
        ("12", 12.0),
    ],
)
def test_decimal_typed_the_swedish_or_english_way(typed: str, expected: float) -> None:
    assert parse_decimal(typed) == pytest.approx(expected)


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "0,25 %", "1e3"])
def test_not_a_decimal(typed: str) -> None:
    assert parse_decimal(typed) is None


def test_status_is_coloured_text_not_emoji() -> None:
    assert status_badge("röd") == ":red-badge[Röd]"
    assert status_badge(None) == ":gray-badge[Ej rapporterad]"
    assert status_text("gul") == "gul"
    assert status_text(None) == "ej rapporterad"
