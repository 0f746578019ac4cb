"""Charts of a capacity simulation: the spread over replications and the backlog over time."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from riskmotor.domain.terms import RECORD_FIELD_LABELS
from riskmotor.simulation import SimulationResult

# Axis ticks the Swedish way: d3 writes '20%' and '1,234.5'; Swedish print has '20 %' and
# '1 234,5'. Vega's expression language builds the text from the number itself.
PERCENT_TICKS = "replace(format(datum.value * 100, '.0f'), '.', ',') + ' %'"
NUMBER_TICKS = "replace(replace(format(datum.value, ',.0f'), ',', ' '), '.', ',')"


def breach_share_histogram(result: SimulationResult) -> alt.Chart:
    """How the share of cases past the deadline varies between replications."""
    shares = pd.DataFrame({"andel": result.per_replication("breach_share")})
    return (
        alt.Chart(shares, title="Andel ärenden över tidsfristen per replikering")
        .mark_bar()
        .encode(
            alt.X(
                "andel:Q",
                bin=alt.Bin(maxbins=40),
                title="Andel över tidsfristen",
                axis=alt.Axis(labelExpr=PERCENT_TICKS),
            ),
            alt.Y("count()", title=RECORD_FIELD_LABELS["replications"]),
            tooltip=[alt.Tooltip("count()", title=RECORD_FIELD_LABELS["replications"])],
        )
    )


def backlog_fan(result: SimulationResult) -> alt.LayerChart:
    """Waiting cases per week: the P10–P90 band with the median drawn over it."""
    fan = pd.DataFrame(result.backlog_fan)
    fan["vecka"] = fan["day"] / 7
    band = (
        alt.Chart(fan, title="Väntande ärenden per vecka (P10–P90 och median)")
        .mark_area(opacity=0.3)
        .encode(
            alt.X("vecka:Q", title="Vecka", axis=alt.Axis(labelExpr=NUMBER_TICKS)),
            alt.Y("p10:Q", title="Väntande ärenden", axis=alt.Axis(labelExpr=NUMBER_TICKS)),
            alt.Y2("p90:Q"),
        )
    )
    return band + band.mark_line().encode(y="p50:Q")


def show_charts(result: SimulationResult) -> None:
    """Both charts side by side."""
    left, right = st.columns(2)
    left.altair_chart(breach_share_histogram(result), width="stretch")
    right.altair_chart(backlog_fan(result), width="stretch")
