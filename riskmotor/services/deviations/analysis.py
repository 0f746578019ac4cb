"""Analysing a nämnd's deviation reports for patterns and trends (SOSFS 2011:9 5 kap. 6 §):
the year's summary, counts per month and tertial, a trend test, root causes, and the reports
behind a cell of the cross table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from riskmotor.catalogs import Catalog
from riskmotor.domain.catalog import DeviationCategoryKey
from riskmotor.domain.deviations import (
    CauseCount,
    RateComparison,
    category_shares,
    compare_rates,
    count_by_category,
    counts_by,
    cross_table,
    deviation_count,
    in_cell,
    month_of,
    period_days,
    period_months,
    reported_share,
    tertial_of,
)
from riskmotor.domain.deviations import top_causes as rank_causes
from riskmotor.domain.egenkontroll import parse_period, periods_of_year
from riskmotor.domain.models import Deviation, UnitKind
from riskmotor.domain.terms import (
    CATEGORY_LABELS,
    CATEGORY_PLURALS,
    RECORD_FIELD_LABELS,
    UNIT_KIND_LABELS,
    label,
    yes_no,
)
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.deviations import DeviationSummary, PeriodCount
from riskmotor.services.organisation import namnd_by_name

LEX_SARAH: DeviationCategoryKey = "lex_sarah"
DATA_BREACH: DeviationCategoryKey = "personuppgiftsincident"


def namnd_id(uow: UnitOfWork, name: str) -> int:
    """The id of the nämnd called ``name`` (the CLI names nämnder, the UI picks them)."""
    with uow:
        found = namnd_by_name(uow, name)
    assert found.id is not None
    return found.id


def category_keys(catalog: Catalog) -> list[str]:
    return [c.key for c in catalog.deviation_categories]


def deviation_keys(catalog: Catalog) -> set[str]:
    """The categories that are deviations (so "ej avvikelse" is left out)."""
    return {c.key for c in catalog.deviation_categories if c.is_deviation}


def reports_of_year(tx: UnitOfWork, namnd_id: int, year: int | None) -> list[Deviation]:
    """A nämnd's reports of one year (every year when None), inside an open unit of work."""
    if year is None:
        return tx.deviations.for_namnd(namnd_id)
    return tx.deviations.for_namnd(namnd_id, date(year, 1, 1), date(year, 12, 31))


def years(uow: UnitOfWork, namnd_id: int) -> list[int]:
    """The years that have reports, newest first."""
    with uow:
        found = reports_of_year(uow, namnd_id, None)
    return sorted({d.occurred_on.year for d in found}, reverse=True)


def year_summary(tx: UnitOfWork, catalog: Catalog, namnd_id: int, year: int) -> DeviationSummary:
    """The year's figures as the nämnd reports them, inside an open unit of work."""
    found = reports_of_year(tx, namnd_id, year)
    categories = catalog.deviation_categories
    by_key = {c.key: c for c in categories}
    counts = count_by_category(found, category_keys(catalog))
    return DeviationSummary(
        year=year,
        total=len(found),
        deviations=deviation_count(counts, categories),
        by_category=counts,
        shares=category_shares(counts, categories),
        ivo_share=reported_share(found, by_key[LEX_SARAH]),
        imy_share=reported_share(found, by_key[DATA_BREACH]),
        table=cross_table(found, category_keys(catalog)),
    )


def summary(uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int) -> DeviationSummary:
    """The year's figures (the CLI's pinned JSON is :meth:`DeviationSummary.to_json`)."""
    with uow:
        return year_summary(uow, catalog, namnd_id, year)


def _series(
    found: list[Deviation], catalog: Catalog, periods: list[str], period_of: Callable[[date], str]
) -> list[PeriodCount]:
    table = counts_by(found, period_of, category_keys(catalog))
    return [
        PeriodCount(
            period=period,
            category=c.key,
            label=CATEGORY_LABELS[c.key],
            is_deviation=c.is_deviation,
            count=table.get(period, {}).get(c.key, 0),
        )
        for period in periods
        for c in catalog.deviation_categories
    ]


def monthly_counts(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int
) -> list[PeriodCount]:
    """Reports per month and category, every month of the year present."""
    with uow:
        found = reports_of_year(uow, namnd_id, year)
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    return _series(found, catalog, months, month_of)


def tertial_counts(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int
) -> list[PeriodCount]:
    """Reports per tertial and category."""
    with uow:
        found = reports_of_year(uow, namnd_id, year)
    return _series(found, catalog, periods_of_year(year), tertial_of)


def compare_periods(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    first: str,
    second: str,
    category: str | None = None,
) -> RateComparison:
    """Did the rate of deviations (or of one category) change between two periods?"""
    one, two = parse_period(first), parse_period(second)
    if one.start <= two.end and two.start <= one.end:
        raise InvalidInputError(f"Perioderna {one.label} och {two.label} överlappar varandra.")
    if category is not None and category not in CATEGORY_LABELS:
        raise InvalidInputError(f"Okänd kategori {category!r}.")
    with uow:
        found = uow.deviations.for_namnd(namnd_id, min(one.start, two.start), max(one.end, two.end))
    wanted = {category} if category else deviation_keys(catalog)
    counted = [d for d in found if d.category in wanted]
    return compare_rates(
        sum(one.contains(d.occurred_on) for d in counted),
        period_days(one),
        sum(two.contains(d.occurred_on) for d in counted),
        period_days(two),
        months1=period_months(one),
        months2=period_months(two),
        labels=(one.label, two.label),
        what=CATEGORY_PLURALS[category] if category else "avvikelser",
    )


def causes_of_year(
    tx: UnitOfWork, catalog: Catalog, namnd_id: int, year: int | None, limit: int = 10
) -> list[CauseCount]:
    """The most common root causes of deviations, inside an open unit of work."""
    wanted = deviation_keys(catalog)
    found = [d for d in reports_of_year(tx, namnd_id, year) if d.category in wanted]
    return rank_causes(found, limit)


def top_causes(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int | None = None, limit: int = 10
) -> list[CauseCount]:
    """The most common root causes of deviations (all years when ``year`` is None)."""
    with uow:
        return causes_of_year(uow, catalog, namnd_id, year, limit)


def export_rows(
    uow: UnitOfWork,
    namnd_id: int,
    year: int,
    *,
    avdelning: str | None = None,
    enhet: str | None = None,
    category: str | None = None,
    include_description: bool = False,
) -> list[dict[str, Any]]:
    """The reports behind a cell of the cross table, traced to file and row, as the table
    the user downloads (column headings are the Swedish labels).

    The free text (Beskrivning) may hold personal data and is left out unless asked for.
    """
    with uow:
        found = reports_of_year(uow, namnd_id, year)
    rows = []
    for d in found:
        if not in_cell(d, avdelning, enhet, category):
            continue
        row: dict[str, Any] = {
            "Datum": d.occurred_on.isoformat(),
            UNIT_KIND_LABELS[UnitKind.AVDELNING]: d.avdelning,
            label("unit"): d.enhet,
            RECORD_FIELD_LABELS["category"]: CATEGORY_LABELS[d.category],
            "Kategori i filen": d.category_text,
            "Anmäld till": d.reported_to,
            RECORD_FIELD_LABELS["serious"]: yes_no(d.serious),
            label("causes"): d.cause,
            label("process"): d.process,
            RECORD_FIELD_LABELS["source_file"]: d.source_file,
            "Rad": d.source_row,
        }
        if include_description:
            row[label("description")] = d.description
        rows.append(row)
    return rows
