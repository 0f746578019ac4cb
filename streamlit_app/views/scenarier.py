"""Scenarier: capacity and vacancy scenarios simulated to estimate a risk's likelihood."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from riskmotor.domain.models import Scenario, UnitKind
from riskmotor.domain.terms import (
    DISTRIBUTION_LABELS,
    ENTITY_LABELS,
    EVENT_KIND_LABELS,
    RECORD_FIELD_LABELS,
    label,
    number,
    percent,
)
from riskmotor.services import organisation, scenarios, workshop
from riskmotor.services.scenario_form import ConsultantRow, ScenarioForm
from streamlit_app.components.scenario_results import prepare_engine, show_comparison, show_summary
from streamlit_app.ui import (
    analysis_caption,
    attempt,
    catalog,
    decimal_input,
    field_errors,
    missing,
    remember_version,
    require_analysis,
    save_versioned,
    uow,
)
from streamlit_app.widgets import PLACEHOLDER

if TYPE_CHECKING:
    from riskmotor.simulation import SimulationResult

NEW = 0
NAME_FIELD = "Namn på scenariot"
# Distributions whose spread is set by the coefficient of variation (0 is not allowed).
SPREAD_DISTRIBUTIONS = ("lognormal", "gamma")
REPLICATION_CHOICES = [1_000, 10_000, 50_000]

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
saved = {s.id: s for s in scenarios.scenarios(uow(), analysis.namnd_id) if s.id is not None}
enheter = {u.id: u.name for u in organisation.units_below(uow(), analysis.namnd_id, UnitKind.ENHET)}
risk_views = {r.id: r for r in workshop.list_risks(uow(), cat, analysis.id)}

choice = st.selectbox(
    "Scenario",
    [NEW, *saved],
    format_func=lambda k: "Nytt scenario" if k == NEW else saved[k].name,
    placeholder=PLACEHOLDER,
)
current: Scenario | None = saved.get(choice)
spec: dict[str, Any] = copy.deepcopy(current.spec if current else scenarios.DEFAULT_SCENARIO)
initial = ScenarioForm.from_spec(spec)
key = f"scenario_{choice}"
shown_version = remember_version(key, current.version) if current else 0

top = st.columns(2)
unit_id = top[0].selectbox(
    label("unit"),
    [None, *enheter],
    index=(
        [None, *enheter].index(current.unit_id) if current and current.unit_id in enheter else 0
    ),
    format_func=lambda k: "(ingen vald)" if k is None else enheter[k],
    key=f"{key}_enhet",
    placeholder=PLACEHOLDER,
)
risk_id = top[1].selectbox(
    "Kopplad risk",
    [None, *risk_views],
    index=(
        [None, *risk_views].index(current.risk_id)
        if current and current.risk_id in risk_views
        else 0
    ),
    format_func=lambda k: "(ingen risk)" if k is None else risk_views[k].title,
    key=f"{key}_risk",
    placeholder=PLACEHOLDER,
)


decimals_read: dict[str, float | None] = {}  # every decimal field's value, for the checks


def number_field(label: str, value: float, help_text: str, **limits: Any) -> float | None:
    """A decimal field with a decimal comma (None, after a Swedish message, when invalid)."""
    step = limits.get("step")
    decimals_read[label] = decimal_input(
        label,
        value=value,
        key=f"{key}_{label}",
        min_value=limits.get("min_value"),
        decimals=2 if step and step < 0.1 else 1,
        help=help_text,
    )
    return decimals_read[label]


def whole_field(label: str, value: float, help_text: str, **_: Any) -> int:
    """A whole number (Streamlit's own input, without decimals)."""
    return int(
        st.number_input(
            label, value=int(value), min_value=0, step=1, format="%d", help=help_text,
            key=f"{key}_{label}",
        )
    )  # fmt: skip


with st.form(f"{key}_form"):
    name = st.text_input(NAME_FIELD, value=initial.name, key=f"{key}_namn")
    st.subheader("Inflöde och handläggning")
    cols = st.columns(3)
    with cols[0]:
        # A text field, not a slider: Streamlit's slider writes decimals with a point.
        per_month = number_field(
            "Nya ärenden per månad",
            initial.per_month,
            "Genomsnittligt inflöde. Ärendena kommer slumpmässigt (Poissonprocess).",
            min_value=0.0,
        )
        trend = st.slider(
            "Årlig förändring av inflödet (%)",
            -50,
            100,
            int(initial.trend_percent),
            help="Till exempel 5 om inflödet väntas öka med 5 % per år.",
            key=f"{key}_trend",
        )
    with cols[1]:
        distribution = st.selectbox(
            "Handläggningstidens fördelning",
            list(DISTRIBUTION_LABELS),
            index=list(DISTRIBUTION_LABELS).index(initial.distribution),
            format_func=DISTRIBUTION_LABELS.__getitem__,
            key=f"{key}_fordelning",
            placeholder=PLACEHOLDER,
        )
        mean = number_field(
            "Genomsnittlig handläggningstid (dagar)",
            initial.mean_days,
            "Kalenderdagar som ett ärende upptar en plats i handläggarens ärendemängd.",
            min_value=0.1,
        )
        cv = number_field(
            "Variationskoefficient",
            initial.cv,
            "Spridning i förhållande till medelvärdet (standardavvikelse / medelvärde).",
            min_value=0.0,
            step=0.05,
        )
    with cols[2]:
        deadline = number_field(
            "Tidsfrist (dagar)",
            initial.deadline_days,
            "Till exempel 120 för en utredning (4 månader) eller 14 för en förhandsbedömning.",
            min_value=1.0,
        )
        kind = st.selectbox(
            "Riskhändelse",
            list(EVENT_KIND_LABELS),
            index=list(EVENT_KIND_LABELS).index(initial.event_kind),
            format_func=EVENT_KIND_LABELS.__getitem__,
            key=f"{key}_handelse",
            placeholder=PLACEHOLDER,
        )
        threshold = number_field(
            "Gräns för riskhändelsen",
            initial.event_threshold,
            "Andel anges som decimaltal (0,10 = 10 %), antal som heltal.",
            min_value=0.0,
            step=0.01,  # two decimals shown, so a share such as 0,05 keeps its value
        )

    st.subheader("Bemanning")
    cols = st.columns(3)
    with cols[0]:
        positions = whole_field(
            "Tjänster",
            initial.positions,
            "Antal handläggartjänster (årsarbetare).",
            min_value=0,
            step=1,
        )
        caseload = number_field(
            "Ärenden per handläggare",
            initial.caseload_per_worker,
            "Hur många ärenden en handläggare har samtidigt.",
            min_value=0.1,
        )
        vacant = whole_field(
            "Vakanta tjänster vid start",
            initial.vacant_at_start,
            "Tjänster som är obesatta när perioden börjar.",
            min_value=0,
            step=1,
        )
    with cols[1]:
        turnover = st.slider(
            "Personalomsättning per år (%)",
            0,
            100,
            int(initial.turnover_percent),
            help="Andel av handläggarna som slutar under ett år.",
            key=f"{key}_omsattning",
        )
        recruitment_mean = number_field(
            "Rekryteringstid (dagar)",
            initial.recruitment_mean_days,
            "Genomsnittlig tid från att någon slutar till att en ny handläggare börjar.",
            min_value=0.1,
        )
        sick = st.slider(
            "Sjukfrånvaro (%)",
            0,
            50,
            int(initial.sick_leave_percent),
            help="Minskar kapaciteten i motsvarande grad.",
            key=f"{key}_sjuk",
        )
    with cols[2]:
        ramp_days = number_field(
            "Introduktionstid (dagar)",
            initial.ramp_up_days,
            "Tid innan en nyanställd arbetar med full kapacitet.",
            min_value=0.0,
        )
        ramp_capacity = st.slider(
            "Kapacitet under introduktion (%)",
            0,
            100,
            int(initial.ramp_up_capacity_percent),
            help="Hur stor del av en full ärendemängd en nyanställd klarar under introduktionen.",
            key=f"{key}_intro",
        )
    consultants = st.data_editor(
        pd.DataFrame(
            [vars(row) for row in initial.consultants], columns=["count", "from_day", "to_day"]
        ).rename(columns={"count": "Antal", "from_day": "Från dag", "to_day": "Till dag"}),
        num_rows="dynamic",
        key=f"{key}_konsulter",
        hide_index=True,
    )
    st.caption("Inhyrda konsulter: antal och period (dag 0 är periodens första dag).")

    st.subheader(ENTITY_LABELS["simulation_run"])
    cols = st.columns(3)
    with cols[0]:
        horizon = decimal_input(
            "Period (dagar)",
            value=initial.horizon_days,
            min_value=1.0,
            decimals=0,
            key=f"{key}_horisont",
            help="Hur lång period som simuleras, till exempel 365 för ett år.",
        )
    replications = cols[1].selectbox(
        RECORD_FIELD_LABELS["replications"],
        REPLICATION_CHOICES,
        index=1,
        format_func=number,
        key=f"{key}_replikeringar",
        help="Hur många gånger året simuleras. Fler ger ett smalare osäkerhetsintervall.",
        placeholder=PLACEHOLDER,
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

form_errors = missing({NAME_FIELD: name, "Period (dagar)": horizon, **decimals_read})
if cv == 0 and distribution in SPREAD_DISTRIBUTIONS:
    form_errors["Variationskoefficient"] = (
        f"måste vara större än 0 för fördelningen {DISTRIBUTION_LABELS[distribution].lower()}."
    )
if form_errors and (save_clicked or run_clicked):
    field_errors(form_errors)
    save_clicked = run_clicked = False  # nothing is saved or simulated from a broken form
new_spec = ScenarioForm(
    name=name,
    horizon_days=horizon or 0.0,
    per_month=per_month or 0.0,
    trend_percent=trend,
    distribution=distribution,
    mean_days=mean or 0.0,
    cv=cv or 0.0,
    deadline_days=deadline or 0.0,
    event_kind=kind,
    event_threshold=threshold or 0.0,
    positions=positions,
    caseload_per_worker=caseload or 0.0,
    vacant_at_start=vacant,
    turnover_percent=turnover,
    recruitment_mean_days=recruitment_mean or 0.0,
    sick_leave_percent=sick,
    ramp_up_days=ramp_days or 0.0,
    ramp_up_capacity_percent=ramp_capacity,
    consultants=[
        ConsultantRow(int(row["Antal"]), float(row["Från dag"]), float(row["Till dag"]))
        for row in consultants.dropna().to_dict("records")
    ],
).to_spec(spec)

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
    prepare_engine()
    bar = st.progress(0.0, text="Simulerar …")

    def show_progress(share: float) -> None:
        bar.progress(share, text=f"Simulerar … {percent(share, 0)}")

    result = attempt(
        lambda: scenarios.run(new_spec, int(replications), seed, progress=show_progress)
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


def offer_to_apply(run_id: int, linked_risk: int | None, result: SimulationResult) -> None:
    """A button that makes the run's suggested level the linked risk's likelihood.

    Not offered when the run gives no suggestion (its window is not the scale's year); the
    summary above already says why.
    """
    if linked_risk is None or linked_risk not in risk_views:
        return
    if scenarios.suggestion(result, scale).level is None:
        return
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
    st.subheader("Simuleringens resultat")
    show_summary(stored_result["result"], scale)
    offer_to_apply(stored_result["run_id"], stored_result["risk_id"], stored_result["result"])

show_comparison(saved)
