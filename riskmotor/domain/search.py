"""Free-text search that finds what a person means, not only what they typed exactly.

The workshop searches risks and risk templates by a word or two ("vakans", "sekretess").
The text is compared folded: case-insensitive and without diacritics (å, ä and ö match
a, a and o), so a search typed on a keyboard without Swedish letters still finds. Each
word of the query must occur somewhere in the searched text, as a substring (so
"utred" finds "Utredningstid" and "vakans" finds "personalvakanser"), or — for Swedish
inflections — with a common ending taken off ("vakans" finds "vakanta", "barnen" finds
"barnet").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Endings of Swedish nouns and adjectives, longest first: taking one off leaves a stem
# that other forms of the word start with (vakans-er, vakan-ta; utredning-ar).
_ENDINGS = (
    "ernas", "arnas", "ornas", "erna", "arna", "orna", "ande", "ende",
    "are", "na", "er", "ar", "or", "en", "et", "ta", "s", "a", "e", "t",
)  # fmt: skip
_MIN_STEM = 4  # shorter stems would match too much ("ba" from "barn")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` lower-cased with diacritics removed: "Vakanser på Ö" -> "vakanser pa o"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_words(query: str) -> list[str]:
    """The folded words of a query; an empty list matches everything."""
    return _WORD.findall(fold(query))


def stem(word: str) -> str:
    """``word`` without one common Swedish ending, when what remains is long enough."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def _word_found(word: str, haystack: str) -> bool:
    return word in haystack or stem(word) in haystack


def matches(query: str, texts: Iterable[str]) -> bool:
    """Whether every word of ``query`` occurs in one of ``texts`` (folded, as above)."""
    words = query_words(query)
    if not words:
        return True
    haystack = fold("\n".join(texts))
    return all(_word_found(word, haystack) for word in words)


def search(query: str, items: Sequence[T], texts: Callable[[T], Iterable[str]]) -> list[T]:
    """The ``items`` whose ``texts`` match ``query``; those with a hit in their first text
    (the title) first, otherwise in the given order."""
    words = query_words(query)
    if not words:
        return list(items)
    found: list[tuple[int, int, T]] = []
    for position, item in enumerate(items):
        fields = [fold(text) for text in texts(item)]
        haystack = "\n".join(fields)
        if all(_word_found(word, haystack) for word in words):
            title = fields[0] if fields else ""
            title_hits = sum(_word_found(word, title) for word in words)
            found.append((-title_hits, position, item))
    found.sort(key=lambda entry: entry[:2])
    return [item for _, _, item in found]
