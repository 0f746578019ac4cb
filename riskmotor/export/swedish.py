"""Swedish as a nämnd secretary writes it: numbers in words at the start of a sentence,
law references that never break across lines, lists joined with "och"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

NBSP = "\u00a0"
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
_WORDS = (
    "inga",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
)
_NEUTER = {"en": "ett"}


def number_text(count: int, *, neuter: bool = False) -> str:
    """Numbers under 13 in words ('inga', 'fem', 'ett' for neuter nouns), larger as digits."""
    if 0 <= count < len(_WORDS):
        word = _WORDS[count]
        return _NEUTER.get(word, word) if neuter else word
    return str(count)


def counted(count: int, singular: str, plural: str, *, neuter: bool = False) -> str:
    """'en risk', 'tre risker', '14 risker'."""
    return f"{number_text(count, neuter=neuter)} {singular if count == 1 else plural}"


def sentence(text: str) -> str:
    """Capitalise the first letter only (a sentence may start with a counted noun)."""
    return text[:1].upper() + text[1:] if text else text


def date_words(day: date) -> str:
    """'15 september 2026': a date in running text that never breaks at a hyphen."""
    return f"{day.day}{NBSP}{MONTHS[day.month - 1]}{NBSP}{day.year}"


def reference(section: str, law: str) -> str:
    """'6 kap. 6 § kommunallagen (2017:725)', with non-breaking spaces inside the section and
    before the law, so no line break falls between '6' and '§'."""
    return f"{section} {law}".strip().replace(" ", NBSP)


def join_swedish(items: Sequence[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
