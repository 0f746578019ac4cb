"""Riskmatris: the catalog's grid with counts and risk ids per cell, and the risk list."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.terms import label
from riskmotor.reports.matrix import MatrixKind, build_matrix, points
from riskmotor.services import workshop
from streamlit_app.matrix_view import matrix_html
from streamlit_app.ui import analysis_caption, catalog, require_analysis, uow

st.title("Riskmatris")
analysis = require_analysis()
assert analysis.id is not None
analysis_caption(analysis)
cat = catalog()

shown = st.radio(
    "Visa",
    ["inherent", "residual"],
    format_func=label,
    horizontal=True,
)
kind: MatrixKind = "residual" if shown == "residual" else "inherent"
risks = workshop.list_risks(uow(), cat, analysis.id)
scale = cat.scale(analysis.scale_key)
placed = points(risks, kind)  # one place decides which score a risk shows: matrix and list
matrix = build_matrix(scale, placed, kind)


left, right = st.columns([3, 2])
with left:
    st.markdown(matrix_html(matrix), unsafe_allow_html=True)
    st.caption(
        "Färger: "
        + " · ".join(f"{level.name}" for level in sorted(scale.risk_levels, key=lambda x: x.rank))
        + f". Tröskel för internkontrollplanen: riskvärde ≥ {scale.selection_threshold}."
    )
    if matrix.unplaced:
        st.caption(
            f"{len(matrix.unplaced)} risker saknar bedömning och visas inte i matrisen: "
            + ", ".join(str(i) for i in matrix.unplaced)
        )
with right:
    inherent = kind == "inherent"
    listed = [
        (r, point, r.risk_value if inherent else r.residual_value)
        for r, point in zip(risks, placed, strict=True)
    ]
    listed.sort(key=lambda item: -(item[2] or 0))  # highest risk value first
    rows = [
        {
            "Id": r.id,
            label("title"): r.title,
            "S": point.likelihood,
            "K": point.consequence,
            label("risk_value"): value,
            label("level"): r.level_name if inherent else r.residual_level,
        }
        for r, point, value in listed
    ]
    st.dataframe(rows, hide_index=True, width="stretch", height=520)
