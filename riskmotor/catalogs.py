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
from pydantic_core import ErrorDetails

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

# libyaml's loader when PyYAML was built with it: several times faster on the catalogs.
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def _node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """The deepest YAML node along the error's path (its mark gives the line)."""
    node = root
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            # A missing field, or a union/validator name in the path: stay at the parent.
            continue
        node = child
    return node


def _problem(error: ErrorDetails) -> str:
    """The pydantic error as a Swedish sentence a catalog editor understands."""
    kind, ctx = error["type"], error.get("ctx", {})
    field = error["loc"][-1] if error["loc"] else ""
    if kind == "missing":
        return f"fältet {field!r} saknas"
    if kind == "extra_forbidden":
        return f"fältet {field!r} finns inte i katalogformatet (stavfel?)"
    if kind in ("value_error", "assertion_error"):
        # Our own validators already speak Swedish; pydantic prefixes them in English.
        return str(error["msg"]).split(", ", 1)[-1]
    template = PROBLEMS.get(kind)
    if template is None:
        return f"ogiltigt värde ({error['msg']})"
    return template.format(**ctx, input=error.get("input"))


# Pydantic's error types as Swedish explanations; ``{…}`` come from the error's context.
PROBLEMS: dict[str, str] = {
    "string_type": "ska vara text",
    "string_too_short": "får inte vara tomt",
    "string_too_long": "får vara högst {max_length} tecken",
    "string_pattern_mismatch": "har fel form (ska följa mönstret {pattern})",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal, inte {input!r}",
    "int_from_float": "ska vara ett heltal, inte {input!r}",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal, inte {input!r}",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false, inte {input!r}",
    "list_type": "ska vara en lista (rader som börjar med -)",
    "tuple_type": "ska vara en lista",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "model_attributes_type": "ska vara en mappning (nyckel: värde)",
    "too_short": "ska ha minst {min_length} element",
    "too_long": "får ha högst {max_length} element",
    "greater_than": "ska vara större än {gt}",
    "greater_than_equal": "ska vara minst {ge}",
    "less_than": "ska vara mindre än {lt}",
    "less_than_equal": "får vara högst {le}",
    "literal_error": "ska vara en av {expected}, inte {input!r}",
    "enum": "ska vara en av {expected}, inte {input!r}",
    "date_type": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD), inte {input!r}",
    "date_from_datetime_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD), inte {input!r}",
    "url_parsing": "ska vara en webbadress",
    "frozen_set_type": "ska vara en lista",
    "set_type": "ska vara en lista",
}


def _validation_error(path: Path, root: yaml.Node | None, exc: ValidationError) -> CatalogError:
    """File, line, path inside the file and a Swedish explanation of the first problem."""
    first = exc.errors()[0]
    node = _node_at(root, tuple(first["loc"]))
    line = f", rad {node.start_mark.line + 1}" if node is not None else ""
    more = exc.error_count() - 1
    tail = f" (och {more} fel till)" if more else ""
    return CatalogError(f"{path}{line}: {_location(first['loc'])}: {_problem(first)}{tail}")


def _read_file(path: Path) -> BaseModel:
    model = FILE_MODELS[path.name]
    if not path.is_file():
        raise CatalogError(f"{path}: filen saknas")
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=FAST_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(
            f"{path}{where}: ogiltig YAML – kontrollera indrag, kolon, citattecken och "
            f"parenteser här eller på raden före (YAML-läsarens beskrivning: {problem})"
        ) from None
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: filen är inte UTF-8") from None
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        # Only now is the node tree (with line numbers) built: it costs a second parse.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        raise _validation_error(path, root, exc) from None


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
