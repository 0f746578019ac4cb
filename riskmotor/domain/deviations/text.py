"""Text forms of a report's fields: how they are compared, stored and sorted."""

from __future__ import annotations

from typing import Any


def fold(value: Any) -> str:
    """Comparison form of a text: case-folded, whitespace collapsed."""
    return " ".join(str(value or "").casefold().split())


def tidy(value: Any) -> str:
    """Stored form of a text: whitespace collapsed, case kept as written."""
    return " ".join(str(value or "").split())


def swedish_sort_key(text: str) -> str:
    """Sort key putting å, ä, ö after z in Swedish order."""
    return fold(text).translate({ord("å"): "z{", ord("ä"): "z|", ord("ö"): "z}"})
