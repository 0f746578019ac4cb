"""The risk forms of Riskidentifiering: a new risk, editing one (with conflict resolution),
deleting one after a confirmation and undoing that delete during the session.

The edit form's widgets have keys per risk and are seeded from the saved risk only when
they have no value yet, so that what a person typed survives a refused save: after a
conflict they choose per field between their value and the saved one, and nothing they
typed is silently replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st
from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain.catalog import Scale
from riskmotor.domain.models import OrgUnit, Risk, RiskAnalysis
from riskmotor.domain.terms import CATEGORY_LABELS, label
from riskmotor.errors import ConflictError, RiskmotorError
from riskmotor.reports.risks import DeletedRisk, RiskView
from riskmotor.services import deviations, workshop
from streamlit_app.components.conflict import Formatter, forget_choices, plain, resolve_conflict
from streamlit_app.ui import (
    attempt_and_refresh,
    cached,
    catalog,
    confirm_button,
    field_errors,
    select,
    uow,
)
from streamlit_app.widgets import PLACEHOLDER

WHOLE_ORGANISATION = 0  # the unit option for "no enhet": the whole förvaltning
WHOLE_ORGANISATION_NAME = "Hela förvaltningen"
NO_PROCESS = ""
NO_SCORE = 0
EDIT_CHOICE = "redigera_risk_val"
DELETED = "borttagna_risker"  # this session's deletes, newest last, for "Ångra"
EDIT_FIELDS = (
    "title",
    "description",
    "process",
    "unit_id",
    "causes",
    "consequence_description",
    "existing_controls",
    "consequence_areas",
    "residual_likelihood",
    "residual_consequence",
)


@dataclass(frozen=True)
class RiskForm:
    """What the risk forms of one analysis choose from, with the names people read."""

    catalog: Catalog
    scale: Scale
    analysis_id: int
    area_names: dict[str, str]
    process_names: dict[str, str]
    unit_names: dict[int, str]

    @classmethod
    def build(cls, cat: Catalog, analysis: RiskAnalysis, enheter: list[OrgUnit]) -> RiskForm:
        scale = cat.scale(analysis.scale_key)
        units = {WHOLE_ORGANISATION: WHOLE_ORGANISATION_NAME}
        units.update({u.id: u.name for u in enheter if u.id is not None})
        return cls(
            catalog=cat,
            scale=scale,
            analysis_id=analysis.id or 0,
            area_names={area.key: area.name for area in scale.consequence_areas},
            process_names={p.key: f"{p.area} – {p.name}" for p in cat.processes},
            unit_names=units,
        )

    def labels(self) -> dict[str, str]:
        return {f: label("unit" if f == "unit_id" else f) for f in EDIT_FIELDS}

    def formatters(self) -> dict[str, Formatter]:
        """Saved values as people read them: names, not keys or ids."""
        return {
            "unit_id": lambda v: self.unit_names.get(v or WHOLE_ORGANISATION, str(v)),  # type: ignore[call-overload]
            "process": lambda v: self.process_names.get(str(v or ""), plain(v)),
            "consequence_areas": lambda v: plain(
                [self.area_names.get(str(a), str(a)) for a in v or []]  # type: ignore[attr-defined]
            ),
        }


def _fields(form: RiskForm, prefix: str, *, residual: bool = True) -> dict[str, Any]:
    """The risk's fields as widgets keyed ``{prefix}_{field}``; their values as the model
    stores them (no unit: None; no residual score: None). The residual score is set once
    the risk is assessed, so a new risk's form leaves it out."""
    title = st.text_input(label("title"), key=f"{prefix}_title")
    description = st.text_area(label("description"), key=f"{prefix}_description")
    process = select(
        label("process"),
        [NO_PROCESS, *form.process_names],
        key=f"{prefix}_process",
        format_func=lambda k: form.process_names.get(k, "Ingen process"),
    )
    unit = select(
        label("unit"),
        list(form.unit_names),
        key=f"{prefix}_unit_id",
        format_func=form.unit_names.__getitem__,
    )
    causes = st.text_area(label("causes"), key=f"{prefix}_causes")
    consequence = st.text_area(
        label("consequence_description"), key=f"{prefix}_consequence_description"
    )
    controls = st.text_area(label("existing_controls"), key=f"{prefix}_existing_controls")
    areas = st.multiselect(
        label("consequence_areas"),
        list(form.area_names),
        key=f"{prefix}_consequence_areas",
        format_func=form.area_names.__getitem__,
        placeholder=PLACEHOLDER,
    )
    residual_s = residual_k = None
    if residual:
        st.markdown(f"**{label('residual')}** – målet efter behandlingsplanens åtgärder")
        left, right = st.columns(2)
        with left:
            residual_s = _score(label("residual_likelihood"), form.scale.max_likelihood, prefix)
        with right:
            residual_k = _score(label("residual_consequence"), form.scale.max_consequence, prefix)
    return {
        "title": title,
        "description": description,
        "process": process or NO_PROCESS,
        "unit_id": None if unit in (None, WHOLE_ORGANISATION) else unit,
        "causes": causes,
        "consequence_description": consequence,
        "existing_controls": controls,
        "consequence_areas": list(areas),
        "residual_likelihood": residual_s,
        "residual_consequence": residual_k,
    }


def _score(text: str, highest: int, prefix: str) -> int | None:
    field = (
        "residual_likelihood" if text == label("residual_likelihood") else "residual_consequence"
    )
    chosen = select(
        text,
        [NO_SCORE, *range(1, highest + 1)],
        key=f"{prefix}_{field}",
        format_func=lambda v: "Ingen" if v == NO_SCORE else str(v),
    )
    return None if chosen in (None, NO_SCORE) else int(chosen)


def _errors(values: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values["title"]).strip():
        errors[label("title")] = "ange en rubrik för risken."
    if (values["residual_likelihood"] is None) != (values["residual_consequence"] is None):
        errors[label("residual")] = "ange både sannolikhet och konsekvens, eller ingen av dem."
    return errors


def _seed(prefix: str, risk: Risk) -> None:
    """Fill the edit widgets from the saved risk where they hold nothing yet."""
    stored = {
        **{f: getattr(risk, f) for f in EDIT_FIELDS},
        "unit_id": risk.unit_id or WHOLE_ORGANISATION,
        "residual_likelihood": risk.residual_likelihood or NO_SCORE,
        "residual_consequence": risk.residual_consequence or NO_SCORE,
        "consequence_areas": list(risk.consequence_areas),
    }
    for field, value in stored.items():
        st.session_state.setdefault(f"{prefix}_{field}", value)


def _forget(prefix: str) -> None:
    """Drop the form's state for a risk: it is read from the database again."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]


def new_risk_form(form: RiskForm) -> None:
    with st.form("ny_risk", clear_on_submit=False):
        values = _fields(form, "ny_risk", residual=False)
        submitted = st.form_submit_button("Spara ny risk", type="primary")
    if not submitted:
        return
    errors = _errors(values)
    if errors:
        field_errors(errors)
        return
    title = str(values["title"]).strip()

    def add() -> RiskView:
        view = workshop.add_risk(uow(), form.catalog, {"analysis_id": form.analysis_id, **values})
        _forget("ny_risk")  # an empty form for the next risk, only after it was saved
        return view

    attempt_and_refresh(add, f"Risken ”{title}” är sparad.")


def edit_section(form: RiskForm, risks: list[RiskView]) -> None:
    if not risks:
        st.info("Det finns inga risker att redigera ännu.")
        return
    views = {r.id: r for r in risks}
    if st.session_state.get(EDIT_CHOICE) not in views:
        st.session_state.pop(EDIT_CHOICE, None)  # a deleted risk is no longer offered
    risk_id = select(
        "Välj risk",
        list(views),
        key=EDIT_CHOICE,
        index=0,
        format_func=lambda k: views[k].title,
    )
    if risk_id is None:
        return
    loaded: Risk = cached(workshop.get_risk, risk_id)
    prefix = f"risk{risk_id}"
    shown_version = int(st.session_state.setdefault(f"{prefix}_version", loaded.version))
    # The values as first shown: a conflict then tells the fields this person changed.
    st.session_state.setdefault(f"{prefix}_original", loaded.model_dump(include=set(EDIT_FIELDS)))
    _seed(prefix, loaded)
    _evidence(form, risk_id)
    conflict = st.session_state.get(f"{prefix}_conflict")
    if conflict is not None:
        _resolve(form, prefix, *conflict)
    with st.form(f"redigera_{risk_id}"):
        values = _fields(form, prefix)
        saved = st.form_submit_button("Spara ändringar", type="primary")
    if saved:
        _save(form, prefix, loaded, values, shown_version)
    _delete(prefix, loaded, shown_version)


def _evidence(form: RiskForm, risk_id: int) -> None:
    evidence = cached(deviations.risk_evidence, form.catalog, risk_id)
    with st.expander(f"Avvikelser som underlag ({evidence.total})"):
        if not evidence.links:
            st.caption("Inga avvikelser är kopplade. Koppla dem på sidan Avvikelser.")
            return
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


def _store(form: RiskForm, prefix: str, risk: Risk, mine: Mapping[str, Any]) -> None:
    """Save; on a conflict keep it (with what this person wanted) for :func:`_resolve`."""
    try:
        workshop.update_risk(uow(), form.catalog, risk)
    except ConflictError as exc:
        st.session_state[f"{prefix}_conflict"] = (exc, dict(mine))
        st.rerun()
    except RiskmotorError as exc:
        st.error(str(exc))
        return
    forget_choices(f"{prefix}_konflikt", form.labels())
    _forget(prefix)
    st.session_state["flash"] = f"Ändringarna av ”{risk.title}” är sparade."
    st.rerun()


def _save(
    form: RiskForm, prefix: str, loaded: Risk, values: dict[str, Any], shown_version: int
) -> None:
    errors = _errors(values)
    if errors:
        field_errors(errors)
        return
    try:
        changed = Risk.model_validate({**loaded.model_dump(), **values, "version": shown_version})
    except ValidationError:
        field_errors({label("title"): "ange en rubrik för risken."})
        return
    _store(form, prefix, changed, values)


def _resolve(form: RiskForm, prefix: str, exc: ConflictError, mine: dict[str, Any]) -> None:
    with st.container(border=True):
        resolved = resolve_conflict(
            f"{prefix}_konflikt",
            mine,
            exc,
            form.labels(),
            form.formatters(),
            original=st.session_state.get(f"{prefix}_original"),
        )
        if st.button("Släpp mina ändringar och visa de sparade värdena", key=f"{prefix}_slapp"):
            forget_choices(f"{prefix}_konflikt", form.labels())
            _forget(prefix)
            st.rerun()
    if resolved is None:
        return
    chosen = {field: resolved[field] for field in EDIT_FIELDS}
    risk = Risk.model_validate({**exc.current, **resolved})
    _store(form, prefix, risk, chosen)


def _delete(prefix: str, loaded: Risk, shown_version: int) -> None:
    question = (
        f"Vill du ta bort risken ”{loaded.title}”? Dess röster och kopplade avvikelser tas "
        "bort med den. Du kan ångra borttagningen så länge du har sidan öppen."
    )
    if not confirm_button("Ta bort risken", key=f"{prefix}_ta_bort", question=question):
        return
    try:
        deleted = workshop.delete_risk(uow(), loaded.id or 0, shown_version)
    except RiskmotorError as exc:
        st.error(str(exc))
        return
    st.session_state.setdefault(DELETED, []).append(deleted)
    _forget(prefix)
    st.session_state.pop(EDIT_CHOICE, None)
    st.session_state["flash"] = f"Risken ”{loaded.title}” är borttagen."
    st.rerun()


def offer_undo(analysis_id: int) -> None:
    """An "Ångra" for each risk deleted in this session (in this analysis)."""
    deleted: list[DeletedRisk] = st.session_state.get(DELETED, [])
    for index, gone in enumerate(deleted):
        if gone.risk.analysis_id != analysis_id:
            continue
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.info(f"Risken ”{gone.risk.title}” är borttagen.")
        if button.button("Ångra", key=f"angra_{index}_{gone.risk.id}"):
            attempt_and_refresh(
                partial(_restore, gone), f"Risken ”{gone.risk.title}” är återställd."
            )


def _restore(gone: DeletedRisk) -> RiskView:
    restored = workshop.restore_risk(uow(), catalog(), gone)
    st.session_state[DELETED] = [d for d in st.session_state.get(DELETED, []) if d is not gone]
    return restored
