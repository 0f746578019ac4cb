"""The risk matrix picture: the catalog's colours on the grid, rendered to a PNG."""

from __future__ import annotations

import struct

from riskmotor.catalogs import Catalog
from riskmotor.export.charts import id_lines, matrix_chart, matrix_png_bytes
from riskmotor.reports.matrix import MatrixPoint, RiskMatrix, build_matrix


def _matrix(catalog: Catalog, scale_key: str) -> RiskMatrix:
    placed = [
        MatrixPoint(risk_id=1, likelihood=4, consequence=4),
        MatrixPoint(risk_id=2, likelihood=4, consequence=4),
        MatrixPoint(risk_id=3, likelihood=1, consequence=2),
    ]
    return build_matrix(catalog.scale(scale_key), placed)


def test_chart_cells_use_exactly_the_catalog_grid_colours(catalog: Catalog) -> None:
    for scale in catalog.scales.values():
        spec = matrix_chart(_matrix(catalog, scale.key), "Riskmatris").to_dict()
        colours = {lv.key: lv.colour for lv in scale.risk_levels}
        values = spec["data"]["values"]
        by_cell = {(v["likelihood"][0], v["consequence"][0]): v["colour"] for v in values}
        for s in range(1, scale.max_likelihood + 1):
            for k in range(1, scale.max_consequence + 1):
                assert by_cell[(str(s), str(k))] == colours[scale.grid[s - 1][k - 1]]
        rect = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rect")
        assert rect["encoding"]["color"]["scale"] is None  # colours used as given


def test_cells_show_the_risk_ids_wrapped_and_empty_cells_nothing(catalog: Catalog) -> None:
    spec = matrix_chart(_matrix(catalog, catalog.default_scale), "R", threshold=9).to_dict()
    values = spec["data"]["values"]
    top_right = next(v for v in values if v["likelihood"][0] == "4" and v["consequence"][0] == "4")
    assert top_right["text"] == ["1, 2"]
    # No "0 risker" in an empty cell: a cell without risks has no text at all.
    assert not any("risk" in " ".join(v["text"]) for v in values)
    assert any(v["text"] == [] for v in values)
    assert id_lines(list(range(1, 8))) == ["1, 2, 3, 4, 5", "6, 7"]
    assert id_lines([]) == []


def test_cells_at_the_threshold_are_marked_for_the_border(catalog: Catalog) -> None:
    scale = catalog.default_scale
    spec = matrix_chart(_matrix(catalog, scale), "R", threshold=9).to_dict()
    for value in spec["data"]["values"]:
        product = int(value["likelihood"][0]) * int(value["consequence"][0])
        assert value["selected"] == (product >= 9)
    marks = [layer["mark"] for layer in spec["layer"]]
    assert any(m.get("fillOpacity") == 0 and m.get("strokeWidth", 0) >= 3 for m in marks)


def test_png_is_a_real_picture_of_sensible_size(catalog: Catalog) -> None:
    data = matrix_png_bytes(_matrix(catalog, catalog.default_scale), "Riskmatris 2027")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 600 < width < 3000 and 600 < height < 3000
