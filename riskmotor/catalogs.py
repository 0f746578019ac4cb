"""Load and validate the YAML catalogs.

Every problem is reported as a :class:`CatalogError` whose message names the file, the
path inside the file (``scales[0].grid[2]``) and the problem, so a kvalitetsutvecklare
editing a copy of the catalog folder can find the mistake without reading Python.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from riskmotor.domain.catalog import (
    ControlActivityTemplate,
    Deadline,
    DeviationCategory,
    EgenkontrollSettings,
    Process,
    RiskTemplate,
    Scale,
)
from riskmotor.errors import RiskmotorError

DEFAULT_CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalogs"

CATALOG_FILES: dict[str, str] = {
    "skalor.yaml": "scales",
    "processer.yaml": "processes",
    "riskmallar.yaml": "templates",
    "tidsfrister.yaml": "deadlines",
    "avvikelsekategorier.yaml": "deviation_categories",
    "kontrollmoment.yaml": "control_activities",
    "egenkontroll.yaml": "egenkontroll",
}


class CatalogError(RiskmotorError):
    """A catalog file is missing, is not valid YAML or does not match the schema."""


class ScaleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_scale: str
    scales: list[Scale]

    @model_validator(mode="after")
    def _default_exists(self) -> ScaleFile:
        keys = [scale.key for scale in self.scales]
        _unique(keys, "scales")
        if self.default_scale not in keys:
            raise ValueError(f"default_scale {self.default_scale!r} finns inte bland {keys}")
        return self


class ProcessFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    processes: list[Process]


class TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    templates: list[RiskTemplate]


class DeadlineFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deadlines: list[Deadline]


class DeviationCategoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: list[DeviationCategory]


class ControlActivityFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    control_activities: list[ControlActivityTemplate]


FILE_MODELS: dict[str, type[BaseModel]] = {
    "skalor.yaml": ScaleFile,
    "processer.yaml": ProcessFile,
    "riskmallar.yaml": TemplateFile,
    "tidsfrister.yaml": DeadlineFile,
    "avvikelsekategorier.yaml": DeviationCategoryFile,
    "kontrollmoment.yaml": ControlActivityFile,
    "egenkontroll.yaml": EgenkontrollSettings,
}


class Catalog(BaseModel):
    """All catalogs of one folder, cross-checked against each other."""

    model_config = ConfigDict(frozen=True)

    directory: str
    default_scale: str
    scales: dict[str, Scale]
    processes: list[Process]
    templates: list[RiskTemplate]
    deadlines: list[Deadline]
    deviation_categories: list[DeviationCategory]
    control_activities: list[ControlActivityTemplate]
    egenkontroll: EgenkontrollSettings

    def scale(self, key: str | None = None) -> Scale:
        wanted = key or self.default_scale
        try:
            return self.scales[wanted]
        except KeyError:
            raise CatalogError(
                f"Okänd skala {wanted!r}. Tillgängliga skalor: {', '.join(self.scales)}"
            ) from None

    def template(self, key: str) -> RiskTemplate:
        for template in self.templates:
            if template.key == key:
                return template
        raise CatalogError(f"Okänd riskmall {key!r}")

    def process(self, key: str) -> Process | None:
        return next((p for p in self.processes if p.key == key), None)

    def control_activity(self, key: str) -> ControlActivityTemplate:
        for control in self.control_activities:
            if control.key == key:
                return control
        raise CatalogError(f"Okänt kontrollmoment {key!r}")

    def process_name(self, key: str) -> str:
        process = self.process(key)
        return process.name if process else key


def _unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what}: nyckeln {key!r} förekommer mer än en gång")
        seen.add(key)


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(filens översta nivå)"


def _read_file(path: Path) -> BaseModel:
    model = FILE_MODELS[path.name]
    if not path.is_file():
        raise CatalogError(f"{path}: filen saknas")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(f"{path}:{where}: ogiltig YAML: {problem}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: filen är inte UTF-8") from None
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (och {exc.error_count() - 1} fel till)" if exc.error_count() > 1 else ""
        raise CatalogError(f"{path}: {_location(first['loc'])}: {first['msg']}{more}") from None


def load_catalog(directory: str | Path | None = None) -> Catalog:
    """Read and validate every catalog file in ``directory``."""
    folder = Path(directory) if directory else DEFAULT_CATALOG_DIR
    if not folder.is_dir():
        raise CatalogError(f"{folder}: katalogmappen finns inte")
    parts = {name: _read_file(folder / name) for name in CATALOG_FILES}
    scales = parts["skalor.yaml"]
    assert isinstance(scales, ScaleFile)
    catalog = Catalog(
        directory=str(folder),
        default_scale=scales.default_scale,
        scales={scale.key: scale for scale in scales.scales},
        processes=parts["processer.yaml"].processes,  # type: ignore[attr-defined]
        templates=parts["riskmallar.yaml"].templates,  # type: ignore[attr-defined]
        deadlines=parts["tidsfrister.yaml"].deadlines,  # type: ignore[attr-defined]
        deviation_categories=parts["avvikelsekategorier.yaml"].categories,  # type: ignore[attr-defined]
        control_activities=parts["kontrollmoment.yaml"].control_activities,  # type: ignore[attr-defined]
        egenkontroll=parts["egenkontroll.yaml"],
    )
    _cross_check(catalog, folder)
    return catalog


def _cross_check(catalog: Catalog, folder: Path) -> None:
    """Check references between files: templates point at processes and areas that exist."""
    processes = {p.key: {a.key for a in p.activities} for p in catalog.processes}
    areas = {a.key for a in catalog.scale().consequence_areas}
    checks = [
        ("processer.yaml", "processes", [p.key for p in catalog.processes]),
        ("riskmallar.yaml", "templates", [t.key for t in catalog.templates]),
        ("tidsfrister.yaml", "deadlines", [d.key for d in catalog.deadlines]),
        ("kontrollmoment.yaml", "control_activities", [c.key for c in catalog.control_activities]),
    ]
    for file_name, what, keys in checks:
        try:
            _unique(keys, what)
        except ValueError as exc:
            raise CatalogError(f"{folder / file_name}: {exc}") from None
    for index, template in enumerate(catalog.templates):
        where = f"{folder / 'riskmallar.yaml'}: templates[{index}]"
        if template.process not in processes:
            raise CatalogError(f"{where}.process: okänd process {template.process!r}")
        if template.activity and template.activity not in processes[template.process]:
            raise CatalogError(
                f"{where}.activity: aktiviteten {template.activity!r} finns inte i "
                f"processen {template.process!r}"
            )
        unknown = set(template.consequence_areas) - areas
        if unknown:
            raise CatalogError(
                f"{where}.consequence_areas: okända konsekvensområden {sorted(unknown)}"
            )
    for index, control in enumerate(catalog.control_activities):
        unknown_processes = set(control.processes) - set(processes)
        if unknown_processes:
            raise CatalogError(
                f"{folder / 'kontrollmoment.yaml'}: control_activities[{index}].processes: "
                f"okända processer {sorted(unknown_processes)}"
            )


@lru_cache(maxsize=8)
def cached_catalog(directory: str) -> Catalog:
    """The catalog of a folder, read once per process (catalogs change between runs only)."""
    return load_catalog(directory)
