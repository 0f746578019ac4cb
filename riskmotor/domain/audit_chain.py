"""The hash chain of the audit log (ändringsloggen), as pure functions.

Every entry carries ``seq`` (its place in the chain, 1, 2, 3, …), ``prev_hash`` (the
``entry_hash`` of the entry before it, or :data:`GENESIS` for the first) and its own
``entry_hash``: the SHA-256 of the canonical JSON of its values and ``prev_hash``. Changing,
removing or inserting an entry anywhere breaks the link to the next one, which
``riskmotor audit verify`` reports. The definition must never change: stored hashes were
computed with it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    """The hashed values of one audit entry."""

    seq: int
    prev_hash: str
    at: datetime
    actor: str
    entity: str
    entity_id: int
    analysis_id: int | None
    action: str
    field: str
    old: str | None
    new: str | None


def utc_text(at: datetime) -> str:
    """``at`` in UTC with microseconds; a naive value (SQLite stores no zone) is UTC."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


def entry_hash(entry: ChainEntry) -> str:
    values = {
        "seq": entry.seq,
        "prev_hash": entry.prev_hash,
        "at": utc_text(entry.at),
        "actor": entry.actor,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "analysis_id": entry.analysis_id,
        "action": entry.action,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
    }
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose link does not hold, and why (Swedish, for the user)."""

    entry_id: int
    seq: int | None
    reason: str


def first_break(
    entries: list[tuple[int, ChainEntry | None, str | None]], head: tuple[int, str] | None
) -> ChainBreak | None:
    """Walk ``entries`` (id, hashed values or None when the entry has no place in the
    chain, stored entry_hash) in chain order; the first that does not hold, or None.

    ``head`` is the chain head the database records (last seq and hash): removing the
    newest entries is caught by comparing with it.
    """
    expected_seq, expected_prev = 1, GENESIS
    for entry_id, entry, stored in entries:
        if entry is None or stored is None:
            return ChainBreak(entry_id, None, "posten saknar plats i kedjan (seq eller hash)")
        if entry.seq != expected_seq:
            return ChainBreak(
                entry_id, entry.seq, f"väntade löpnummer {expected_seq}, fann {entry.seq}"
            )
        if entry.prev_hash != expected_prev:
            return ChainBreak(entry_id, entry.seq, "länken till föregående post stämmer inte")
        if entry_hash(entry) != stored:
            return ChainBreak(entry_id, entry.seq, "postens innehåll stämmer inte med dess hash")
        expected_seq, expected_prev = entry.seq + 1, stored
    if head is not None and head != (expected_seq - 1, expected_prev):
        return ChainBreak(
            0,
            head[0],
            f"kedjans huvud pekar på post {head[0]}, men loggen slutar vid {expected_seq - 1}",
        )
    return None
