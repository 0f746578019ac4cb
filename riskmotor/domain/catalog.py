"""Catalog models: scales, risk templates, processes, deadlines and categories.

The catalogs are Swedish YAML files under ``catalogs/``. They are data, not code: a
municipality copies the folder, edits it and points ``RISKMOTOR_CATALOG_DIR`` at it.
Every model here validates on load so a broken catalog fails with a message that names
the file, the path inside it and the problem (see ``riskmotor.catalogs``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from riskmotor.domain.plan import ControlMethod, FollowupStatus, Frequency

HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegalReference(_Strict):
    """A statutory reference. Unverified ones must never be shown as settled law."""

    law: str
    section: str = ""
    verified: bool
    note: str = ""

    @property
    def label(self) -> str:
        text = f"{self.law} {self.section}".strip()
        return text if self.verified else f"{text} (ej verifierad)"


class ConsequenceArea(_Strict):
    key: str
    name: str


class LikelihoodLevel(_Strict):
    value: int = Field(ge=1)
    name: str
    description: str
    probability_low: float = Field(ge=0.0, le=1.0)
    probability_high: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _band_is_ordered(self) -> LikelihoodLevel:
        if self.probability_high <= self.probability_low:
            raise ValueError("probability_high måste vara större än probability_low")
        return self


class ConsequenceLevel(_Strict):
    value: int = Field(ge=1)
    name: str
    description: str
    area_texts: dict[str, str]


class RiskLevel(_Strict):
    key: str
    name: str
    colour: str
    text_colour: str = "#000000"
    rank: int = Field(ge=1)

    @field_validator("colour", "text_colour")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX_COLOUR.match(value):
            raise ValueError(f"färgen {value!r} ska skrivas som #RRGGBB")
        return value.upper()


class Scale(_Strict):
    """A likelihood × consequence scale with an explicit level grid."""

    key: str
    name: str
    description: str = ""
    likelihood: list[LikelihoodLevel]
    consequence: list[ConsequenceLevel]
    consequence_areas: list[ConsequenceArea]
    risk_levels: list[RiskLevel]
    grid: list[list[str]] = Field(
        description="grid[likelihood - 1][consequence - 1] is a risk level key"
    )
    selection_threshold: int = Field(ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Scale:
        _check_consecutive("likelihood", [lvl.value for lvl in self.likelihood])
        _check_consecutive("consequence", [lvl.value for lvl in self.consequence])
        _check_bands(self.likelihood)
        area_keys = {area.key for area in self.consequence_areas}
        for level in self.consequence:
            missing = area_keys - set(level.area_texts)
            unknown = set(level.area_texts) - area_keys
            if missing or unknown:
                raise ValueError(
                    f"konsekvensnivå {level.value}: area_texts saknar {sorted(missing)} "
                    f"eller har okända {sorted(unknown)}"
                )
        level_keys = {level.key for level in self.risk_levels}
        if len(self.grid) != len(self.likelihood):
            raise ValueError(
                f"grid har {len(self.grid)} rader men skalan har "
                f"{len(self.likelihood)} sannolikhetsnivåer"
            )
        for row_index, row in enumerate(self.grid, start=1):
            if len(row) != len(self.consequence):
                raise ValueError(
                    f"grid rad {row_index} har {len(row)} celler men skalan har "
                    f"{len(self.consequence)} konsekvensnivåer"
                )
            for cell in row:
                if cell not in level_keys:
                    raise ValueError(f"grid rad {row_index}: okänd risknivå {cell!r}")
        max_value = len(self.likelihood) * len(self.consequence)
        if self.selection_threshold > max_value:
            raise ValueError(
                f"selection_threshold {self.selection_threshold} är större än högsta "
                f"riskvärde {max_value}"
            )
        return self

    @property
    def max_likelihood(self) -> int:
        return len(self.likelihood)

    @property
    def max_consequence(self) -> int:
        return len(self.consequence)

    def risk_level(self, key: str) -> RiskLevel:
        for level in self.risk_levels:
            if level.key == key:
                return level
        raise KeyError(key)


def _check_consecutive(axis: str, values: list[int]) -> None:
    if values != list(range(1, len(values) + 1)):
        raise ValueError(f"{axis}: nivåerna ska vara 1, 2, 3 … i ordning, fick {values}")


def _check_bands(levels: list[LikelihoodLevel]) -> None:
    if levels[0].probability_low != 0.0 or levels[-1].probability_high != 1.0:
        raise ValueError("sannolikhetsbanden ska börja på 0 och sluta på 1")
    check_bands_meet([(lv.value, lv.probability_low, lv.probability_high) for lv in levels])


def check_bands_meet(bands: Sequence[tuple[int, float, float]]) -> None:
    """Probability bands ``(level, low, high)``, in order, leave no gap and do not overlap.

    The one home of this rule: the catalog checks its scales with it, and the simulation's
    likelihood suggestion checks the bands it is handed.
    """
    for (level, _, high), (next_level, low, _) in itertools.pairwise(bands):
        if abs(high - low) > 1e-12:
            raise ValueError(
                f"sannolikhetsbanden för nivå {level} och {next_level} möts inte ({high} ≠ {low})"
            )


class Activity(_Strict):
    key: str
    name: str


class Process(_Strict):
    key: str
    name: str
    area: str = Field(description="verksamhetsområde, e.g. Barn och unga")
    activities: list[Activity]


class SuggestedControl(_Strict):
    control_activity: str
    control_method: ControlMethod
    frequency: Frequency = Frequency.TERTIAL


class RiskTemplate(_Strict):
    key: str
    title: str
    area: str
    process: str = Field(description="key of a process in processer.yaml")
    activity: str = Field(default="", description="key of an activity of that process")
    description: str
    causes: list[str] = Field(min_length=1)
    consequences: list[str] = Field(min_length=1)
    consequence_areas: list[str] = Field(min_length=1)
    suggested_controls: list[SuggestedControl] = Field(min_length=1)
    legal_references: list[LegalReference] = Field(default_factory=list)


class Deadline(_Strict):
    key: str
    name: str
    limit_days: float | None = Field(
        default=None, description="None when the limit is 'genast' (same day)"
    )
    limit_text: str
    references: list[LegalReference] = Field(min_length=1)


DeviationCategoryKey = Literal[
    "lex_sarah", "personuppgiftsincident", "synpunkt_klagomal", "ovrig", "ej_avvikelse"
]


class DeviationCategory(_Strict):
    key: DeviationCategoryKey
    name: str
    is_deviation: bool
    reported_to: str = ""
    synonyms: list[str] = Field(default_factory=list)
    references: list[LegalReference] = Field(default_factory=list)


class ControlActivityTemplate(_Strict):
    """An egenkontroll kontrollmoment: what a reviewer checks in one case file."""

    key: str
    name: str
    question: str
    how_checked: str
    processes: list[str] = Field(default_factory=list)
    references: list[LegalReference] = Field(default_factory=list)
    applies_to: list[str] = Field(
        default_factory=list,
        description="ärendetyper the question is asked of; empty means every case",
    )

    def applies_to_case_type(self, case_type: str) -> bool:
        return applies_to_case_type(self.applies_to, case_type)


def applies_to_case_type(applies_to: Sequence[str], case_type: str) -> bool:
    """Whether a kontrollmoment limited to ``applies_to`` is asked of a case of ``case_type``.

    The one home of this rule (checklist writer and reader use it). An entry matches when it
    occurs anywhere in the case's ärendetyp, ignoring case, so "utredning" covers "Utredning
    barn" and "LVM-utredning". No limit, or an unknown (blank) ärendetyp, means the question
    is asked: a case is never left unreviewed because its type was not written down.
    """
    wanted = [" ".join(entry.casefold().split()) for entry in applies_to]
    actual = " ".join(case_type.casefold().split())
    if not wanted or not actual:
        return True
    return any(entry in actual for entry in wanted)


# The three conclusions of an evaluation (riskmotor.sampling.evaluation), plus the fallback.
StatusCondition = Literal["shown_to_meet", "not_shown", "shown_not_to_meet", "always"]


class StatusRule(_Strict):
    """One rule of the egenkontroll status; the first rule whose condition holds applies."""

    status: FollowupStatus
    name: str
    when: StatusCondition
    description: str


class EgenkontrollSettings(_Strict):
    default_confidence: float = Field(gt=0, lt=1)
    default_tolerable_rate: float = Field(gt=0, lt=1)
    default_expected_rate: float = Field(ge=0, lt=1)
    default_sample_size: int = Field(ge=1)
    default_reserve: int = Field(ge=0)
    status_rules: list[StatusRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _ends_with_fallback(self) -> EgenkontrollSettings:
        if self.status_rules[-1].when != "always":
            raise ValueError("sista statusregeln ska ha when: always så att alla fall får status")
        return self
