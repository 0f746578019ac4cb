"""Egenkontroll: plan the sample, draw it from the case list, evaluate the checklist."""

from __future__ import annotations

import random

import altair as alt
import pandas as pd
import streamlit as st

from riskmotor.domain.egenkontroll import periods_of_year
from riskmotor.domain.egenkontroll_wording import percent_up
from riskmotor.domain.models import EgenkontrollPlan
from riskmotor.domain.terms import (
    EVALUATION_METHOD_LABELS,
    EXPORT_LABELS,
    RECORD_FIELD_LABELS,
    label,
    number,
    yes_no,
)
from riskmotor.errors import RiskmotorError
from riskmotor.reports.egenkontroll import TrendPoint
from riskmotor.services import egenkontroll, organisation, workshop
from streamlit_app.ui import (
    analysis_caption,
    app,
    attempt,
    catalog,
    decimal_input,
    field_errors,
    missing,
    percent,
    require_analysis,
    uow,
)
from streamlit_app.widgets import PLACEHOLDER

NEW = 0

st.title("Egenkontroll")
analysis = require_analysis()
assert analysis.id is not None
analysis_caption(analysis)
st.write(
    "Planera aktgranskningen med ett stickprov som räcker för att visa något, dra urvalet "
    "slumpmässigt ur verksamhetssystemets ärendelista, dela ut checklistan och få en "
    "utvärdering per kontrollmoment med ensidiga gränser och en slutsats för nämnden."
)
cat = catalog()
settings = cat.egenkontroll
year = analysis.year
existing = {p.id: p for p in egenkontroll.plans(uow(), analysis.namnd_id, year)}
risks = {r.id: r.title for r in workshop.list_risks(uow(), cat, analysis.id)}
controls = {c.key: c.name for c in cat.control_activities}

# Swedish axis ticks: d3 writes '20%'; Swedish print puts a space before the sign.
PERCENT_TICKS = "format(datum.value * 100, 'd') + ' %'"
SHARE, LOWER, UPPER = "Andel rätt", "Nedre gräns", "Övre gräns"


def trend_chart(points: list[TrendPoint]) -> None:
    """Share correct per period with its interval; tooltips in Swedish with decimal comma."""
    data = pd.DataFrame(
        [
            {
                EXPORT_LABELS["period"]: p.period,
                EXPORT_LABELS["control_activity"]: p.control,
                SHARE: p.share,
                LOWER: p.low,
                UPPER: p.high,
                f"{SHARE} ": percent(p.share),
                f"{LOWER} ": percent(p.low),
                f"{UPPER} ": percent(p.high),
            }
            for p in points
        ]
    )
    period, control = EXPORT_LABELS["period"], EXPORT_LABELS["control_activity"]
    tooltip = [f"{period}:N", f"{control}:N", f"{SHARE} :N", f"{LOWER} :N", f"{UPPER} :N"]
    line = alt.Chart(data, title=f"{SHARE} per tertial").encode(
        alt.X(f"{period}:N", title=period),
        alt.Y(
            f"{SHARE}:Q",
            title=SHARE,
            axis=alt.Axis(labelExpr=PERCENT_TICKS),
            scale=alt.Scale(domain=[0, 1]),
        ),
        alt.Color(f"{control}:N", title=control),
        tooltip=tooltip,
    )
    band = line.mark_errorbar().encode(alt.Y(f"{LOWER}:Q", title=SHARE), alt.Y2(f"{UPPER}:Q"))
    st.altair_chart(line.mark_line(point=True) + band, width="stretch")
    st.caption(f"Strecken visar {LOWER.lower()} och {UPPER.lower()} för andelen rätt.")


st.header("1. Stickprovsplan")
if "egenkontroll_plan_saved" in st.session_state:  # select a plan saved in the last run
    st.session_state["egenkontroll_plan"] = st.session_state.pop("egenkontroll_plan_saved")
plan_id = st.selectbox(
    "Plan",
    [NEW, *existing],
    format_func=lambda k: "Ny plan" if k == NEW else existing[k].name,
    key="egenkontroll_plan",
    placeholder=PLACEHOLDER,
)
plan: EgenkontrollPlan | None = existing.get(plan_id)
key = f"plan_{plan_id}"
name_cols = st.columns(2)
name = name_cols[0].text_input(
    label("name"), value=plan.name if plan else "Aktgranskning", key=f"{key}_n"
)
risk_id = name_cols[1].selectbox(
    "Risken som kontrollen finns för",
    [None, *risks],
    index=[None, *risks].index(plan.risk_id) if plan and plan.risk_id in risks else 0,
    format_func=lambda k: "(ingen risk)" if k is None else risks[k],
    key=f"{key}_risk",
    placeholder=PLACEHOLDER,
)
chosen_controls = st.multiselect(
    EXPORT_LABELS["control_activity"],
    list(controls),
    default=plan.control_keys if plan else egenkontroll.DEFAULT_CONTROL_KEYS,
    format_func=controls.__getitem__,
    key=f"{key}_km",
    placeholder=PLACEHOLDER,
)
figure_cols = st.columns(5)
current_confidence = plan.confidence if plan else settings.default_confidence
confidence_options = sorted({0.90, 0.95, 0.99, current_confidence})
confidence = figure_cols[0].selectbox(
    EXPORT_LABELS["confidence"],
    confidence_options,
    index=confidence_options.index(current_confidence),
    format_func=lambda v: percent(v, trim=True),
    key=f"{key}_conf",
    help="Hur säker slutsatsen ska vara. 95 % är vanligast.",
    placeholder=PLACEHOLDER,
)
TOLERABLE_FIELD = f"{EXPORT_LABELS['tolerable_rate']} (%)"
EXPECTED_FIELD = f"{RECORD_FIELD_LABELS['expected_rate']} (%)"
with figure_cols[1]:
    tolerable_percent = decimal_input(
        TOLERABLE_FIELD,
        value=100 * (plan.tolerable_rate if plan else settings.default_tolerable_rate),
        key=f"{key}_tol",
        min_value=0.5,
        max_value=50.0,
        decimals=1,
        help="Den högsta andel avvikelser som nämnden kan godta, till exempel 5 eller 2,5.",
    )
with figure_cols[2]:
    expected_percent = decimal_input(
        EXPECTED_FIELD,
        value=100 * (plan.expected_rate if plan else settings.default_expected_rate),
        key=f"{key}_exp",
        min_value=0.0,
        max_value=49.0,
        decimals=1,
        help="Hur stor andel avvikelser ni tror finns. 0 om ni inte vet.",
    )
population = figure_cols[3].number_input(
    "Antal ärenden per period (0 = okänt)",
    0,
    1_000_000,
    plan.population or 0 if plan else 0,
    key=f"{key}_pop",
    help="Med känt antal används den exakta hypergeometriska metoden.",
)
reserve = figure_cols[4].number_input(
    "Reserver",
    0,
    100,
    plan.reserve_size if plan else settings.default_reserve,
    key=f"{key}_res",
    help="Extra ärenden i turordning som ersätter akter som inte kan granskas (bortfall).",
)
stratify = st.checkbox(
    "Dra ett stickprov per enhet",
    value=plan.stratify_by_unit if plan else True,
    key=f"{key}_strat",
)

plan_errors = missing(
    {
        label("name"): name,
        TOLERABLE_FIELD: tolerable_percent,
        EXPECTED_FIELD: expected_percent,
        EXPORT_LABELS["control_activity"]: chosen_controls or None,
    }
)
tolerable = (tolerable_percent or 0.0) / 100
expected = (expected_percent or 0.0) / 100
sizing = (
    None
    if tolerable_percent is None or expected_percent is None
    else attempt(
        lambda: egenkontroll.sample_sizing(
            confidence, tolerable, expected, population=population or None
        )
    )
)
if sizing is not None:
    st.metric(
        "Stickprovets storlek",
        f"{number(sizing.n)} akter",
        help=f"Högst {number(sizing.allowed_deviations)} avvikelser får hittas.",
    )
    st.info(sizing.sentence)
    with st.expander("Vad kan ett fast antal akter visa?"):
        files = st.number_input("Antal akter", 5, 1000, 60, key=f"{key}_files")
        reach = egenkontroll.fixed_sample_reach(int(files), confidence, tolerable)
        st.write(reach.sentence)
        st.write(
            f"Om {percent(tolerable, trim=True)} av akterna har brister hittar "
            f"{reach.files} akter minst en av dem med sannolikheten "
            f"{percent(reach.discovery_probability)}."
        )
if st.button("Spara plan", type="primary"):
    if plan_errors:
        field_errors(plan_errors)
    else:
        saved = attempt(
            lambda: egenkontroll.plan_egenkontroll(
                uow(),
                cat,
                {
                    "id": plan.id if plan else None,
                    "version": plan.version if plan else 0,
                    "namnd_id": analysis.namnd_id,
                    "year": year,
                    "name": name,
                    "risk_id": risk_id,
                    "control_keys": chosen_controls,
                    "confidence": confidence,
                    "tolerable_rate": tolerable,
                    "expected_rate": expected,
                    "population": population or None,
                    "reserve_size": reserve,
                    "stratify_by_unit": stratify,
                },
            ),
            "Planen är sparad.",
        )
        if saved:
            st.session_state["egenkontroll_plan_saved"] = saved.id
            st.rerun()

if plan is None:
    st.stop()
assert plan.id is not None
chosen_plan_id: int = plan.id

st.header("2. Dra stickprov")
st.caption(
    f"Planen drar {plan.sample_size} akter{' per enhet' if plan.stratify_by_unit else ''} "
    f"och {plan.reserve_size} reserver bland ärenden som avslutades under perioden. "
    "Ärendelistan ska ha kolumnerna Ärende-id och Avslutad; Enhet, Ärendetyp, Handläggare "
    "och Personnummer kan finnas med (personnummer ersätts direkt med en pseudonym)."
)
done_periods = {d.period for d in egenkontroll.draws(uow(), plan.id)}
draw_cols = st.columns(3)
period = draw_cols[0].selectbox(
    EXPORT_LABELS["period"], periods_of_year(year), key=f"{key}_period", placeholder=PLACEHOLDER
)
seed = draw_cols[1].number_input(
    "Slumpfrö (seed)",
    0,
    2**31 - 1,
    st.session_state.setdefault(f"{key}_seed_default", random.SystemRandom().randrange(2**31)),
    key=f"{key}_seed",
    help="Sparas med urvalet så att revisorn kan göra om dragningen.",
)
upload = draw_cols[2].file_uploader("Ärendelista (CSV eller Excel)", type=["csv", "txt", "xlsx"])
if period in done_periods:
    st.caption(f"Urvalet för {period} är redan draget.")
elif upload is not None and st.button("Dra stickprov", type="primary"):
    case_list, case_list_name = upload.getvalue(), upload.name
    drawn = attempt(
        lambda: egenkontroll.draw(
            uow(),
            chosen_plan_id,
            case_list,
            case_list_name,
            period,
            int(seed),
            pseudonymiser=app().pseudonymiser,
        ),
        f"Stickprovet för {period} är draget.",
    )
    if drawn:
        st.rerun()

draws = {d.id: d for d in egenkontroll.draws(uow(), plan.id) if d.id is not None}
if not draws:
    st.stop()

st.header("3. Granskning och resultat")
draw_id: int = st.selectbox(
    "Urval",
    list(draws),
    format_func=lambda k: draws[k].period,
    index=len(draws) - 1,
    placeholder=PLACEHOLDER,
)
chosen = draws[draw_id]
st.dataframe(
    [
        {
            label("unit"): stratum,
            "Ärenden i perioden": facts["population"],
            "Urval": facts["sample"],
            "Reserver": facts["reserve"],
            EVALUATION_METHOD_LABELS["census"]: yes_no(True) if facts["census"] else "",
        }
        for stratum, facts in chosen.strata.items()
    ],
    hide_index=True,
    width="stretch",
)
st.caption(
    f"Slumpfrö {chosen.seed}, ärendelista {chosen.case_list_name} "
    f"(SHA-256 {chosen.case_list_sha256[:16]}…), NumPy {chosen.numpy_version}."
)
namnd = next((n.name for n in organisation.list_namnder(uow()) if n.id == analysis.namnd_id), "")
try:
    workbook = egenkontroll.checklist_workbook(uow(), cat, draw_id, namnd)
    st.download_button(
        "Ladda ned checklistan (Excel)",
        workbook,
        file_name=f"checklista-{chosen.period}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
except RiskmotorError as exc:
    st.error(str(exc))

filled = st.file_uploader("Ifylld checklista", type=["xlsx"], key=f"ifylld_{draw_id}")
if filled is not None and st.button("Läs in granskningen", type="primary"):
    answers = filled.getvalue()
    attempt(
        lambda: egenkontroll.import_checklist(uow(), cat, draw_id, answers),
        "Granskningen är inläst.",
    )

evaluation = egenkontroll.evaluate(uow(), cat, draw_id)
if evaluation.reviewed:
    st.subheader(f"Utvärdering {chosen.period}")
    confidence_label = percent(evaluation.plan.confidence, trim=True)
    st.dataframe(
        [
            {
                EXPORT_LABELS["control_activity"]: e.control_name,
                label("status"): e.status_name,
                "Granskade": e.reviewed,
                EXPORT_LABELS["deviations"]: e.deviations,
                EXPORT_LABELS["dropped"]: e.dropped,
                "Ej tillämpligt": e.not_applicable,
                "Andel avvikelser": percent(e.rate),
                # One-sided limits at the plan's confidence, as the conclusion states them;
                # none for a full review (the rate is exact).
                f"Övre gräns ({confidence_label}, ensidig)": (
                    "exakt (totalgranskning)"
                    if e.method == "census"
                    else percent_up(e.upper_deviation_limit, e.tolerable_rate)
                    if e.upper_deviation_limit is not None
                    else "–"
                ),
            }
            for e in evaluation.overall
        ],
        hide_index=True,
        width="stretch",
    )
    for item in evaluation.overall:
        if item.reviewed:
            st.markdown(f"**{item.control_name}:** {item.conclusion}")
    with st.expander("Per enhet"):
        for stratum, items in evaluation.by_stratum.items():
            st.markdown(f"**{stratum}**")
            st.dataframe(
                [
                    {
                        EXPORT_LABELS["control_activity"]: e.control_name,
                        label("status"): e.status_name,
                        "Ärenden": e.population if e.population is not None else "okänt",
                        "Granskade": e.reviewed,
                        EXPORT_LABELS["deviations"]: e.deviations,
                        EXPORT_LABELS["conclusion"]: e.conclusion,
                    }
                    for e in items
                ],
                hide_index=True,
                width="stretch",
            )
    points = egenkontroll.trend(uow(), cat, plan.id)
    if points:
        trend_chart(points)
