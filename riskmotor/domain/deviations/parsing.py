"""Reading one deviation report's cells: its category and its reporting to IVO/IMY.

The categories come from the catalog (``avvikelsekategorier.yaml``): their synonyms map a
municipality's own words onto the five fixed keys, and ``reported_to`` names the authority
each category reports to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.deviations.text import fold, tidy
from riskmotor.domain.terms import CATEGORY_LABELS

REPORTED = "ja"  # "Anmäld: Ja" — the category's own authority, resolved per row

_NOT_REPORTED = frozenset(
    {"", "-", "–", "—", "nej", "n", "no", "0", "ingen", "ej", "ej anmäld", "inte anmäld"}
)
_YES = frozenset({"ja", "j", "x", "1", "yes", "anmäld", "anmäls"})
# Datainspektionen is IMY's name before 2021; old exports still use it.
_AUTHORITY_WORDS: dict[str, tuple[str, ...]] = {
    "IVO": ("ivo", "inspektionen för vård och omsorg"),
    "IMY": ("imy", "datainspektionen", "integritetsskyddsmyndigheten"),
}


def category_parser(categories: Sequence[DeviationCategory]) -> Callable[[Any], tuple[str, str]]:
    """A cell parser giving (category key, text as written) from a name, key or synonym."""
    lookup: dict[str, str] = {}
    for category in categories:
        for name in (category.key, category.name, CATEGORY_LABELS[category.key]):
            lookup[fold(name)] = category.key
        for synonym in category.synonyms:
            lookup[fold(synonym)] = category.key
    accepted = "; ".join(CATEGORY_LABELS[c.key] for c in categories)

    def parse(value: Any) -> tuple[str, str]:
        key = lookup.get(fold(value))
        if key is None:
            raise ValueError(
                f"okänd kategori. Godkända kategorier: {accepted} "
                "(och synonymerna i avvikelsekategorier.yaml)"
            )
        return key, tidy(value)

    return parse


def parse_authority(value: Any) -> str:
    """'IVO', 'IMY', '' (not reported) or :data:`REPORTED` (yes, authority not named)."""
    text = fold(value)
    if text in _NOT_REPORTED:
        return ""
    if text in _YES:
        return REPORTED
    words = text.replace("/", " ").replace(",", " ").split()
    found = [
        authority
        for authority, names in _AUTHORITY_WORDS.items()
        if any(name in text if " " in name else name in words for name in names)
    ]
    if len(found) != 1:
        raise ValueError("okänt värde, skriv IVO, IMY, Ja eller Nej")
    return found[0]


def resolve_reporting(
    category: DeviationCategory, reported: str | None, serious: bool | None
) -> tuple[str, bool]:
    """(reported_to, serious) of one report, made consistent with each other and the category.

    ``reported`` is None when the file has no Anmäld till column, ``serious`` None when it has
    no Allvarlig value. The rules (docs/deviations.md):

    - "Ja" in Anmäld till means the category's own authority (IVO for lex Sarah, IMY for
      personuppgiftsincidenter); an authority that does not fit the category is an error.
    - Without an Anmäld till column, a report marked Allvarlig is taken as reported to the
      category's authority (an allvarligt missförhållande must be reported to IVO).
    - A reported report is serious; marking it "Allvarlig: Nej" is a contradiction.
    - Without an Allvarlig value, serious means reported.
    """
    authority = category.reported_to
    name = CATEGORY_LABELS[category.key]
    if reported == REPORTED:
        if not authority:
            raise ValueError(f"{name} anmäls inte till någon myndighet; skriv Nej")
        reported = authority
    if reported is None:
        reported = authority if serious else ""
    if reported and reported != authority:
        where = f"anmäls till {authority}" if authority else "anmäls inte till någon myndighet"
        raise ValueError(f"{name} {where}, inte till {reported}")
    if reported and serious is False:
        raise ValueError(f"anmäld till {reported} men markerad som inte allvarlig")
    return reported, bool(reported) if serious is None else serious
