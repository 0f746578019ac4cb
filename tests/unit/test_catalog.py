"""The shipped catalogs load, hold what the workshop needs, and broken copies fail clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskmotor.catalogs import DEFAULT_CATALOG_DIR, Catalog, CatalogError, load_catalog

AREAS_NEEDED = ["Barn och unga", "Vuxna", "Ekonomiskt bistånd", "Familjerätt", "Gemensamt"]


def test_default_scale_is_four_by_four_with_threshold_nine(catalog: Catalog) -> None:
    scale = catalog.scale()
    assert (scale.max_likelihood, scale.max_consequence) == (4, 4)
    assert scale.selection_threshold == 9
    assert {a.name for a in scale.consequence_areas} >= {
        "Brukare/enskild",
        "Lag och rättssäkerhet",
        "Verksamhet",
        "Ekonomi",
        "Förtroende",
        "Arbetsmiljö",
    }


def test_five_by_five_alternative_exists(catalog: Catalog) -> None:
    scale = catalog.scale("alternativ-5x5")
    assert (scale.max_likelihood, scale.max_consequence) == (5, 5)


def test_likelihood_bands_cover_zero_to_one(catalog: Catalog) -> None:
    for scale in catalog.scales.values():
        assert scale.likelihood[0].probability_low == 0.0
        assert scale.likelihood[-1].probability_high == 1.0


def test_templates_cover_social_services(catalog: Catalog) -> None:
    assert len(catalog.templates) >= 30
    areas = " ".join(t.area for t in catalog.templates)
    for area in AREAS_NEEDED:
        assert area in areas, area
    titles = {t.title for t in catalog.templates}
    assert "Lämna ut sekretessbelagda uppgifter" in titles
    assert "Stor personalomsättning" in titles


def test_deadlines_mark_unverified_law(catalog: Catalog) -> None:
    by_key = {d.name: d for d in catalog.deadlines}
    assert any(d.limit_days == 14 for d in by_key.values())
    assert any(not ref.verified for d in catalog.deadlines for ref in d.references)
    unverified = next(r for d in catalog.deadlines for r in d.references if not r.verified)
    assert "ej verifierad" in unverified.label


def test_deviation_categories_and_control_activities(catalog: Catalog) -> None:
    keys = {c.key for c in catalog.deviation_categories}
    assert keys == {
        "lex_sarah",
        "personuppgiftsincident",
        "synpunkt_klagomal",
        "ovrig",
        "ej_avvikelse",
    }
    names = " ".join(c.name for c in catalog.control_activities)
    for expected in ["Delaktighet", "Kommunicering", "Skyddsbedömning"]:
        assert expected in names


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "katalog"
    shutil.copytree(DEFAULT_CATALOG_DIR, target)
    return target


def test_a_copied_folder_loads(catalog_copy: Path) -> None:
    assert load_catalog(catalog_copy).directory == str(catalog_copy)


def test_malformed_yaml_names_file_and_line(catalog_copy: Path) -> None:
    path = catalog_copy / "skalor.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - [oavslutad\n", encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(catalog_copy)
    message = str(error.value)
    assert "skalor.yaml" in message
    assert "rad" in message


def test_grid_with_unknown_level_names_the_path(catalog_copy: Path) -> None:
    path = catalog_copy / "skalor.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("- [lag, lag, lag, medel]", "- [lag, lag, lila, medel]", 1), encoding="utf-8"
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(catalog_copy)
    message = str(error.value)
    assert "skalor.yaml" in message and "scales[0]" in message and "lila" in message


def test_template_with_unknown_process_names_the_template(catalog_copy: Path) -> None:
    path = catalog_copy / "riskmallar.yaml"
    text = path.read_text(encoding="utf-8")
    first_process = load_catalog(catalog_copy).templates[0].process
    path.write_text(
        text.replace(f"process: {first_process}", "process: finns_inte", 1), encoding="utf-8"
    )
    with pytest.raises(CatalogError) as error:
        load_catalog(catalog_copy)
    assert "riskmallar.yaml" in str(error.value) and "finns_inte" in str(error.value)


def test_missing_file_is_named(catalog_copy: Path) -> None:
    (catalog_copy / "tidsfrister.yaml").unlink()
    with pytest.raises(CatalogError, match=r"tidsfrister\.yaml: filen saknas"):
        load_catalog(catalog_copy)


def test_unknown_scale_lists_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="standard-4x4"):
        catalog.scale("10x10")


def test_missing_field_names_file_line_and_field_in_swedish(catalog_copy: Path) -> None:
    path = catalog_copy / "skalor.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "selection_threshold:" in line)
    lines[number] = lines[number].replace("selection_threshold: 9", "selection_treshold: 9")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(catalog_copy)
    message = str(error.value)
    assert "skalor.yaml, rad " in message
    assert "fältet 'selection_threshold' saknas" in message
    assert "Field required" not in message and "fel till" in message


def test_wrong_type_points_at_the_line_of_the_value(catalog_copy: Path) -> None:
    path = catalog_copy / "skalor.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "selection_threshold:" in line)
    lines[number] = lines[number].replace("selection_threshold: 9", "selection_threshold: nio")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(catalog_copy)
    assert f"skalor.yaml, rad {number + 1}: scales[0].selection_threshold: ska vara ett heltal" in (
        str(error.value)
    )
