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


class ConflictError(RiskmotorError):
    """Someone else saved the same row after it was read: nothing was overwritten."""

    def __init__(self, entity: str, entity_id: int, current: Mapping[str, Any]) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.current = dict(current)
        super().__init__(
            f"Någon annan har ändrat {entity} (id {entity_id}) sedan du öppnade den. "
            "Dina ändringar har inte sparats. Den andras värden visas nedan."
        )
