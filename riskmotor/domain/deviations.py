"""Deviation (avvikelse) rules: reading one report, its fingerprint, and the aggregate analysis
SOSFS 2011:9 5 kap. asks for — cross table, shares, reporting to IVO/IMY, trend and root causes.

Pure functions over :class:`~riskmotor.domain.models.Deviation`; no I/O. The categories come
from the catalog (``avvikelsekategorier.yaml``): their synonyms map a municipality's own words
onto the five fixed keys, and ``reported_to`` names the authority each category reports to.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from scipy.stats import binomtest

from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.egenkontroll import TERTIALS, Period
from riskmotor.domain.models import Deviation
from riskmotor.domain.terms import CATEGORY_LABELS

REPORTED = "ja"  # "Anmäld: Ja" — the category's own authority, resolved per row
DAYS_PER_MONTH = 365.25 / 12

_NOT_REPORTED = frozenset(
    {"", "-", "–", "—", "nej", "n", "no", "0", "ingen", "ej", "ej anmäld", "inte anmäld"}
)
_YES = frozenset({"ja", "j", "x", "1", "yes", "anmäld", "anmäls"})
# Datainspektionen is IMY's name before 2021; old exports still use it.
_AUTHORITY_WORDS: dict[str, tuple[str, ...]] = {
    "IVO": ("ivo", "inspektionen för vård och omsorg"),
    "IMY": ("imy", "datainspektionen", "integritetsskyddsmyndigheten"),
}


def fold(value: Any) -> str:
    """Comparison form of a text: case-folded, whitespace collapsed."""
    return " ".join(str(value or "").casefold().split())


def tidy(value: Any) -> str:
    """Stored form of a text: whitespace collapsed, case kept as written."""
    return " ".join(str(value or "").split())


# --- reading one report ---------------------------------------------------------------------


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


def fingerprint(deviation: Deviation, external_id: str | None = None) -> str:
    """SHA-256 of the report's normalised content (plus its id in the source system, if any).

    Not of the file name or row number: the same report imported again, from the same file or
    another, gets the same fingerprint and is skipped.
    """
    content = [
        fold(external_id),
        deviation.occurred_on.isoformat(),
        fold(deviation.avdelning),
        fold(deviation.enhet),
        deviation.category,
        deviation.reported_to,
        deviation.serious,
        fold(deviation.cause),
        fold(deviation.process),
        fold(deviation.description),
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def deviation_from_row(
    row: Mapping[str, Any],
    categories: Mapping[str, DeviationCategory],
    *,
    namnd_id: int,
    source_file: str,
    imported_at: datetime,
    has_reported_column: bool,
) -> Deviation:
    """One parsed import row as a Deviation; ValueError when its columns contradict each other."""
    key, written = row["category"]
    reported = row.get("reported_to")
    if reported is None and has_reported_column:
        reported = ""
    reported_to, serious = resolve_reporting(categories[key], reported, row.get("serious"))
    draft = Deviation(
        namnd_id=namnd_id,
        occurred_on=row["occurred_on"],
        avdelning=tidy(row.get("avdelning")),
        enhet=tidy(row.get("enhet")),
        category=key,
        category_text=written,
        reported_to=reported_to,
        serious=serious,
        cause=tidy(row.get("cause")),
        process=tidy(row.get("process")),
        description=str(row.get("description") or "").strip(),
        source_file=source_file,
        source_row=int(row["_row"]),
        fingerprint="-",
        imported_at=imported_at,
    )
    draft.fingerprint = fingerprint(draft, row.get("external_id"))
    return draft


# --- counts, shares and the cross table ---------------------------------------------------


def count_by_category(deviations: Iterable[Deviation], keys: Sequence[str]) -> dict[str, int]:
    """Reports per category key, every key present (zero when none)."""
    counted = Counter(d.category for d in deviations)
    return {key: counted.get(key, 0) for key in keys}


def deviation_count(counts: Mapping[str, int], categories: Sequence[DeviationCategory]) -> int:
    """Reports judged to be deviations: every category except those with is_deviation false."""
    return sum(counts.get(c.key, 0) for c in categories if c.is_deviation)


def category_shares(
    counts: Mapping[str, int], categories: Sequence[DeviationCategory]
) -> dict[str, float | None]:
    """Each deviation category's share of the deviations (so "ej avvikelse" is left out)."""
    total = deviation_count(counts, categories)
    return {
        c.key: (counts.get(c.key, 0) / total if total else None)
        for c in categories
        if c.is_deviation
    }


def reported_share(deviations: Iterable[Deviation], category: DeviationCategory) -> float | None:
    """Share of a category's reports sent to its authority (lex Sarah → IVO, PUI → IMY)."""
    of_category = [d for d in deviations if d.category == category.key]
    if not of_category or not category.reported_to:
        return None
    sent = sum(d.reported_to == category.reported_to for d in of_category)
    return sent / len(of_category)


@dataclass(frozen=True)
class CrossRow:
    """One row of the cross table: an avdelning's subtotal, one of its enheter, or the total."""

    level: str  # "avdelning", "enhet" or "totalt"
    avdelning: str
    enhet: str
    counts: dict[str, int]
    total: int

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {**{k: v for k, v in data.items() if k != "counts"}, **self.counts}


def swedish_sort_key(text: str) -> str:
    """Sort key putting å, ä, ö after z in Swedish order."""
    return fold(text).translate({ord("å"): "z{", ord("ä"): "z|", ord("ö"): "z}"})


def cross_table(deviations: Sequence[Deviation], keys: Sequence[str]) -> list[CrossRow]:
    """Category × avdelning and enhet with totals — the shape of Norrtälje's Figur 5.1.

    Each avdelning's row (its subtotal) is followed by one row per enhet in it; the last row
    is the total of all reports.
    """
    by_avdelning: dict[str, list[Deviation]] = {}
    for deviation in deviations:
        by_avdelning.setdefault(deviation.avdelning, []).append(deviation)
    rows: list[CrossRow] = []
    for avdelning in sorted(by_avdelning, key=swedish_sort_key):
        members = by_avdelning[avdelning]
        rows.append(_cross_row("avdelning", avdelning, "", members, keys))
        for enhet in sorted({d.enhet for d in members}, key=swedish_sort_key):
            in_enhet = [d for d in members if d.enhet == enhet]
            rows.append(_cross_row("enhet", avdelning, enhet, in_enhet, keys))
    rows.append(_cross_row("totalt", "", "", deviations, keys))
    return rows


def _cross_row(
    level: str, avdelning: str, enhet: str, members: Sequence[Deviation], keys: Sequence[str]
) -> CrossRow:
    counts = count_by_category(members, keys)
    return CrossRow(level, avdelning, enhet, counts, sum(counts.values()))


def in_cell(
    deviation: Deviation, avdelning: str | None, enhet: str | None, category: str | None
) -> bool:
    """Whether a report is counted in a cell of the cross table (None: any value)."""
    return (
        (avdelning is None or deviation.avdelning == avdelning)
        and (enhet is None or deviation.enhet == enhet)
        and (category is None or deviation.category == category)
    )


# --- periods and trend --------------------------------------------------------------------


def tertial_of(day: date) -> str:
    tertial = next(t for t, (first, last) in TERTIALS.items() if first <= day.month <= last)
    return f"{day.year}-T{tertial}"


def counts_by(
    deviations: Iterable[Deviation], period_of: Callable[[date], str], keys: Sequence[str]
) -> dict[str, dict[str, int]]:
    """{period label: {category: count}} for the periods that have reports, in order."""
    table: dict[str, dict[str, int]] = {}
    for deviation in sorted(deviations, key=lambda d: d.occurred_on):
        row = table.setdefault(period_of(deviation.occurred_on), dict.fromkeys(keys, 0))
        row[deviation.category] = row.get(deviation.category, 0) + 1
    return table


def previous_tertial(label: str) -> str:
    """The tertial before ``2024-T1`` is ``2023-T3``."""
    year, tertial = int(label[:4]), int(label[-1])
    return f"{year - 1}-T3" if tertial == 1 else f"{year}-T{tertial - 1}"


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def period_days(period: Period) -> int:
    return (period.end - period.start).days + 1


def period_months(period: Period) -> float:
    """Length in months: whole calendar months when the period is made of them, else days."""
    starts_first = period.start.day == 1
    ends_last = (period.end.toordinal() + 1) == _first_of_next_month(period.end).toordinal()
    if starts_first and ends_last:
        return (
            (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        )
    return period_days(period) / DAYS_PER_MONTH


def _first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass(frozen=True)
class RateComparison:
    """Two periods' counts compared with the exact conditional test for Poisson rates.

    Given n1 + n2 reports, under equal rates n1 ~ Bin(n1 + n2, t1 / (t1 + t2)) where t1, t2 are
    the periods' lengths in days. The rate ratio (second period / first) and its exact interval
    follow from the binomial proportion and its Clopper–Pearson interval.
    """

    first: str
    second: str
    n1: int
    n2: int
    days1: int
    days2: int
    rate1_per_month: float
    rate2_per_month: float
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    p_value: float
    confidence: float
    significant: bool
    sentence: str


def compare_rates(
    n1: int,
    days1: int,
    n2: int,
    days2: int,
    *,
    months1: float | None = None,
    months2: float | None = None,
    labels: tuple[str, str] = ("", ""),
    what: str = "avvikelser",
    confidence: float = 0.95,
) -> RateComparison:
    """Compare the rate of reports in two periods (see :class:`RateComparison`)."""
    if days1 <= 0 or days2 <= 0 or n1 < 0 or n2 < 0:
        raise ValueError("perioderna måste ha positiv längd och antalen får inte vara negativa")
    months1 = months1 if months1 is not None else days1 / DAYS_PER_MONTH
    months2 = months2 if months2 is not None else days2 / DAYS_PER_MONTH
    rate1, rate2 = n1 / months1, n2 / months2
    ratio = low = high = None
    p_value = 1.0
    if n1 + n2 > 0:
        test = binomtest(n1, n1 + n2, days1 / (days1 + days2))
        p_value = float(test.pvalue)
        interval = test.proportion_ci(confidence_level=confidence, method="exact")
        # ratio = (n2/t2) / (n1/t1) = (1 - π)/π · t1/t2 with π = n1/(n1 + n2): decreasing in π.
        ratio = _ratio_from_share(n1 / (n1 + n2), days1, days2)
        low = _ratio_from_share(interval.high, days1, days2)
        high = _ratio_from_share(interval.low, days1, days2)
    significant = p_value < 1 - confidence
    sentence = rate_sentence(what, rate1, rate2, ratio, low, high, p_value, confidence)
    return RateComparison(
        labels[0], labels[1], n1, n2, days1, days2, rate1, rate2, ratio, low, high,
        p_value, confidence, significant, sentence,
    )  # fmt: skip


def _ratio_from_share(share: float, days1: int, days2: int) -> float:
    return math.inf if share == 0 else (1 - share) / share * days1 / days2


def swedish_number(value: float, decimals: int = 2) -> str:
    """Decimal comma, rounded half up as in print (2,25 → 2,3; Python's format gives 2,2)."""
    if math.isinf(value):
        return "∞"
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{rounded:f}".replace(".", ",").replace("-", "−")


def _rate(value: float) -> str:
    """A count per month as people say it: whole numbers from 10 up, one decimal below."""
    return swedish_number(value, 0 if value >= 10 else 1)


def p_text(p_value: float, alpha: float = 0.05) -> str:
    """p as printed in a report; never rounded onto the wrong side of the significance level."""
    if p_value < 0.001:
        return "p < 0,001"
    shown = round(p_value, 3 if p_value < 0.1 else 2)
    if p_value < alpha <= shown:
        return f"p < {swedish_number(alpha)}"
    return f"p = {swedish_number(shown, 3 if p_value < 0.1 else 2)}"


def rate_sentence(
    what: str,
    rate1: float,
    rate2: float,
    ratio: float | None,
    low: float | None,
    high: float | None,
    p_value: float,
    confidence: float,
) -> str:
    """The comparison in plain Swedish, as the nämnd reads it."""
    if ratio is None or low is None or high is None:
        return f"Det finns inga {what} i någon av perioderna att jämföra."
    if _rate(rate1) == _rate(rate2):
        change = f"var i stort sett oförändrat ({_rate(rate1)})"
    else:
        verb = "ökade" if rate2 > rate1 else "minskade"
        change = f"{verb} från {_rate(rate1)} till {_rate(rate2)}"
    level = swedish_number(100 * confidence, 0)
    interval = f"{swedish_number(low)}–{swedish_number(high)}"
    verdict = (
        "Skillnaden är statistiskt säker"
        if p_value < 1 - confidence
        else "Skillnaden kan bero på slumpen"
    )
    return (
        f"Antalet {what} per månad {change} (kvot {swedish_number(ratio)}; {level} % KI "
        f"{interval}). {verdict} ({p_text(p_value, 1 - confidence)})."
    )


# --- root causes --------------------------------------------------------------------------


@dataclass(frozen=True)
class CauseCount:
    cause: str
    count: int
    share: float


def same_cause(deviation: Deviation, cause_group: str) -> bool:
    """A root-cause group is every report whose cause reads the same (case and spaces aside)."""
    return bool(deviation.cause) and fold(deviation.cause) == fold(cause_group)


def top_causes(deviations: Sequence[Deviation], limit: int | None = 10) -> list[CauseCount]:
    """The most common root causes; the share is of all reports with a cause given."""
    spelled: dict[str, Counter[str]] = {}
    for deviation in deviations:
        if deviation.cause:
            spelled.setdefault(fold(deviation.cause), Counter())[deviation.cause] += 1
    with_cause = sum(sum(c.values()) for c in spelled.values())
    ranked = sorted(
        spelled.values(), key=lambda c: (-sum(c.values()), swedish_sort_key(c.most_common(1)[0][0]))
    )
    return [
        CauseCount(c.most_common(1)[0][0], sum(c.values()), sum(c.values()) / with_cause)
        for c in ranked[:limit]
    ]
