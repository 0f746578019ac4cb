"""Declarative base shared by every row class.

Every editable table has a ``version`` column used by SQLAlchemy's optimistic locking:
an UPDATE carries ``WHERE version = :old`` so a concurrent writer can never be overwritten
silently, even between the repository's own check and the flush.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}
