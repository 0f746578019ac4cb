"""Riskmatris: the catalog's grid with counts and risk ids per cell, and the risk list."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.terms import label
from riskmotor.services import workshop
from riskmotor.services.matrix import build_matrix, points
from streamlit_app.matrix_view import matrix_html
from streamlit_app.ui import analysis_caption, catalog, require_analysis, uow

st.title("Riskmatris")
analysis = require_analysis()
assert analysis.id is not None
analysis_caption(analysis)
cat = catalog()

kind = st.radio(
    "Visa",
    ["inherent", "residual"],
    format_func=label,
    horizontal=True,
)
risks = workshop.list_risks(uow(), cat, analysis.id)
matrix = build_matrix(cat, analysis.scale_key, points(risks, kind), kind)  # type: ignore[arg-type]


left, right = st.columns([3, 2])
with left:
    st.markdown(matrix_html(matrix), unsafe_allow_html=True)
    scale = cat.scale(analysis.scale_key)
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
    value_field = "risk_value" if kind == "inherent" else "residual_value"
    rows = [
        {
            "Id": r.id,
            label("title"): r.title,
            "S": r.likelihood if kind == "inherent" else r.residual_likelihood,
            "K": r.consequence if kind == "inherent" else r.residual_consequence,
            label("risk_value"): getattr(r, value_field),
            label("level"): r.level_name if kind == "inherent" else r.residual_level,
        }
        for r in risks
    ]
    rows.sort(key=lambda row: -(row[label("risk_value")] or 0))
    st.dataframe(rows, hide_index=True, width="stretch", height=520)
