"""Riskmatris: the catalog's grid with counts and risk ids per cell, and the risk list."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.terms import label
from riskmotor.reports.matrix import MatrixKind, build_matrix, points
from riskmotor.reports.risks import RiskView
from riskmotor.services import workshop
from streamlit_app.matrix_view import matrix_html
from streamlit_app.ui import analysis_caption, cached, catalog, require_analysis

# Narrow columns first, so that S, K, riskvärde and nivå are in view without scrolling
# on a projector; the title takes what is left.
LIST_COLUMNS = {
    "Id": st.column_config.NumberColumn("Id", width=45, format="%d"),
    "S": st.column_config.NumberColumn("S", width=35, format="%d", help=label("likelihood")),
    "K": st.column_config.NumberColumn("K", width=35, format="%d", help=label("consequence")),
    label("risk_value"): st.column_config.NumberColumn(label("risk_value"), width=80, format="%d"),
    label("level"): st.column_config.TextColumn(label("level"), width=95),
    label("title"): st.column_config.TextColumn(label("title"), width="large"),
}


def risks_count(count: int) -> str:
    """'1 risk', '2 risker'."""
    return f"{count} risk" if count == 1 else f"{count} risker"


def render() -> None:
    st.title("Riskmatris")
    analysis = require_analysis()
    assert analysis.id is not None
    analysis_caption(analysis)
    cat = catalog()

    shown = st.radio("Visa", ["inherent", "residual"], format_func=label, horizontal=True)
    kind: MatrixKind = "residual" if shown == "residual" else "inherent"
    risks: list[RiskView] = cached(workshop.list_risks, cat, analysis.id)
    scale = cat.scale(analysis.scale_key)
    placed = points(risks, kind)  # one place decides which score a risk shows: matrix and list
    matrix = build_matrix(scale, placed, kind)
    level_names = {level.key: level.name for level in scale.risk_levels}
    inherent = kind == "inherent"

    left, right = st.columns([3, 2])
    with left:
        st.markdown(matrix_html(matrix), unsafe_allow_html=True)
        st.caption(
            "Färger: "
            + " · ".join(level.name for level in sorted(scale.risk_levels, key=lambda x: x.rank))
            + f". Tröskel för internkontrollplanen: riskvärde ≥ {scale.selection_threshold}."
        )
        if matrix.unplaced:
            missing = "saknar bedömning" if inherent else "saknar kvarvarande risk"
            titles = {r.id: r.title for r in risks}
            st.caption(
                f"{risks_count(len(matrix.unplaced))} {missing} och visas inte i matrisen: "
                + ", ".join(f"{titles[i]} ({i})" for i in matrix.unplaced)
            )
    with right:
        listed = [
            (r, point, r.risk_value if inherent else r.residual_value)
            for r, point in zip(risks, placed, strict=True)
            if point.likelihood is not None and point.consequence is not None
        ]
        listed.sort(key=lambda item: -(item[2] or 0))  # highest risk value first
        st.markdown(f"**{risks_count(len(listed))} i matrisen**")
        rows = [
            {
                "Id": r.id,
                "S": point.likelihood,
                "K": point.consequence,
                label("risk_value"): value,
                label("level"): (
                    r.level_name if inherent else level_names.get(r.residual_level or "")
                )
                or "–",
                label("title"): r.title,
            }
            for r, point, value in listed
        ]
        st.dataframe(rows, hide_index=True, width="stretch", height=520, column_config=LIST_COLUMNS)


render()
