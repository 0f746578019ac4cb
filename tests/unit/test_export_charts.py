"""The risk matrix picture: the catalog's colours on the grid, rendered to a PNG."""

from __future__ import annotations

import struct

from riskmotor.catalogs import Catalog
from riskmotor.export.charts import matrix_chart, matrix_png_bytes
from riskmotor.services.matrix import MatrixPoint, build_matrix


def _matrix(catalog: Catalog, scale_key: str) -> object:
    placed = [
        MatrixPoint(risk_id=1, likelihood=4, consequence=4),
        MatrixPoint(risk_id=2, likelihood=4, consequence=4),
        MatrixPoint(risk_id=3, likelihood=1, consequence=2),
    ]
    return build_matrix(catalog, scale_key, placed)


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


def test_cell_text_counts_the_risks(catalog: Catalog) -> None:
    spec = matrix_chart(_matrix(catalog, catalog.default_scale), "R").to_dict()
    values = spec["data"]["values"]
    top_right = next(v for v in values if v["likelihood"][0] == "4" and v["consequence"][0] == "4")
    assert top_right["text"][0] == "2 risker"


def test_png_is_a_real_picture_of_sensible_size(catalog: Catalog) -> None:
    data = matrix_png_bytes(_matrix(catalog, catalog.default_scale), "Riskmatris 2027")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 600 < width < 3000 and 600 < height < 3000
