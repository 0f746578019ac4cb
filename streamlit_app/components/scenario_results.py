"""A capacity simulation's result on the Scenarier page, and saved scenarios side by side."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.catalog import Scale
from riskmotor.domain.models import Scenario
from riskmotor.domain.terms import days, label, number, percent
from riskmotor.services import scenarios
from riskmotor.simulation import SimulationResult
from streamlit_app.components.simulation_charts import show_charts
from streamlit_app.ui import attempt
from streamlit_app.widgets import PLACEHOLDER

# Saved scenarios are compared on the same seed, so that the differences come from the
# scenarios and not from the random numbers (common random numbers).
COMPARISON_REPLICATIONS = 10_000
COMPARISON_SEED = 1


def points(difference: float) -> str:
    """A difference between two shares in procentenheter, with its sign: '−29,1 procentenheter'."""
    sign = "+" if difference > 0 else ""
    return f"{sign}{number(100 * difference, 1)} procentenheter"


def prepare_engine() -> None:
    """The first simulation after installing compiles the engine: say so, never go silent."""
    notice = st.empty()
    scenarios.prepare_engine(lambda message: notice.info(message, icon=":material/hourglass_top:"))
    notice.empty()


def show_summary(result: SimulationResult, scale: Scale) -> None:
    """Key figures, the run's provenance, an overload warning and the suggested likelihood."""
    summary = result.summary
    low, high = summary["event_probability_ci"]
    interval = f"{percent(low)}–{percent(high)}"
    cols = st.columns(4)
    cols[0].metric(
        "Sannolikhet för riskhändelsen",
        percent(summary["event_probability"]),
        help=f"95 % konfidensintervall {interval}",
    )
    cols[1].metric("Andel över tidsfristen (medel)", percent(summary["breach_share_mean"] or 0))
    cols[2].metric("Genomsnittlig väntetid", days(summary["mean_wait_days"] or 0))
    cols[3].metric("90:e percentilen ledtid", days(summary["p90_lead_time_days"] or 0))
    st.caption(
        f"95 % konfidensintervall för sannolikheten: {interval}. "
        f"{number(summary['replications'])} replikeringar, slumpfrö {summary['seed']}, "
        f"NumPy {summary['numpy_version']}, riskmotor {summary['riskmotor_version']}."
    )
    if result.overloaded:
        st.error(
            f"Ohållbar belastning: inflödet ({number(summary['offered_load'])} ärenden i "
            f"genomsnitt) är större än kapaciteten ({number(summary['mean_slots'])} platser)."
        )
    suggested = scenarios.suggestion(result, scale)
    if suggested.level is None:
        st.info(suggested.message)  # says why the annual scale does not apply
    else:
        level_name = scale.likelihood[suggested.level - 1].name
        (st.warning if suggested.straddles else st.info)(
            f"Föreslagen sannolikhet: **{suggested.level} {level_name}**. {suggested.message}"
        )
    show_charts(result)


def _simulate_saved(scenario: Scenario) -> SimulationResult | None:
    return attempt(lambda: scenarios.run(scenario.spec, COMPARISON_REPLICATIONS, COMPARISON_SEED))


def show_comparison(saved: dict[int, Scenario]) -> None:
    """Choose two or three saved scenarios, simulate them on common random numbers and
    show each one's figures and every difference against the first."""
    st.subheader("Jämför scenarier sida vid sida")
    chosen = st.multiselect(
        "Välj upp till tre sparade scenarier",
        list(saved),
        max_selections=3,
        format_func=lambda k: saved[k].name,
        placeholder=PLACEHOLDER,
    )
    if len(chosen) < 2 or not st.button("Jämför"):
        return
    prepare_engine()
    results = [_simulate_saved(saved[k]) for k in chosen]
    done = [r for r in results if r is not None]
    if len(done) < len(results):
        return  # the failing scenario's error is already shown
    st.dataframe(
        [
            {
                "Scenario": r.scenario.name,
                label("likelihood"): percent(r.summary["event_probability"]),
                "95 % intervall": " – ".join(percent(x) for x in r.summary["event_probability_ci"]),
                "Andel över tidsfristen": percent(r.summary["breach_share_mean"] or 0),
                "Belastning": r.summary["load_label"],
            }
            for r in done
        ],
        hide_index=True,
        width="stretch",
    )
    for comparison in scenarios.compare(done):
        diff = comparison.summary["event_probability"]
        low, high = diff["difference_ci"]
        st.caption(
            f"{comparison.summary['second']} jämfört med {comparison.summary['first']}: "
            f"sannolikheten ändras med {points(diff['difference'])} "
            f"(95 %: {points(low)} till {points(high)}), med gemensamma slumptal."
        )
