"""Riskidentifiering: add risks from the catalog or new ones, and edit them."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.models import UnitKind
from riskmotor.domain.terms import CATEGORY_LABELS, label
from riskmotor.services import deviations, organisation, workshop
from streamlit_app.ui import (
    analysis_caption,
    attempt,
    catalog,
    conflict_reload,
    remember_version,
    require_analysis,
    save_versioned,
    uow,
)

st.title("Riskidentifiering")
analysis = require_analysis()
assert analysis.id is not None
analysis_id: int = analysis.id  # narrowed once, so lambdas below see an int
analysis_caption(analysis)
cat = catalog()
scale = cat.scale(analysis.scale_key)
area_names = {area.key: area.name for area in scale.consequence_areas}
process_names = {p.key: f"{p.area} – {p.name}" for p in cat.processes}
enheter = organisation.units_below(uow(), analysis.namnd_id, UnitKind.ENHET)
unit_names: dict[int | None, str] = {None: "(hela förvaltningen)"}
unit_names.update({u.id: u.name for u in enheter})

from_catalog, new_risk, edit = st.tabs(["Från katalogen", "Ny risk", "Redigera risk"])

with from_catalog:
    search = st.text_input("Sök i riskmallarna", placeholder="t.ex. utredning, sekretess")
    chosen_processes = st.multiselect(
        "Filtrera på process", list(process_names), format_func=process_names.__getitem__
    )
    needle = search.strip().lower()
    templates = [
        t
        for t in cat.templates
        if (not chosen_processes or t.process in chosen_processes)
        and (not needle or needle in f"{t.title} {t.description} {t.area}".lower())
    ]
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
    if templates:
        by_key = {t.key: t for t in templates}
        key = st.selectbox(
            label("template_key"), list(by_key), format_func=lambda k: by_key[k].title
        )
        template = by_key[key]
        st.markdown(f"**{template.title}** – {template.description}")
        st.markdown("**Orsaker:** " + "; ".join(template.causes))
        st.markdown("**Konsekvenser:** " + "; ".join(template.consequences))
        st.markdown(
            "**Föreslagna kontrollmoment:** "
            + "; ".join(
                f"{c.control_activity} ({c.control_method})" for c in template.suggested_controls
            )
        )
        if template.legal_references:
            st.caption("Lagstöd: " + "; ".join(r.label for r in template.legal_references))
        own_title = st.text_input(
            "Rubrik i analysen (kan anpassas)", value=template.title, key=f"mall_rubrik_{key}"
        )
        unit_id = st.selectbox(
            label("unit"), list(unit_names), format_func=unit_names.__getitem__, key="mall_enhet"
        )
        if st.button("Lägg till risk från katalogen", type="primary"):
            attempt(
                lambda: workshop.add_risk_from_template(
                    uow(), cat, analysis_id, key, unit_id=unit_id, title=own_title
                ),
                f"Risken ”{own_title}” är tillagd.",
            )

with new_risk, st.form("ny_risk", clear_on_submit=True):
    title = st.text_input(label("title"))
    description = st.text_area(label("description"))
    process = st.selectbox(
        label("process"), ["", *process_names], format_func=lambda k: process_names.get(k, "")
    )
    unit_id = st.selectbox(label("unit"), list(unit_names), format_func=unit_names.__getitem__)
    causes = st.text_area(label("causes"))
    consequence_description = st.text_area(label("consequence_description"))
    existing_controls = st.text_area(label("existing_controls"))
    areas = st.multiselect(
        label("consequence_areas"), list(area_names), format_func=area_names.__getitem__
    )
    if st.form_submit_button("Spara ny risk", type="primary"):
        attempt(
            lambda: workshop.add_risk(
                uow(),
                cat,
                {
                    "analysis_id": analysis.id,
                    "title": title,
                    "description": description,
                    "process": process,
                    "unit_id": unit_id,
                    "causes": causes,
                    "consequence_description": consequence_description,
                    "existing_controls": existing_controls,
                    "consequence_areas": areas,
                },
            ),
            f"Risken ”{title}” är sparad.",
        )

risks = workshop.list_risks(uow(), cat, analysis.id)

with edit:
    if not risks:
        st.info("Det finns inga risker att redigera ännu.")
    else:
        views = {r.id: r for r in risks}
        risk_id = st.selectbox(
            "Välj risk", list(views), format_func=lambda k: f"{k}: {views[k].title}"
        )
        loaded = workshop.get_risk(uow(), risk_id)
        shown_version = remember_version(f"risk_{risk_id}", loaded.version)
        conflict_reload(f"risk_{risk_id}")
        evidence = deviations.risk_evidence(uow(), cat, risk_id)
        with st.expander(f"Avvikelser som underlag ({evidence.total})"):
            if not evidence.links:
                st.caption("Inga avvikelser är kopplade. Koppla dem på sidan Avvikelser.")
            else:
                by_category = evidence.by_category.items()
                st.markdown(
                    "**Per kategori:** "
                    + ", ".join(f"{CATEGORY_LABELS[k]} {n}" for k, n in by_category if n)
                )
                st.markdown(
                    "**Per tertial:** "
                    + ", ".join(f"{t} {n}" for t, n in sorted(evidence.by_tertial.items()))
                )
                if evidence.cause_groups:
                    st.caption("Orsaksgrupper: " + "; ".join(evidence.cause_groups))
                if evidence.trend:
                    st.write(evidence.trend.sentence)
        with st.form(f"redigera_{risk_id}"):
            new_title = st.text_input(label("title"), value=loaded.title)
            new_description = st.text_area(label("description"), value=loaded.description)
            new_unit = st.selectbox(
                label("unit"),
                list(unit_names),
                index=list(unit_names).index(loaded.unit_id) if loaded.unit_id in unit_names else 0,
                format_func=unit_names.__getitem__,
            )
            new_causes = st.text_area(label("causes"), value=loaded.causes)
            new_consequence = st.text_area(
                label("consequence_description"), value=loaded.consequence_description
            )
            new_controls = st.text_area(label("existing_controls"), value=loaded.existing_controls)
            new_areas = st.multiselect(
                label("consequence_areas"),
                list(area_names),
                default=[a for a in loaded.consequence_areas if a in area_names],
                format_func=area_names.__getitem__,
            )
            st.markdown(f"**{label('residual')}** – målet efter behandlingsplanens åtgärder")
            residual_cols = st.columns(2)
            new_residual_s = residual_cols[0].selectbox(
                label("residual_likelihood"),
                [None, *range(1, scale.max_likelihood + 1)],
                index=loaded.residual_likelihood or 0,
                format_func=lambda v: "–" if v is None else str(v),
            )
            new_residual_k = residual_cols[1].selectbox(
                label("residual_consequence"),
                [None, *range(1, scale.max_consequence + 1)],
                index=loaded.residual_consequence or 0,
                format_func=lambda v: "–" if v is None else str(v),
            )
            saved = st.form_submit_button("Spara ändringar", type="primary")
            deleted = st.form_submit_button("Ta bort risken")
        if saved:
            changed = loaded.model_copy(
                update={
                    "title": new_title,
                    "description": new_description,
                    "unit_id": new_unit,
                    "causes": new_causes,
                    "consequence_description": new_consequence,
                    "existing_controls": new_controls,
                    "consequence_areas": new_areas,
                    "residual_likelihood": new_residual_s,
                    "residual_consequence": new_residual_k,
                    "version": shown_version,
                }
            )
            save_versioned(
                f"risk_{risk_id}",
                lambda: workshop.update_risk(uow(), cat, changed),
                "Ändringarna är sparade.",
            )
        if deleted:
            save_versioned(
                f"risk_{risk_id}",
                lambda: workshop.delete_risk(uow(), risk_id, shown_version),
                "Risken är borttagen.",
            )

st.subheader(f"Risker i analysen ({len(risks)})")
st.dataframe(
    [
        {
            "Id": r.id,
            label("title"): r.title,
            label("process"): r.process_name,
            label("unit"): r.unit,
            label("source"): r.source,
        }
        for r in risks
    ],
    hide_index=True,
    width="stretch",
)
