"""Use cases of avvikelser: import a deviation export, analyse it for patterns and trends
(SOSFS 2011:9 5 kap. 6 §), and link what it shows to risks as evidence.

Each public function is one user action; writes open the unit of work they are given and
commit once. The free text of a report may hold personal data: it is stored, shown only when
the user asks for it, and left out of exports unless ``include_description`` is set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.deviations import (
    CauseCount,
    RateComparison,
    category_parser,
    category_shares,
    compare_rates,
    count_by_category,
    counts_by,
    cross_table,
    deviation_count,
    deviation_from_row,
    in_cell,
    month_of,
    parse_authority,
    period_days,
    period_months,
    previous_tertial,
    reported_share,
    same_cause,
    tertial_of,
)
from riskmotor.domain.deviations import top_causes as rank_causes
from riskmotor.domain.egenkontroll import parse_period, periods_of_year
from riskmotor.domain.models import Deviation, DeviationLink, Risk, RiskSource
from riskmotor.domain.terms import CATEGORY_LABELS, CATEGORY_PLURALS
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.imports import (
    Column,
    parse_bool,
    parse_date,
    parse_optional_text,
    read_table,
)
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.organisation import find_namnd
from riskmotor.services.workshop import check_unique_title, ensure_editable, invalid_input


def namnd_id(uow: UnitOfWork, name: str) -> int:
    """The id of the nämnd called ``name`` (the CLI names nämnder, the UI picks them)."""
    with uow:
        found = find_namnd(uow, name)
    assert found.id is not None
    return found.id


# --- reading a file -------------------------------------------------------------------------


def deviation_columns(catalog: Catalog) -> list[Column]:
    """The columns of a deviation export; header synonyms are documented in docs/deviations.md."""
    return [
        Column(
            "occurred_on",
            "Datum",
            ("händelsedatum", "datum för händelsen", "rapportdatum", "inkom", "registrerad"),
            True,
            parse_date,
        ),
        Column(
            "avdelning",
            "Avdelning",
            ("verksamhetsområde", "department"),
            False,
            parse_optional_text,
        ),
        Column(
            "enhet",
            "Enhet",
            ("enhetsnamn", "arbetsgrupp", "verksamhet", "unit"),
            False,
            parse_optional_text,
        ),
        Column(
            "category",
            "Kategori",
            ("typ", "typ av avvikelse", "avvikelsetyp", "avvikelsekategori", "bedömning"),
            True,
            category_parser(catalog.deviation_categories),
        ),
        Column(
            "reported_to",
            "Anmäld till",
            ("anmäld", "anmälan", "anmäld till myndighet", "extern anmälan", "reported to"),
            False,
            parse_authority,
        ),
        Column(
            "serious",
            "Allvarlig",
            ("allvarligt", "allvarligt missförhållande", "allvarlig händelse", "serious"),
            False,
            parse_bool,
        ),
        Column(
            "cause",
            "Orsak",
            ("bakomliggande orsak", "rotorsak", "orsakskategori"),
            False,
            parse_optional_text,
        ),
        Column(
            "process",
            "Process",
            ("processnamn", "verksamhetsprocess"),
            False,
            parse_optional_text,
        ),
        Column(
            "description",
            "Beskrivning",
            ("händelsebeskrivning", "fritext", "händelse", "beskrivning av händelsen"),
            False,
            parse_optional_text,
        ),
        Column(
            "external_id",
            "Avvikelse-id",
            ("löpnummer", "avvikelsenummer", "rapport-id", "id"),
            False,
            parse_optional_text,
        ),
    ]


@dataclass(frozen=True)
class RejectedRow:
    row: int
    reason: str


@dataclass(frozen=True)
class DeviationFile:
    """A read export: the reports ready to store and the rows that could not be read."""

    filename: str
    deviations: list[Deviation]
    rejected: list[RejectedRow]
    sha256: str


def read_deviations(
    catalog: Catalog, namnd_id: int, source: bytes | Path, filename: str
) -> DeviationFile:
    """Read and check every row; nothing is stored. A file that cannot be read at all raises."""
    table = read_table(source, filename, deviation_columns(catalog))
    problems: dict[int, list[str]] = {}
    for error in table.errors:
        problems.setdefault(error.row, []).append(str(error).removeprefix(f"Rad {error.row}, "))
    categories: dict[str, DeviationCategory] = {c.key: c for c in catalog.deviation_categories}
    imported_at = datetime.now(UTC)
    deviations = []
    for row in table.rows:
        try:
            deviations.append(
                deviation_from_row(
                    row,
                    categories,
                    namnd_id=namnd_id,
                    source_file=filename,
                    imported_at=imported_at,
                    has_reported_column="reported_to" in table.headers,
                )
            )
        except ValueError as error:
            problems.setdefault(row["_row"], []).append(f"kolumn Anmäld till/Allvarlig: {error}")
    rejected = [RejectedRow(row, "; ".join(reasons)) for row, reasons in sorted(problems.items())]
    return DeviationFile(filename, deviations, rejected, table.sha256)


@dataclass(frozen=True)
class ImportReport:
    """What an import did. ``refused``: bad rows and no permission to skip them; nothing stored."""

    imported: int
    duplicates: int
    rejected: list[RejectedRow]
    refused: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected],
        }


def store_new(uow: UnitOfWork, deviations: list[Deviation]) -> tuple[int, int]:
    """Add the reports not stored before, within an open unit of work: (imported, duplicates).

    A report whose fingerprint is already stored for the nämnd — or appeared earlier in the same
    batch — counts as a duplicate.
    """
    seen: dict[int, set[str]] = {}
    imported = 0
    for deviation in deviations:
        known = seen.get(deviation.namnd_id)
        if known is None:
            known = seen[deviation.namnd_id] = uow.deviations.fingerprints(deviation.namnd_id)
        if deviation.fingerprint in known:
            continue
        uow.deviations.add(deviation)
        known.add(deviation.fingerprint)
        imported += 1
    return imported, len(deviations) - imported


def import_deviations(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    source: bytes | Path,
    filename: str,
    *,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Import a deviation export in one transaction; re-importing the same reports adds nothing.

    With bad rows the import is refused (nothing stored) unless ``skip_bad_rows`` is set, in
    which case the good rows are imported; either way the bad rows are reported.
    """
    parsed = read_deviations(catalog, namnd_id, source, filename)
    if parsed.rejected and not skip_bad_rows:
        return ImportReport(0, 0, parsed.rejected, refused=True)
    with uow:
        uow.units.get(namnd_id)
        imported, duplicates = store_new(uow, parsed.deviations)
        uow.commit()
    return ImportReport(imported, duplicates, parsed.rejected)


# --- analysis -------------------------------------------------------------------------------


def _keys(catalog: Catalog) -> list[str]:
    return [c.key for c in catalog.deviation_categories]


def _deviation_keys(catalog: Catalog) -> set[str]:
    return {c.key for c in catalog.deviation_categories if c.is_deviation}


def _of_year(uow: UnitOfWork, namnd_id: int, year: int | None) -> list[Deviation]:
    with uow:
        if year is None:
            return uow.deviations.for_namnd(namnd_id)
        return uow.deviations.for_namnd(namnd_id, date(year, 1, 1), date(year, 12, 31))


def years(uow: UnitOfWork, namnd_id: int) -> list[int]:
    """The years that have reports, newest first."""
    return sorted({d.occurred_on.year for d in _of_year(uow, namnd_id, None)}, reverse=True)


def summary(uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int) -> dict[str, Any]:
    """The year's figures as the nämnd reports them (the pinned CLI JSON)."""
    found = _of_year(uow, namnd_id, year)
    categories = catalog.deviation_categories
    by_key = {c.key: c for c in categories}
    counts = count_by_category(found, _keys(catalog))
    return {
        "year": year,
        "total": len(found),
        "deviations": deviation_count(counts, categories),
        "by_category": counts,
        "shares": category_shares(counts, categories),
        "ivo_share": reported_share(found, by_key["lex_sarah"]),
        "imy_share": reported_share(found, by_key["personuppgiftsincident"]),
        "table": [row.as_dict() for row in cross_table(found, _keys(catalog))],
    }


def cross_table_rows(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int
) -> list[dict[str, Any]]:
    """Category × avdelning and enhet with totals (Figur 5.1 in Norrtälje's report)."""
    found = _of_year(uow, namnd_id, year)
    return [row.as_dict() for row in cross_table(found, _keys(catalog))]


def _series(
    found: list[Deviation], catalog: Catalog, periods: list[str], period_of: Any
) -> list[dict[str, Any]]:
    table = counts_by(found, period_of, _keys(catalog))
    return [
        {
            "period": period,
            "category": c.key,
            "label": CATEGORY_LABELS[c.key],
            "is_deviation": c.is_deviation,
            "count": table.get(period, {}).get(c.key, 0),
        }
        for period in periods
        for c in catalog.deviation_categories
    ]


def monthly_counts(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int
) -> list[dict[str, Any]]:
    """Reports per month and category, every month of the year present."""
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    return _series(_of_year(uow, namnd_id, year), catalog, months, month_of)


def tertial_counts(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int
) -> list[dict[str, Any]]:
    """Reports per tertial and category."""
    return _series(_of_year(uow, namnd_id, year), catalog, periods_of_year(year), tertial_of)


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
    wanted = {category} if category else _deviation_keys(catalog)
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


def top_causes(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int | None = None, limit: int = 10
) -> list[CauseCount]:
    """The most common root causes of deviations (all years when ``year`` is None)."""
    wanted = _deviation_keys(catalog)
    found = [d for d in _of_year(uow, namnd_id, year) if d.category in wanted]
    return rank_causes(found, limit)


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
    """The reports behind a cell of the cross table, traced to file and row.

    The free text (Beskrivning) may hold personal data and is left out unless asked for.
    """
    rows = []
    for d in _of_year(uow, namnd_id, year):
        if not in_cell(d, avdelning, enhet, category):
            continue
        row = {
            "Datum": d.occurred_on.isoformat(),
            "Avdelning": d.avdelning,
            "Enhet": d.enhet,
            "Kategori": CATEGORY_LABELS[d.category],
            "Kategori i filen": d.category_text,
            "Anmäld till": d.reported_to,
            "Allvarlig": "ja" if d.serious else "nej",
            "Orsak": d.cause,
            "Process": d.process,
            "Fil": d.source_file,
            "Rad": d.source_row,
        }
        if include_description:
            row["Beskrivning"] = d.description
        rows.append(row)
    return rows


# --- evidence for the risk analysis --------------------------------------------------------


def link_to_risk(
    uow: UnitOfWork,
    risk_id: int,
    deviation_ids: list[int] | None = None,
    cause_group: str | None = None,
    note: str = "",
) -> list[DeviationLink]:
    """Link single reports, or a whole root-cause group, to a risk as evidence."""
    if bool(deviation_ids) == bool(cause_group and cause_group.strip()):
        raise InvalidInputError("Välj antingen avvikelser eller en orsaksgrupp att koppla.")
    with uow:
        risk = uow.risks.get(risk_id)
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        found = uow.deviations.for_namnd(analysis.namnd_id)
        existing = uow.deviation_links.for_risk(risk_id)
        if cause_group:
            drafts = [_cause_link(risk_id, cause_group, found, existing, note)]
        else:
            drafts = _deviation_links(risk_id, deviation_ids or [], found, existing, note)
        created = [uow.deviation_links.add(link) for link in drafts]
        uow.commit()
        return created


def _cause_link(
    risk_id: int,
    cause_group: str,
    found: list[Deviation],
    existing: list[DeviationLink],
    note: str,
) -> DeviationLink:
    members = [d for d in found if same_cause(d, cause_group)]
    if not members:
        raise InvalidInputError(f"Det finns inga avvikelser med orsaken ”{cause_group.strip()}”.")
    if any(link.cause_group and same_cause(members[0], link.cause_group) for link in existing):
        raise DuplicateError(f"Orsaken ”{members[0].cause}” är redan kopplad till risken.")
    return DeviationLink(risk_id=risk_id, cause_group=members[0].cause, note=note)


def _deviation_links(
    risk_id: int,
    deviation_ids: list[int],
    found: list[Deviation],
    existing: list[DeviationLink],
    note: str,
) -> list[DeviationLink]:
    known = {d.id for d in found}
    strangers = sorted(set(deviation_ids) - known)
    if strangers:
        raise InvalidInputError(
            f"Avvikelserna {', '.join(map(str, strangers))} finns inte för riskens nämnd."
        )
    linked = {link.deviation_id for link in existing}
    new = [i for i in dict.fromkeys(deviation_ids) if i not in linked]
    if not new:
        raise DuplicateError("Avvikelserna är redan kopplade till risken.")
    return [DeviationLink(risk_id=risk_id, deviation_id=i, note=note) for i in new]


@dataclass(frozen=True)
class RiskEvidence:
    """The deviations linked to a risk: counts per category and tertial, and the latest trend."""

    risk_id: int
    links: list[DeviationLink]
    total: int
    by_category: dict[str, int]
    by_tertial: dict[str, int]
    cause_groups: list[str] = field(default_factory=list)
    trend: RateComparison | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "risk_id": self.risk_id,
            "total": self.total,
            "by_category": self.by_category,
            "by_tertial": self.by_tertial,
            "cause_groups": self.cause_groups,
            "deviation_links": sum(link.deviation_id is not None for link in self.links),
            "trend": self.trend.sentence if self.trend else None,
        }


def risk_evidence(uow: UnitOfWork, catalog: Catalog, risk_id: int) -> RiskEvidence:
    """The reports linked to a risk; a cause-group link counts every report with that cause."""
    with uow:
        risk = uow.risks.get(risk_id)
        namnd_id = uow.analyses.get(risk.analysis_id).namnd_id
        links = uow.deviation_links.for_risk(risk_id)
        found = uow.deviations.for_namnd(namnd_id) if links else []
    ids = {link.deviation_id for link in links if link.deviation_id is not None}
    groups = [link.cause_group for link in links if link.cause_group]
    linked = [d for d in found if d.id in ids or any(same_cause(d, g) for g in groups)]
    by_tertial = dict(Counter(tertial_of(d.occurred_on) for d in linked))
    return RiskEvidence(
        risk_id=risk_id,
        links=links,
        total=len(linked),
        by_category=count_by_category(linked, _keys(catalog)),
        by_tertial=by_tertial,
        cause_groups=groups,
        trend=_latest_trend(linked) if linked else None,
    )


def _latest_trend(linked: list[Deviation]) -> RateComparison:
    """The latest tertial with reports against the tertial before it."""
    second = parse_period(tertial_of(max(d.occurred_on for d in linked)))
    first = parse_period(previous_tertial(second.label))
    return compare_rates(
        sum(first.contains(d.occurred_on) for d in linked),
        period_days(first),
        sum(second.contains(d.occurred_on) for d in linked),
        period_days(second),
        months1=period_months(first),
        months2=period_months(second),
        labels=(first.label, second.label),
        what="kopplade avvikelser",
    )


def create_risk_from_pattern(
    uow: UnitOfWork, catalog: Catalog, analysis_id: int, cause_group: str, title: str
) -> Risk:
    """A new risk (source: avvikelse) from a root-cause group, with the group linked to it."""
    with uow:
        analysis = uow.analyses.get(analysis_id)
        ensure_editable(analysis)
        wanted = _deviation_keys(catalog)
        members = [
            d
            for d in uow.deviations.for_namnd(analysis.namnd_id)
            if d.category in wanted and same_cause(d, cause_group)
        ]
        if not members:
            raise InvalidInputError(f"Det finns inga avvikelser med orsaken ”{cause_group}”.")
        try:
            risk = Risk(
                analysis_id=analysis_id,
                title=title,
                description=_pattern_description(members),
                causes=members[0].cause,
                source=RiskSource.AVVIKELSE,
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None
        check_unique_title(uow, risk)
        stored = uow.risks.add(risk)
        assert stored.id is not None
        uow.deviation_links.add(
            DeviationLink(
                risk_id=stored.id,
                cause_group=members[0].cause,
                note="Risken skapades från avvikelsemönstret.",
            )
        )
        uow.commit()
        return stored


def _pattern_description(members: list[Deviation]) -> str:
    first = min(d.occurred_on for d in members)
    last = max(d.occurred_on for d in members)
    categories = Counter(CATEGORY_LABELS[d.category] for d in members)
    units = Counter(d.enhet for d in members if d.enhet)
    parts = [
        f"{len(members)} avvikelser {first.isoformat()}–{last.isoformat()} med orsaken "
        f"”{members[0].cause}”",
        ", ".join(f"{name} {n}" for name, n in categories.most_common()),
    ]
    if units:
        parts.append("vanligast i " + ", ".join(name for name, _ in units.most_common(3)))
    return "Skapad från avvikelser: " + "; ".join(parts) + "."
