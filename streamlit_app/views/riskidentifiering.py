"""Riskidentifiering: add risks from the catalog or new ones, edit, delete and undo."""

from __future__ import annotations

import streamlit as st

from riskmotor.catalogs import Catalog
from riskmotor.domain.catalog import RiskTemplate
from riskmotor.domain.models import RiskAnalysis, UnitKind
from riskmotor.domain.search import search
from riskmotor.domain.terms import RISK_SOURCE_LABELS, label
from riskmotor.reports.risks import RiskView
from riskmotor.services import organisation, workshop
from streamlit_app.components import risk_edit
from streamlit_app.components.risk_edit import WHOLE_ORGANISATION, RiskForm
from streamlit_app.ui import (
    analysis_caption,
    attempt_and_refresh,
    cached,
    catalog,
    confirm_button,
    field_errors,
    missing,
    require_analysis,
    select,
    uow,
)


def template_texts(cat: Catalog, template: RiskTemplate) -> list[str]:
    """What the catalog search looks in: title first (title hits are listed first)."""
    process = cat.process(template.process)
    process_label = f"{process.area} – {process.name}" if process else ""
    return [template.title, template.description, *template.causes, process_label, template.area]


def risk_texts(risk: RiskView) -> list[str]:
    return [risk.title, risk.description, risk.causes, risk.process_name]


def from_catalog(form: RiskForm, analysis: RiskAnalysis, risks: list[RiskView]) -> None:
    cat = form.catalog
    query = st.text_input("Sök i riskmallarna", placeholder="t.ex. vakans, utredning, sekretess")
    chosen_processes = st.multiselect(
        "Filtrera på process",
        list(form.process_names),
        format_func=form.process_names.__getitem__,
        placeholder="Alla processer",
    )
    shown = [t for t in cat.templates if not chosen_processes or t.process in chosen_processes]
    templates = search(query, shown, lambda t: template_texts(cat, t))
    st.caption(f"{len(templates)} av {len(cat.templates)} riskmallar")
    st.dataframe(
        [
            {
                label("template_key"): t.title,
                "Område": t.area,
                label("process"): cat.process_name(t.process),
            }
            for t in templates
        ],
        hide_index=True,
        width="stretch",
    )
    if not templates:
        st.info("Inga riskmallar matchar sökningen. Pröva ett kortare ord.")
        return
    by_key = {t.key: t for t in templates}
    key = select(
        label("template_key"),
        list(by_key),
        key="mall_val",
        format_func=lambda k: by_key[k].title,
    )
    if key is None:
        return
    _template_details(by_key[key])
    _add_template(form, analysis, risks, by_key[key])


def _template_details(template: RiskTemplate) -> None:
    st.markdown(f"**{template.title}** – {template.description}")
    st.markdown(f"**{label('causes')}:** " + "; ".join(template.causes))
    st.markdown("**Konsekvenser:** " + "; ".join(template.consequences))
    st.markdown(
        "**Föreslagna kontrollmoment:** "
        + "; ".join(
            f"{c.control_activity} ({c.control_method})" for c in template.suggested_controls
        )
    )
    if template.legal_references:
        st.caption("Lagstöd: " + "; ".join(r.label for r in template.legal_references))


def _add_template(
    form: RiskForm, analysis: RiskAnalysis, risks: list[RiskView], template: RiskTemplate
) -> None:
    analysis_id = analysis.id or 0
    own_title = st.text_input(
        "Rubrik i analysen (kan anpassas)", value=template.title, key=f"mall_rubrik_{template.key}"
    )
    unit = select(
        label("unit"),
        list(form.unit_names),
        key="mall_enhet",
        index=0,
        format_func=form.unit_names.__getitem__,
    )
    already = [r for r in risks if r.template_key == template.key]
    if already:
        titles = ", ".join(f"”{r.title}”" for r in already)
        st.warning(f"Mallen finns redan i analysen som {titles}.")
        add = confirm_button(
            "Lägg till risk från katalogen",
            key="mall_lagg_till_igen",
            question="Risken från den här mallen finns redan i analysen. "
            "Vill du lägga till den en gång till?",
        )
    else:
        add = st.button("Lägg till risk från katalogen", type="primary")
    if not add:
        return
    errors = missing({"Rubrik i analysen": own_title, label("unit"): unit})
    if errors:
        field_errors(errors)
        return
    attempt_and_refresh(
        lambda: workshop.add_risk_from_template(
            uow(),
            form.catalog,
            analysis_id,
            template.key,
            unit_id=None if unit == WHOLE_ORGANISATION else unit,
            title=own_title,
        ),
        f"Risken ”{own_title.strip()}” är tillagd.",
    )


def risk_list(risks: list[RiskView]) -> None:
    st.subheader(f"Risker i analysen ({len(risks)})")
    query = st.text_input("Sök bland riskerna", key="risk_lista_sok")
    found = search(query, risks, risk_texts)
    if query.strip():
        st.caption(f"{len(found)} av {len(risks)} risker matchar sökningen.")
    st.dataframe(
        [
            {
                "Id": r.id,
                label("title"): r.title,
                label("process"): r.process_name or "–",
                label("unit"): r.unit or risk_edit.WHOLE_ORGANISATION_NAME,
                label("source"): RISK_SOURCE_LABELS.get(r.source, r.source),
            }
            for r in found
        ],
        hide_index=True,
        width="stretch",
    )


def render() -> None:
    st.title("Riskidentifiering")
    analysis = require_analysis()
    assert analysis.id is not None
    analysis_caption(analysis)
    cat = catalog()
    enheter = cached(organisation.units_below, analysis.namnd_id, UnitKind.ENHET)
    form = RiskForm.build(cat, analysis, enheter)
    risk_edit.offer_undo(analysis.id)
    # Read once per run, after any save has rerun the page: every count, dropdown and form
    # below shows the current truth.
    risks: list[RiskView] = cached(workshop.list_risks, cat, analysis.id)

    tabs = st.tabs(["Från katalogen", "Ny risk", "Redigera risk"], key="risk_flikar")
    with tabs[0]:
        from_catalog(form, analysis, risks)
    with tabs[1]:
        risk_edit.new_risk_form(form)
    with tabs[2]:
        risk_edit.edit_section(form, risks)
    risk_list(risks)


render()
