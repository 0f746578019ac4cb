"""Demo data: Exempelkommun's Socialnämnden with a scored 2027 risk analysis.

Idempotent: running it again adds only what is missing. The scores come from a seeded
generator so every installation sees the same workshop, with a believable spread: most
participants agree within one step and a few risks split the group (flagged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from riskmotor.catalogs import DEFAULT_CATALOG_DIR, Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import RiskTemplate, Scale
from riskmotor.domain.models import (
    OrgUnit,
    Participant,
    Risk,
    RiskAnalysis,
    RiskSource,
    Scenario,
    UnitKind,
    Vote,
)
from riskmotor.errors import DuplicateError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import deviations
from riskmotor.services.organisation import ensure_unit
from riskmotor.services.scenarios import load_scenario_file

DEMO_KOMMUN = "Exempelkommun"
DEMO_NAMND = "Socialnämnden"
DEMO_FORVALTNING = "Socialförvaltningen"
DEMO_YEAR = 2027
DEMO_SEED = 2027

DEMO_UNITS: dict[str, list[str]] = {
    "Barn och familj": [
        "Mottagningsenheten barn och unga",
        "Utredningsenheten barn och unga",
        "Placeringsenheten",
    ],
    "Vuxen": ["Vuxenenheten missbruk och beroende"],
    "Försörjning och familjerätt": ["Försörjningsstödsenheten", "Familjerätten"],
}

DEMO_PARTICIPANTS: list[tuple[str, str, str]] = [
    ("Anna Lindqvist", "Förvaltningschef", "Ledning"),
    ("Johan Berg", "Avdelningschef", "Barn och familj"),
    ("Maria Nilsson", "Avdelningschef", "Vuxen"),
    ("Sara Ahmed", "Enhetschef", "Utredningsenheten barn och unga"),
    ("Erik Holm", "Kvalitetsutvecklare", "Kvalitet och utveckling (processledare)"),
    ("Lena Sjöberg", "Controller", "Ekonomi"),
]


@dataclass(frozen=True)
class DemoResult:
    namnd_id: int
    analysis_id: int
    risks_added: int
    risks_total: int


def _unit_for(template: RiskTemplate, units: dict[str, OrgUnit]) -> int | None:
    text = f"{template.area} {template.process}".lower()
    rules = [
        ("mottagning", "Mottagningsenheten barn och unga"),
        ("placering", "Placeringsenheten"),
        ("barn", "Utredningsenheten barn och unga"),
        ("vuxen", "Vuxenenheten missbruk och beroende"),
        ("missbruk", "Vuxenenheten missbruk och beroende"),
        ("ekonomiskt bistånd", "Försörjningsstödsenheten"),
        ("bistand", "Försörjningsstödsenheten"),
        ("familjerätt", "Familjerätten"),
        ("familjeratt", "Familjerätten"),
    ]
    for needle, unit_name in rules:
        if needle in text:
            return units[unit_name].id
    return None


def _organisation(uow: UnitOfWork) -> tuple[OrgUnit, dict[str, OrgUnit]]:
    kommun = ensure_unit(uow, DEMO_KOMMUN, UnitKind.KOMMUN, None)
    namnd = ensure_unit(uow, DEMO_NAMND, UnitKind.NAMND, kommun.id)
    forvaltning = ensure_unit(uow, DEMO_FORVALTNING, UnitKind.FORVALTNING, namnd.id)
    units: dict[str, OrgUnit] = {}
    for avdelning_name, enheter in DEMO_UNITS.items():
        avdelning = ensure_unit(uow, avdelning_name, UnitKind.AVDELNING, forvaltning.id)
        for enhet in enheter:
            units[enhet] = ensure_unit(uow, enhet, UnitKind.ENHET, avdelning.id)
    return namnd, units


def _analysis(uow: UnitOfWork, catalog: Catalog, namnd: OrgUnit) -> RiskAnalysis:
    assert namnd.id is not None
    existing = uow.analyses.find(namnd.id, DEMO_YEAR)
    if existing:
        return existing
    return uow.analyses.add(
        RiskAnalysis(
            namnd_id=namnd.id,
            year=DEMO_YEAR,
            title=f"Riskanalys {DEMO_YEAR} – {DEMO_NAMND}",
            scale_key=catalog.default_scale,
            workshop_dates=[date(DEMO_YEAR - 1, 9, 15), date(DEMO_YEAR - 1, 9, 29)],
        )
    )


def _participants(uow: UnitOfWork, analysis_id: int) -> list[Participant]:
    present = {p.name for p in uow.participants.for_analysis(analysis_id)}
    for name, role, function in DEMO_PARTICIPANTS:
        if name not in present:
            uow.participants.add(
                Participant(analysis_id=analysis_id, name=name, role=role, function=function)
            )
    return uow.participants.for_analysis(analysis_id)


def _drafts(catalog: Catalog, total: int | None) -> list[tuple[str, RiskTemplate]]:
    templates = catalog.templates
    wanted = max(total or len(templates), len(templates))
    drafts = [(t.title, t) for t in templates]
    variant = 2
    while len(drafts) < wanted:
        for template in templates:
            if len(drafts) >= wanted:
                break
            drafts.append((f"{template.title} (variant {variant})", template))
        variant += 1
    return drafts


LIKELIHOOD_WEIGHTS = (0.15, 0.35, 0.35, 0.15)
CONSEQUENCE_WEIGHTS = (0.1, 0.3, 0.35, 0.25)


def _weights(count: int, four_level: tuple[float, ...]) -> np.ndarray:
    if count == len(four_level):
        return np.array(four_level)
    return np.full(count, 1.0 / count)


def _votes(rng: np.random.Generator, scale: Scale, people: int) -> list[tuple[int, int]]:
    """Scores of one risk: a shared view leaning one step up or down, now and then a dissenter."""
    tops = (scale.max_likelihood, scale.max_consequence)
    centre = [
        int(rng.choice(np.arange(1, top + 1), p=_weights(top, weights)))
        for top, weights in zip(tops, (LIKELIHOOD_WEIGHTS, CONSEQUENCE_WEIGHTS), strict=True)
    ]
    lean = rng.choice([-1, 1], size=2)
    noise = lean * (rng.random((people, 2)) < 0.3)
    if rng.random() < 0.25:
        noise[int(rng.integers(people))] = -2 * lean
    return [
        (
            int(np.clip(centre[0] + noise[i, 0], 1, tops[0])),
            int(np.clip(centre[1] + noise[i, 1], 1, tops[1])),
        )
        for i in range(people)
    ]


def load_demo(uow: UnitOfWork, catalog: Catalog, *, risks: int | None = None) -> DemoResult:
    """Create or complete the demo data; ``risks`` raises the number of risks to at least N.

    One transaction. Several first starts may run this at once on a fresh database: the
    unique index on the organisation tree lets only one of them create Exempelkommun, and
    a loser's transaction fails on that index and is rolled back. It is then run once more,
    from the start, and finds the winner's data, so every run reports the same analysis.
    """
    try:
        return _load(uow, catalog, risks)
    except DuplicateError:
        return _load(uow, catalog, risks)


def _load(uow: UnitOfWork, catalog: Catalog, risks: int | None) -> DemoResult:
    rng = np.random.default_rng(DEMO_SEED)
    with uow:
        namnd, units = _organisation(uow)
        analysis = _analysis(uow, catalog, namnd)
        assert analysis.id is not None and namnd.id is not None
        people = _participants(uow, analysis.id)
        scale = catalog.scale(analysis.scale_key)
        existing = {risk.title for risk in uow.risks.for_analysis(analysis.id)}
        added = 0
        for title, template in _drafts(catalog, risks):
            scores = _votes(rng, scale, len(people))  # drawn for every draft: same demo each time
            if title in existing:
                continue
            _add_scored_risk(uow, analysis.id, title, template, units, people, scores, scale)
            added += 1
        total = len(uow.risks.for_analysis(analysis.id))
        _scenarios(uow, namnd.id, units, analysis.id)
        _deviations(uow, namnd.id, catalog)
        uow.commit()
    return DemoResult(namnd.id, analysis.id, added, total)


def _add_scored_risk(
    uow: UnitOfWork,
    analysis_id: int,
    title: str,
    template: RiskTemplate,
    units: dict[str, OrgUnit],
    people: list[Participant],
    scores: list[tuple[int, int]],
    scale: Scale,
) -> None:
    risk = uow.risks.add(
        Risk(
            analysis_id=analysis_id,
            title=title,
            description=template.description,
            process=template.process,
            activity=template.activity,
            unit_id=_unit_for(template, units),
            causes="\n".join(template.causes),
            consequence_description="\n".join(template.consequences),
            consequence_areas=template.consequence_areas,
            source=RiskSource.KATALOG,
            template_key=template.key,
        )
    )
    assert risk.id is not None
    votes = [
        Vote(risk_id=risk.id, participant_id=p.id or 0, likelihood=s, consequence=k)
        for p, (s, k) in zip(people, scores, strict=True)
    ]
    for vote in votes:
        uow.votes.add(vote)
    if scoring.has_disagreement(votes):
        return  # left for the group to discuss
    agreed = scoring.aggregate_votes(votes)
    assert agreed is not None
    risk.inherent_likelihood, risk.inherent_consequence = agreed
    risk.assessment_confirmed = True
    if scoring.risk_value(scale, *agreed) >= scale.selection_threshold:
        risk.residual_likelihood = max(1, agreed[0] - 1)
        risk.residual_consequence = agreed[1]
    uow.risks.update(risk)


DEMO_SCENARIO_RISK = "Utredning om barn överskrider fyra månader"


# The example scenarios shipped in catalogs/scenarier: today's vacancies (a genuinely
# uncertain risk) and the same unit with the vacancies filled.
DEMO_SCENARIO_FILES = [
    DEFAULT_CATALOG_DIR / "scenarier" / "utredning-barn-och-unga.yaml",
    DEFAULT_CATALOG_DIR / "scenarier" / "utredning-barn-och-unga-vakanser-tillsatta.yaml",
]


def _scenarios(uow: UnitOfWork, namnd_id: int, units: dict[str, OrgUnit], analysis_id: int) -> None:
    """The example scenarios for the investigation unit, named as in their files."""
    risk = uow.risks.find_by_title(analysis_id, DEMO_SCENARIO_RISK)
    unit = units["Utredningsenheten barn och unga"]
    for path in DEMO_SCENARIO_FILES:
        scenario = load_scenario_file(path)
        if uow.scenarios.find(namnd_id, scenario.name) is None:
            uow.scenarios.add(
                Scenario(
                    namnd_id=namnd_id,
                    unit_id=unit.id,
                    risk_id=risk.id if risk else None,
                    name=scenario.name,
                    spec=scenario.model_dump(mode="json", exclude_none=True),
                )
            )


DEMO_DEVIATIONS = Path("exempeldata") / "avvikelser-2023.csv"


def _deviations(uow: UnitOfWork, namnd_id: int, catalog: Catalog) -> None:
    """The fictional 2023 deviation export (Norrtälje's proportions); known reports are skipped."""
    path = Path(catalog.directory) / DEMO_DEVIATIONS
    if not path.exists():  # a municipality's own catalog folder need not carry the demo file
        path = DEFAULT_CATALOG_DIR / DEMO_DEVIATIONS
    parsed = deviations.read_deviations(catalog, namnd_id, path, path.name)
    deviations.store_new(uow, parsed)
