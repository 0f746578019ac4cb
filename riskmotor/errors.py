"""Errors a user can act on. Messages are Swedish because the UI and the CLI show them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class RiskmotorError(Exception):
    """Base class: the message is written for the user."""


class NotFoundError(RiskmotorError):
    pass


class DuplicateError(RiskmotorError):
    pass


class InvalidInputError(RiskmotorError):
    pass


class DatabaseUnavailableError(RiskmotorError):
    pass


class AccessDeniedError(RiskmotorError):
    """The identity lacks the role the action needs; the message names nämnd and roles,
    e.g. "Du har inte behörighet att ändra i Socialnämnden: det kräver rollen redaktör,
    du har läsare." Nothing of the action has been saved."""


class ConflictError(RiskmotorError):
    """Someone else saved the same row after it was read: nothing was overwritten.

    ``current`` holds the saved values (with the new ``version``); ``title`` names the row
    as a person knows it, ``changed_by`` and ``changed_at`` (Swedish local time, text) say
    who saved it last and when, from the audit log, when known.
    """

    def __init__(
        self,
        entity: str,
        entity_id: int,
        current: Mapping[str, Any],
        *,
        title: str | None = None,
        changed_by: str | None = None,
        changed_at: str | None = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.current = dict(current)
        self.title = title
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by or "Någon annan"
        what = f"”{title}”" if title else "posten"
        when = f" (sparat {changed_at})" if changed_at else ""
        super().__init__(
            f"{who} har ändrat {what}{when} efter att du öppnade den. "
            "Dina ändringar har inte sparats."
        )
