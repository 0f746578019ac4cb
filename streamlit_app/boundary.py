"""The error boundary: no traceback ever reaches a user.

An expected error (a RiskmotorError) is shown as its Swedish message. Anything else is a
defect: the user gets a short Swedish message with a reference number, and the server log
gets the same number with the traceback, so the person who runs riskmotor can find it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from riskmotor.errors import RiskmotorError

log = logging.getLogger("riskmotor.ui")


def reference_number() -> str:
    return f"RM-{secrets.token_hex(3).upper()}"


def unexpected_error_message(reference: str) -> str:
    return (
        "Något gick fel och åtgärden kunde inte slutföras. Inget har sparats av det som "
        f"misslyckades. Referensnummer: {reference} – ange det för den som sköter riskmotor."
    )


@contextmanager
def error_boundary() -> Iterator[None]:
    """Show errors in Swedish. st.rerun()/st.stop() are BaseExceptions and pass through."""
    try:
        yield
    except RiskmotorError as exc:
        st.error(str(exc))
    except Exception:
        reference = reference_number()
        log.exception("Oväntat fel i gränssnittet, referensnummer %s", reference)
        st.error(unexpected_error_message(reference))
