"""Avvikelser: import the deviation export, see patterns and trends, link them to risks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import altair as alt
import pandas as pd
import streamlit as st

from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.deviations import CrossRow
from riskmotor.domain.egenkontroll import periods_of_year
from riskmotor.domain.models import UnitKind
from riskmotor.domain.personal_data import describe_findings
from riskmotor.domain.safe_text import csv_download
from riskmotor.domain.terms import (
    CATEGORY_LABELS,
    EXPORT_LABELS,
    RECORD_FIELD_LABELS,
    UNIT_KIND_LABELS,
    label,
    number,
)
from riskmotor.services import deviations, workshop
from riskmotor.services.deviations import ImportPreview
from streamlit_app.ui import (
    analysis_caption,
    app,
    attempt,
    cached,
    catalog,
    field_errors,
    missing,
    percent,
    require_analysis,
    select,
    uow,
)
from streamlit_app.widgets import PLACEHOLDER

UPLOAD_ROUND = "avvikelser_uppladdning"
FLASH = "avvikelser_meddelande"

st.title(EXPORT_LABELS["deviations"])
analysis = require_analysis()
assert analysis.id is not None
analysis_id = analysis.id
analysis_caption(analysis)
st.write(
    "Sammanställ och analysera nämndens avvikelser på aggregerad nivå (SOSFS 2011:9 5 kap.): "
    "mönster per avdelning och enhet, trender över året och de vanligaste bakomliggande "
    "orsakerna. Koppla sedan mönstren till riskerna som underlag i riskanalysen."
)
cat = catalog()
namnd_id = analysis.namnd_id
keys = [c.key for c in cat.deviation_categories]
deviation_kinds: list[DeviationCategory] = [c for c in cat.deviation_categories if c.is_deviation]
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))


def share_text(share: float | None) -> str:
    return "–" if share is None else percent(share)


def start_over(message: str | None = None) -> None:
    """Empty the file uploader (a new key) and show ``message`` after the rerun."""
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    if message:
        st.session_state[FLASH] = message
    st.rerun()


def import_file(name: str, content: bytes) -> None:
    report = attempt(
        lambda: deviations.import_deviations(
            uow(),
            cat,
            namnd_id,
            content,
            name,
            skip_bad_rows=True,
            pseudonymiser=app().pseudonymiser,
        )
    )
    if report is not None:
        found = f" {describe_findings(report.personal_data)}" if report.personal_data else ""
        start_over(
            f"{report.imported} nya avvikelser importerades från {name}; "
            f"{report.duplicates} fanns redan och lades inte till igen.{found}"
        )


def show_preview(preview: ImportPreview, content: bytes) -> None:
    """What the import would do, counted against the database, before anything is stored."""
    if preview.personal_data:
        st.warning(describe_findings(preview.personal_data))
    st.info(
        f"{preview.filename} har {number(preview.rows)} rader: {number(preview.new)} nya "
        f"som importeras, {number(preview.duplicates)} som redan är importerade (dubbletter) "
        f"och hoppas över, och {number(len(preview.rejected))} med fel som inte kan "
        "importeras. Ingenting sparas förrän du väljer."
    )
    if preview.rejected:
        st.dataframe(
            [{"Rad": r.row, "Fel": r.reason} for r in preview.rejected],
            hide_index=True,
            width="stretch",
        )
    choice = st.columns(2)
    if preview.new == 0:
        st.warning("Det finns inget nytt att importera i filen.")
    elif choice[0].button(f"Importera {number(preview.new)} nya avvikelser", type="primary"):
        import_file(preview.filename, content)
    if choice[1].button("Avbryt och välj en annan fil"):
        start_over()


st.header("1. Importera")
st.caption(
    "Exporten från avvikelsesystemet ska ha kolumnerna Datum och Kategori; Avdelning, Enhet, "
    "Anmäld till (IVO, IMY eller Nej), Allvarlig, Orsak, Process, Beskrivning och Avvikelse-id "
    "kan finnas med. En rapport som redan är importerad läggs inte till igen. "
    "Skriv inga personuppgifter i Orsak, Process eller Beskrivning: personnummer och "
    "samordningsnummer ersätts vid importen (i Avdelning, Enhet och Avvikelse-id med en "
    "pseudonym, annars med [personnummer]), men namn känns inte igen."
)
upload = st.file_uploader(
    "Avvikelseexport (CSV eller Excel)",
    type=["csv", "txt", "xlsx"],
    key=f"avvikelser_fil_{st.session_state.get(UPLOAD_ROUND, 0)}",
)
if upload is not None:
    name, content = upload.name, upload.getvalue()
    preview = attempt(
        lambda: deviations.preview_import(
            uow(), cat, namnd_id, content, name, pseudonymiser=app().pseudonymiser
        )
    )
    if preview is not None:
        show_preview(preview, content)

available = cached(deviations.years, namnd_id)
if not available:
    st.info("Inga avvikelser är importerade för nämnden ännu.")
    st.stop()

st.header("2. Sammanställning")
year = st.selectbox("År", available, key="avvikelser_ar", placeholder=PLACEHOLDER)
data = cached(deviations.summary, cat, namnd_id, year)
counts, shares = data.by_category, data.shares
metrics = st.columns(6)
metrics[0].metric("Rapporter", data.total, help="Alla inkomna rapporter under året.")
metrics[1].metric(
    EXPORT_LABELS["deviations"],
    data.deviations,
    help=f"Utan de {counts['ej_avvikelse']} rapporter som inte bedömts vara avvikelser.",
)
metrics[2].metric(
    CATEGORY_LABELS["lex_sarah"],
    share_text(shares["lex_sarah"]),
    help=f"{counts['lex_sarah']} av {data.deviations} avvikelser.",
)
metrics[3].metric(
    "Lex Sarah anmälda till IVO",
    share_text(data.ivo_share),
    help="Andel av lex Sarah-rapporterna som bedömts som allvarliga och anmälts till IVO.",
)
metrics[4].metric(
    "Personuppgiftsincidenter",
    share_text(shares["personuppgiftsincident"]),
    help=f"{counts['personuppgiftsincident']} av {data.deviations} avvikelser.",
)
metrics[5].metric(
    "Incidenter anmälda till IMY",
    share_text(data.imy_share),
    help="Andel av personuppgiftsincidenterna som anmälts till IMY.",
)


def place(row: CrossRow) -> tuple[str, str]:
    if row.level == "totalt":
        return "Totalt", ""
    if row.level == "avdelning":
        return row.avdelning or "(ingen avdelning)", "Hela avdelningen"
    return row.avdelning or "(ingen avdelning)", row.enhet or "(ingen enhet)"


st.subheader("Avvikelser per typ, avdelning och enhet")
st.dataframe(
    [
        {
            UNIT_KIND_LABELS[UnitKind.AVDELNING]: place(row)[0],
            UNIT_KIND_LABELS[UnitKind.ENHET]: place(row)[1],
            **{CATEGORY_LABELS[key]: row.counts[key] for key in keys},
            "Totalt": row.total,
        }
        for row in data.table
    ],
    hide_index=True,
    width="stretch",
)
st.caption(
    "Andelarna räknas på avvikelserna, det vill säga utan rapporter som bedömts inte vara "
    "avvikelser i verksamheten."
)

CATEGORY_FIELD = RECORD_FIELD_LABELS["category"]
bars = pd.DataFrame(
    [{CATEGORY_FIELD: CATEGORY_LABELS[key], "Antal": n} for key, n in counts.items()]
)
chart_cols = st.columns(2)
chart_cols[0].altair_chart(
    alt.Chart(bars, title=f"Rapporter per kategori {year}")
    .mark_bar()
    .encode(alt.X("Antal:Q"), alt.Y(f"{CATEGORY_FIELD}:N", sort="-x", title=None)),
    width="stretch",
)
monthly = pd.DataFrame([asdict(c) for c in cached(deviations.monthly_counts, cat, namnd_id, year)])
per_month = monthly[monthly["is_deviation"]].groupby("period", as_index=False)["count"].sum()
chart_cols[1].altair_chart(
    alt.Chart(per_month, title=f"Avvikelser per månad {year}")
    .mark_line(point=True)
    .encode(
        alt.X("period:O", title="Månad"),
        alt.Y("count:Q", title="Antal avvikelser", scale=alt.Scale(zero=True)),
    ),
    width="stretch",
)

st.header("3. Trend mellan perioder")
periods = [*periods_of_year(year - 1), *periods_of_year(year)]
period_cols = st.columns(3)
first = period_cols[0].selectbox(
    "Första perioden", periods, index=periods.index(f"{year}-T2"), placeholder=PLACEHOLDER
)
second = period_cols[1].selectbox(
    "Andra perioden", periods, index=periods.index(f"{year}-T3"), placeholder=PLACEHOLDER
)
compared_category = period_cols[2].selectbox(
    "Vad jämförs",
    [None, *(c.key for c in deviation_kinds)],
    format_func=lambda k: "Alla avvikelser" if k is None else CATEGORY_LABELS[k],
    placeholder=PLACEHOLDER,
)
comparison = attempt(
    lambda: cached(deviations.compare_periods, cat, namnd_id, first, second, compared_category)
)
if comparison is not None:
    st.info(comparison.sentence)
    st.caption(
        f"{comparison.first}: {comparison.n1} på {comparison.days1} dagar; "
        f"{comparison.second}: {comparison.n2} på {comparison.days2} dagar. Exakt test av "
        "om takten är densamma (villkorligt binomialtest för två Poissonfördelade antal); "
        "kvoten är takten i den andra perioden delad med takten i den första."
    )

st.header("4. Vanligaste orsaker")
causes = cached(deviations.top_causes, cat, namnd_id, year)
if causes:
    st.dataframe(
        [
            {
                label("causes"): c.cause,
                "Antal": c.count,
                RECORD_FIELD_LABELS["share"]: percent(c.share),
            }
            for c in causes
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("Exporten saknar orsaker (kolumnen Orsak).")


def cause_label(groups: dict[str, int]) -> Callable[[str], str]:
    return lambda c: f"{c} ({number(groups[c])} avvikelser)"


def link_risk(groups: dict[str, int], risks: dict[int, str]) -> None:
    """Link a cause group to a risk as evidence; both must be chosen first."""
    cause_field, risk_field = RECORD_FIELD_LABELS["cause_group"], label("title")
    cause = select(cause_field, list(groups), format_func=cause_label(groups), key="koppla_orsak")
    risk_id = select(risk_field, list(risks), format_func=risks.__getitem__, key="koppla_risk")
    note = st.text_input(label("comment"), key="koppla_kommentar")
    if st.button("Koppla till risk", type="primary"):
        errors = missing({cause_field: cause, risk_field: risk_id})
        if errors:
            field_errors(errors)
        elif cause is not None and risk_id is not None:
            attempt(
                lambda: deviations.link_to_risk(uow(), risk_id, cause_group=cause, note=note),
                f"Orsaken ”{cause}” är kopplad till risken ”{risks[risk_id]}”.",
            )
    if risk_id is None:
        return
    evidence = cached(deviations.risk_evidence, cat, risk_id)
    if evidence.total:
        st.markdown(
            f"**Kopplat till risken:** {number(evidence.total)} avvikelser ("
            + ", ".join(f"{CATEGORY_LABELS[k]} {n}" for k, n in evidence.by_category.items() if n)
            + ")."
        )
        if evidence.trend:
            st.caption(evidence.trend.sentence)


def risk_from_pattern(groups: dict[str, int]) -> None:
    """A new risk from a cause group, with the group linked as its evidence."""
    cause_field, title_field = RECORD_FIELD_LABELS["cause_group"], "Rubrik för den nya risken"
    pattern = select(
        cause_field, list(groups), format_func=cause_label(groups), key="ny_risk_orsak"
    )
    suggested = f"Återkommande avvikelser: {pattern.lower()}" if pattern else ""
    title = st.text_input(title_field, value=suggested, key=f"ny_risk_rubrik_{pattern}")
    if st.button("Skapa risk från mönstret"):
        errors = missing({cause_field: pattern, title_field: title})
        if errors:
            field_errors(errors)
        elif pattern is not None:
            attempt(
                lambda: deviations.create_risk_from_pattern(
                    uow(), cat, analysis_id, pattern, title.strip()
                ),
                f"Risken ”{title.strip()}” är skapad med orsaken kopplad som underlag.",
            )


st.header("5. Underlag till riskanalysen")
groups = {c.cause: c.count for c in cached(deviations.top_causes, cat, namnd_id, None, 100)}
risks = {r.id: r.title for r in cached(workshop.list_risks, cat, analysis_id)}
link_tab, new_tab = st.tabs(["Koppla till risk", "Ny risk från mönster"])
with link_tab:
    if not groups or not risks:
        st.caption("Det behövs både risker i analysen och avvikelser med orsak för att koppla.")
    else:
        link_risk(groups, risks)
with new_tab:
    if not groups:
        st.caption("Det finns inga avvikelser med orsak att skapa en risk från.")
    else:
        risk_from_pattern(groups)

st.header("6. Spåra siffrorna")
st.caption("Välj en cell i tabellen för att se rapporterna bakom den, med fil och radnummer.")
cells: list[tuple[str, str | None, str | None, str | None]] = []
for row in data.table:
    where = " / ".join(part for part in place(row) if part and part != "Hela avdelningen")
    avdelning = None if row.level == "totalt" else row.avdelning
    enhet = row.enhet if row.level == "enhet" else None
    for key in [*keys, None]:
        count = row.counts[key] if key else row.total
        if count:
            what = CATEGORY_LABELS[key] if key else "alla kategorier"
            cells.append((f"{where} – {what} ({count})", avdelning, enhet, key))
chosen_cell = st.selectbox(
    "Cell",
    range(len(cells)),
    format_func=lambda i: cells[i][0],
    key="avvikelser_cell",
    placeholder=PLACEHOLDER,
)
show_text = st.checkbox("Visa fritext (kan innehålla personuppgifter)", value=False)
_, cell_avdelning, cell_enhet, cell_category = cells[chosen_cell]
rows = cached(
    deviations.export_rows,
    namnd_id,
    year,
    avdelning=cell_avdelning,
    enhet=cell_enhet,
    category=cell_category,
    include_description=show_text,
)
st.dataframe(rows, hide_index=True, width="stretch")
st.caption(f"{len(rows)} rapporter.")
st.download_button(
    "Ladda ned raderna (CSV)",
    # Formula-like text (=, +, -, @) is escaped so the file opens as text in Excel.
    csv_download(rows),
    file_name=f"avvikelser-{year}.csv",
    mime="text/csv",
)
