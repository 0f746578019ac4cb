"""Charts of a capacity simulation: the spread over replications and the backlog over time."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from riskmotor.simulation import SimulationResult


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
                axis=alt.Axis(format="%"),
            ),
            alt.Y("count()", title="Antal replikeringar"),
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
            alt.X("vecka:Q", title="Vecka"),
            alt.Y("p10:Q", title="Väntande ärenden"),
            alt.Y2("p90:Q"),
        )
    )
    return band + band.mark_line().encode(y="p50:Q")


def show_charts(result: SimulationResult) -> None:
    """Both charts side by side."""
    left, right = st.columns(2)
    left.altair_chart(breach_share_histogram(result), width="stretch")
    right.altair_chart(backlog_fan(result), width="stretch")
