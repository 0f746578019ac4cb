"""Scenarier: capacity and vacancy scenarios simulated to estimate a risk's likelihood."""

from __future__ import annotations

import copy
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from riskmotor.domain.models import Scenario, UnitKind
from riskmotor.services import organisation, scenarios, workshop
from riskmotor.simulation import SimulationResult
from streamlit_app.ui import (
    analysis_caption,
    attempt,
    catalog,
    days,
    percent,
    remember_version,
    require_analysis,
    save_versioned,
    uow,
)

NEW = 0
REPLICATION_CHOICES = [1_000, 10_000, 50_000]
EVENT_KINDS = {
    "breach_share_above": "Andelen ärenden över tidsfristen överstiger",
    "breaches_above": "Antalet ärenden över tidsfristen överstiger",
    "max_backlog_above": "Största antalet väntande ärenden överstiger",
}
DISTRIBUTIONS = {
    "lognormal": "Lognormal (vanligast för handläggningstider)",
    "gamma": "Gamma",
    "exponential": "Exponentiell",
    "deterministic": "Fast tid",
}

st.title("Scenarier")
analysis = require_analysis()
assert analysis.id is not None
analysis_caption(analysis)
st.write(
    "Simulera inflöde, bemanning, vakanser, rekrytering och sjukfrånvaro för en enhet och "
    "se hur troligt det är att lagstadgade tidsfrister inte hålls. Resultatet kan användas "
    "som sannolikhet för den kopplade risken, med scenariot och slumpfröet sparade som underlag."
)
cat = catalog()
scale = cat.scale(analysis.scale_key)
saved = {s.id: s for s in scenarios.scenarios(uow(), analysis.namnd_id)}
enheter = {u.id: u.name for u in organisation.units_below(uow(), analysis.namnd_id, UnitKind.ENHET)}
risk_views = {r.id: r for r in workshop.list_risks(uow(), cat, analysis.id)}

choice = st.selectbox(
    "Scenario",
    [NEW, *saved],
    format_func=lambda k: "Nytt scenario" if k == NEW else saved[k].name,
)
current: Scenario | None = saved.get(choice)
spec: dict[str, Any] = copy.deepcopy(current.spec if current else scenarios.DEFAULT_SCENARIO)
key = f"scenario_{choice}"
shown_version = remember_version(key, current.version) if current else 0

top = st.columns(2)
unit_id = top[0].selectbox(
    "Enhet",
    [None, *enheter],
    index=(
        [None, *enheter].index(current.unit_id) if current and current.unit_id in enheter else 0
    ),
    format_func=lambda k: "(ingen vald)" if k is None else enheter[k],
    key=f"{key}_enhet",
)
risk_id = top[1].selectbox(
    "Kopplad risk",
    [None, *risk_views],
    index=(
        [None, *risk_views].index(current.risk_id)
        if current and current.risk_id in risk_views
        else 0
    ),
    format_func=lambda k: "(ingen risk)" if k is None else f"{k}: {risk_views[k].title}",
    key=f"{key}_risk",
)


def number(label: str, value: float, help_text: str, **limits: Any) -> Any:
    return st.number_input(label, value=value, help=help_text, key=f"{key}_{label}", **limits)


with st.form(f"{key}_form"):
    name = st.text_input("Namn på scenariot", value=spec["name"], key=f"{key}_namn")
    st.subheader("Inflöde och handläggning")
    cols = st.columns(3)
    with cols[0]:
        per_month = st.slider(
            "Nya ärenden per månad",
            0.0,
            300.0,
            float(
                spec["arrivals"].get("per_month") or spec["arrivals"].get("per_day", 0) * 30.4375
            ),
            help="Genomsnittligt inflöde. Ärendena kommer slumpmässigt (Poissonprocess).",
            key=f"{key}_inflode",
        )
        trend = st.slider(
            "Årlig förändring av inflödet (%)",
            -50,
            100,
            round(100 * spec["arrivals"].get("trend", 0.0)),
            help="Till exempel 5 om inflödet väntas öka med 5 % per år.",
            key=f"{key}_trend",
        )
    with cols[1]:
        duration = spec["case_duration_days"]
        distribution = st.selectbox(
            "Handläggningstidens fördelning",
            list(DISTRIBUTIONS),
            index=list(DISTRIBUTIONS).index(duration["distribution"]),
            format_func=DISTRIBUTIONS.__getitem__,
            key=f"{key}_fordelning",
        )
        mean = number(
            "Genomsnittlig handläggningstid (dagar)",
            float(duration["mean"]),
            "Kalenderdagar som ett ärende upptar en plats i handläggarens ärendemängd.",
            min_value=0.1,
        )
        cv = number(
            "Variationskoefficient",
            float(duration.get("cv", 0.5)),
            "Spridning i förhållande till medelvärdet (standardavvikelse / medelvärde).",
            min_value=0.0,
            step=0.05,
        )
    with cols[2]:
        deadline = number(
            "Tidsfrist (dagar)",
            float(spec["deadline_days"]),
            "Till exempel 120 för en utredning (4 månader) eller 14 för en förhandsbedömning.",
            min_value=1.0,
        )
        event_kind = next(iter(spec["event"]))
        kind = st.selectbox(
            "Riskhändelse",
            list(EVENT_KINDS),
            index=list(EVENT_KINDS).index(event_kind),
            format_func=EVENT_KINDS.__getitem__,
            key=f"{key}_handelse",
        )
        threshold = number(
            "Gräns för riskhändelsen",
            float(spec["event"][event_kind]),
            "Andel anges som decimaltal (0,10 = 10 %), antal som heltal.",
            min_value=0.0,
        )

    st.subheader("Bemanning")
    staffing = spec["staffing"]
    recruitment = staffing.get("recruitment_days", {"distribution": "gamma", "mean": 90, "cv": 0.5})
    cols = st.columns(3)
    with cols[0]:
        positions = int(
            number(
                "Tjänster",
                int(staffing["positions"]),
                "Antal handläggartjänster (årsarbetare).",
                min_value=0,
                step=1,
            )
        )
        caseload = number(
            "Ärenden per handläggare",
            float(staffing["caseload_per_worker"]),
            "Hur många ärenden en handläggare har samtidigt.",
            min_value=0.1,
        )
        vacant = int(
            number(
                "Vakanta tjänster vid start",
                int(staffing.get("vacant_at_start", 0)),
                "Tjänster som är obesatta när perioden börjar.",
                min_value=0,
                step=1,
            )
        )
    with cols[1]:
        turnover = st.slider(
            "Personalomsättning per år (%)",
            0,
            100,
            round(100 * staffing.get("annual_turnover", 0.0)),
            help="Andel av handläggarna som slutar under ett år.",
            key=f"{key}_omsattning",
        )
        recruitment_mean = number(
            "Rekryteringstid (dagar)",
            float(recruitment["mean"]),
            "Genomsnittlig tid från att någon slutar till att en ny handläggare börjar.",
            min_value=0.1,
        )
        sick = st.slider(
            "Sjukfrånvaro (%)",
            0,
            50,
            round(100 * staffing.get("sick_leave_rate", 0.0)),
            help="Minskar kapaciteten i motsvarande grad.",
            key=f"{key}_sjuk",
        )
    with cols[2]:
        ramp_days = number(
            "Introduktionstid (dagar)",
            float(staffing.get("ramp_up_days", 0)),
            "Tid innan en nyanställd arbetar med full kapacitet.",
            min_value=0.0,
        )
        ramp_capacity = st.slider(
            "Kapacitet under introduktion (%)",
            0,
            100,
            round(100 * staffing.get("ramp_up_capacity", 1.0)),
            help="Hur stor del av en full ärendemängd en nyanställd klarar under introduktionen.",
            key=f"{key}_intro",
        )
    consultants = st.data_editor(
        pd.DataFrame(
            staffing.get("consultants") or [], columns=["count", "from_day", "to_day"]
        ).rename(columns={"count": "Antal", "from_day": "Från dag", "to_day": "Till dag"}),
        num_rows="dynamic",
        key=f"{key}_konsulter",
        hide_index=True,
    )
    st.caption("Inhyrda konsulter: antal och period (dag 0 är periodens första dag).")

    st.subheader("Simulering")
    cols = st.columns(3)
    horizon = cols[0].number_input(
        "Period (dagar)",
        value=float(spec["horizon_days"]),
        min_value=1.0,
        key=f"{key}_horisont",
        help="Hur lång period som simuleras, till exempel 365 för ett år.",
    )
    replications = cols[1].selectbox(
        "Antal replikeringar",
        REPLICATION_CHOICES,
        index=1,
        format_func=lambda n: f"{n:,}".replace(",", " "),
        key=f"{key}_replikeringar",
        help="Hur många gånger året simuleras. Fler ger ett smalare osäkerhetsintervall.",
    )
    seed = int(
        cols[2].number_input(
            "Slumpfrö (seed)",
            value=1,
            min_value=0,
            step=1,
            key=f"{key}_seed",
            help="Samma slumpfrö ger exakt samma resultat; det sparas med resultatet.",
        )
    )
    save_clicked = st.form_submit_button("Spara scenario")
    run_clicked = st.form_submit_button("Kör simulering", type="primary")

arrivals: dict[str, Any] = {"per_month": per_month, "trend": trend / 100}
if spec["arrivals"].get("seasonality"):
    arrivals["seasonality"] = spec["arrivals"]["seasonality"]
new_spec: dict[str, Any] = {
    **{k: v for k, v in spec.items() if k not in {"name", "arrivals"}},
    "name": name,
    "horizon_days": horizon,
    "arrivals": arrivals,
    "case_duration_days": {"distribution": distribution, "mean": mean, "cv": cv},
    "deadline_days": deadline,
    "event": {kind: threshold},
    "staffing": {
        "positions": positions,
        "caseload_per_worker": caseload,
        "vacant_at_start": vacant,
        "annual_turnover": turnover / 100,
        "recruitment_days": {**recruitment, "mean": recruitment_mean},
        "ramp_up_days": ramp_days,
        "ramp_up_capacity": ramp_capacity / 100,
        "sick_leave_rate": sick / 100,
        "consultants": [
            {
                "count": int(row["Antal"]),
                "from_day": float(row["Från dag"]),
                "to_day": float(row["Till dag"]),
            }
            for row in consultants.dropna().to_dict("records")
        ],
    },
}

if save_clicked:
    draft = Scenario(
        id=current.id if current else None,
        version=shown_version,
        namnd_id=analysis.namnd_id,
        unit_id=unit_id,
        risk_id=risk_id,
        name=name,
        spec=new_spec,
    )
    stored = save_versioned(
        key, lambda: scenarios.save_scenario(uow(), draft), f"Scenariot ”{name}” är sparat."
    )
    if stored is not None:
        st.rerun()

if run_clicked:
    bar = st.progress(0.0, text="Simulerar …")
    result = attempt(
        lambda: scenarios.run(
            new_spec,
            int(replications),
            seed,
            progress=lambda share: bar.progress(share, text=f"Simulerar … {share:.0%}"),
        )
    )
    bar.empty()
    if result is not None:
        evidence = scenarios.record_run(
            uow(), result, scale, scenario_id=current.id if current else None, risk_id=risk_id
        )
        st.session_state["simulation"] = {
            "result": result,
            "run_id": evidence.id,
            "risk_id": risk_id,
        }


def show_result(result: SimulationResult, run_id: int, linked_risk: int | None) -> None:
    summary = result.summary
    suggested = scenarios.suggestion(result, scale)
    low, high = summary["event_probability_ci"]
    cols = st.columns(4)
    cols[0].metric(
        "Sannolikhet för riskhändelsen",
        percent(summary["event_probability"]),
        help=f"95 % konfidensintervall {percent(low)}–{percent(high)}",
    )
    cols[1].metric("Andel över tidsfristen (medel)", percent(summary["breach_share_mean"] or 0))
    cols[2].metric("Genomsnittlig väntetid", days(summary["mean_wait_days"] or 0))
    cols[3].metric("90:e percentilen ledtid", days(summary["p90_lead_time_days"] or 0))
    st.caption(
        f"95 % konfidensintervall för sannolikheten: {percent(low)}–{percent(high)}. "
        f"{summary['replications']} replikeringar, slumpfrö {summary['seed']}, "
        f"NumPy {summary['numpy_version']}, riskmotor {summary['riskmotor_version']}."
    )
    if summary["overloaded"]:
        st.error(
            f"Ohållbar belastning: inflödet ({summary['offered_load']:.0f} ärenden i "
            f"genomsnitt) är större än kapaciteten ({summary['mean_slots']:.0f} platser)."
        )
    level_name = scale.likelihood[suggested.level - 1].name
    (st.warning if suggested.straddles else st.info)(
        f"Föreslagen sannolikhet: **{suggested.level} {level_name}**. {suggested.message}"
    )
    charts = st.columns(2)
    shares = pd.DataFrame({"andel": result.per_replication("breach_share")})
    charts[0].altair_chart(
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
        ),
        width="stretch",
    )
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
    charts[1].altair_chart(band + band.mark_line().encode(y="p50:Q"), width="stretch")
    if linked_risk is not None and linked_risk in risk_views:
        risk = risk_views[linked_risk]
        if st.button(f"Använd som sannolikhet för ”{risk.title}”", type="primary"):
            applied = attempt(
                lambda: scenarios.apply_likelihood(uow(), cat, run_id, risk.id, risk.version)
            )
            if applied:
                st.success(
                    f"Sannolikheten för ”{risk.title}” är nu {applied[0]} "
                    f"(konsekvens {applied[1]}). Simuleringen är sparad som underlag."
                )


stored_result = st.session_state.get("simulation")
if stored_result:
    st.subheader("Resultat")
    show_result(stored_result["result"], stored_result["run_id"], stored_result["risk_id"])

st.subheader("Jämför scenarier sida vid sida")
chosen = st.multiselect(
    "Välj upp till tre sparade scenarier",
    list(saved),
    max_selections=3,
    format_func=lambda k: saved[k].name,
)
if len(chosen) >= 2 and st.button("Jämför"):
    results = [attempt(lambda s=saved[k]: scenarios.run(s.spec, 10_000, 1)) for k in chosen]
    if all(r is not None for r in results):
        done = [r for r in results if r is not None]
        st.dataframe(
            [
                {
                    "Scenario": r.scenario.name,
                    "Sannolikhet": percent(r.summary["event_probability"]),
                    "95 % intervall": " – ".join(
                        percent(x) for x in r.summary["event_probability_ci"]
                    ),
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
                f"sannolikheten ändras med {percent(diff['difference'])} "
                f"(95 %: {percent(low)} till {percent(high)}), med gemensamma slumptal."
            )
