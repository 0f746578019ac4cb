"""Search finds what a person means: case, diacritics and Swedish endings do not hide a risk."""

from __future__ import annotations

import pytest

from riskmotor.catalogs import load_catalog
from riskmotor.domain.search import fold, matches, search


def test_fold_removes_case_and_diacritics() -> None:
    assert fold("Vakanser PÅ Öster-Ängby") == "vakanser pa oster-angby"


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("vakans", "Vakanser bland socialsekreterarna"),  # the walkthrough's miss
        ("vakans", "vakanta tjänster tillsätts inte"),  # another form of the word
        ("VAKANS", "personalvakanser"),  # inside a compound, any case
        ("utred", "Utredningstiden överskrids"),  # a beginning of a word
        ("atgard", "Åtgärder följs inte upp"),  # typed without Swedish letters
        ("åtgärd", "atgarder"),  # and the other way round
        ("barnen", "Barnets bästa beaktas inte"),
        ("sekretess brister", "Brister i hanteringen av sekretess"),  # every word, any order
        ("", "vad som helst"),  # no query: everything
    ],
)
def test_matches(query: str, text: str) -> None:
    assert matches(query, [text])


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("vakans", "Brist på personal"),
        ("sekretess vakans", "Brister i hanteringen av sekretess"),  # one word missing
        ("barn", "Bar disk"),
    ],
)
def test_does_not_match(query: str, text: str) -> None:
    assert not matches(query, [text])


def test_search_looks_in_every_field_and_puts_title_hits_first() -> None:
    items = [
        ("Långa handläggningstider", "orsak: vakanser"),
        ("Annat", "inget"),
        ("Vakanta tjänster", ""),
    ]
    found = search("vakans", items, lambda item: item)
    assert found == [items[2], items[0]]


def test_catalog_search_for_vakans_finds_the_staffing_risks() -> None:
    catalog = load_catalog()
    found = search(
        "vakans",
        catalog.templates,
        lambda t: [t.title, t.description, *t.causes, catalog.process_name(t.process)],
    )
    assert found, "no risk template mentions vakanser"
    assert all("vakan" in fold(" ".join([t.title, t.description, *t.causes])) for t in found)
