"""A plan risk's kontrollmoment and åtgärder as editable tables: many rows, one save.

The table a user edits is the one they were shown: its rows and their versions are kept in
the session until they save or reload, so that someone else's save in between is reported
as a conflict by the service instead of being mixed into their table. While nothing is being
edited, the table follows the database (a save elsewhere on the page shows at once).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from riskmotor.domain.plan import ActionStatus, ControlMethod, Frequency, PlanAction, PlanControl
from riskmotor.domain.terms import EXPORT_LABELS, label, quantity
from riskmotor.services import plan
from streamlit_app import ui
from streamlit_app.components.plan_feedback import save_and_refresh

Row = dict[str, Any]


@dataclass(frozen=True)
class TableSpec:
    """How one kind of row is shown, checked and saved."""

    kind: str  # "kontroll" or "atgard": part of the session keys
    noun: str  # "kontrollmoment", "åtgärder": the save button and the messages
    fields: tuple[str, ...]
    required: tuple[str, ...]
    columns: dict[str, Any]
    save: Callable[..., plan.TableSaved]
    title_field: str


def control_spec(sampling_plans: Mapping[int, str]) -> TableSpec:
    text = st.column_config.TextColumn
    return TableSpec(
        kind="kontroll",
        noun="kontrollmoment",
        fields=(
            "control_activity",
            "control_method",
            "frequency",
            "responsible",
            "reported_to",
            "timing",
            "egenkontroll_plan_id",
        ),
        required=("control_activity", "control_method", "frequency"),
        columns={
            "control_activity": text(EXPORT_LABELS["control_activity"], width="large"),
            "control_method": st.column_config.SelectboxColumn(
                EXPORT_LABELS["control_method"], options=[m.value for m in ControlMethod]
            ),
            "frequency": st.column_config.SelectboxColumn(
                EXPORT_LABELS["frequency"],
                options=[f.value for f in Frequency],
                default=Frequency.TERTIAL.value,
            ),
            "responsible": text(EXPORT_LABELS["responsible"]),
            "reported_to": text(EXPORT_LABELS["reported_to"]),
            "timing": text(EXPORT_LABELS["timing"], help="Till exempel T1, T2 och T3"),
            "egenkontroll_plan_id": st.column_config.SelectboxColumn(
                EXPORT_LABELS["sampling_plan"], options=list(sampling_plans.values())
            ),
        },
        save=plan.save_controls,
        title_field="control_activity",
    )


def action_spec() -> TableSpec:
    text = st.column_config.TextColumn
    return TableSpec(
        kind="atgard",
        noun="åtgärder",
        fields=("what", "owner", "due_date", "status", "expected_effect"),
        required=("what",),
        columns={
            "what": text(EXPORT_LABELS["action"], width="large"),
            "owner": text(EXPORT_LABELS["responsible"]),
            "due_date": st.column_config.DateColumn(EXPORT_LABELS["due_date"], format="YYYY-MM-DD"),
            "status": st.column_config.SelectboxColumn(
                label("status"),
                options=[s.value for s in ActionStatus],
                default=ActionStatus.PLANERAD.value,
            ),
            "expected_effect": text(EXPORT_LABELS["expected_effect"]),
        },
        save=plan.save_actions,
        title_field="what",
    )


def _shown_rows(
    items: Sequence[PlanControl | PlanAction], spec: TableSpec, plans: Mapping[int, str]
) -> list[Row]:
    rows = []
    for item in items:
        values = item.model_dump(mode="python")
        row: Row = {"id": item.id, "version": item.version}
        for field in spec.fields:
            value = values[field]
            if field == "egenkontroll_plan_id":
                value = plans.get(value) if value is not None else None
            elif hasattr(value, "value"):  # an enum: its Swedish word
                value = value.value
            row[field] = value
        rows.append(row)
    return rows


def _state_key(spec: TableSpec, plan_risk_id: int) -> str:
    return f"plan_{spec.kind}_shown_{plan_risk_id}"


def _has_edits(editor_key: str) -> bool:
    state = st.session_state.get(editor_key)
    if not isinstance(state, dict):
        return False
    return bool(state.get("edited_rows") or state.get("added_rows") or state.get("deleted_rows"))


def _snapshot(spec: TableSpec, plan_risk_id: int, stored: list[Row]) -> tuple[list[Row], str]:
    """The rows the user edits and the editor's key: the stored rows, unless the user has
    unsaved edits of an earlier state (then that state, so a save detects the conflict)."""
    key = _state_key(spec, plan_risk_id)
    generation, shown = st.session_state.get(key, (0, None))
    editor_key = f"{key}_editor_{generation}"
    if shown is None or (shown != stored and not _has_edits(editor_key)):
        if shown is not None:
            generation += 1
        shown = stored
        st.session_state[key] = (generation, shown)
    return shown, f"{key}_editor_{generation}"


def forget(spec: TableSpec, plan_risk_id: int) -> None:
    """Drop the kept table (after a save or a reload): the next draw shows the database."""
    key = _state_key(spec, plan_risk_id)
    generation, _ = st.session_state.get(key, (0, None))
    st.session_state[key] = (generation + 1, None)


def _clean(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _edited_rows(frame: pd.DataFrame, spec: TableSpec, plans: Mapping[int, str]) -> list[Row]:
    """The edited table as the service takes it: ids back, texts trimmed, plan names to ids.
    An empty cell is left out, so the field gets its default (an empty text, no date)."""
    by_name = {name: plan_id for plan_id, name in plans.items()}
    typed = [f for f in spec.fields if spec.columns[f]["default"] is None]
    rows: list[Row] = []
    for record in frame.to_dict("records"):
        values = {str(k): _clean(v) for k, v in record.items()}
        if values.get("id") is None and all(values.get(f) in (None, "") for f in typed):
            continue  # an added row left empty is not a row
        row: Row = {} if values.get("id") is None else {"id": int(str(values["id"]))}
        for field in spec.fields:
            value = values.get(field)
            if field == "egenkontroll_plan_id":
                value = by_name.get(str(value)) if value else None
            if isinstance(value, str):
                value = value.strip()
            if value is not None:
                row[field] = value
        rows.append(row)
    return rows


def _problems(rows: list[Row], spec: TableSpec) -> dict[str, str]:
    """Empty required cells, by row and column, before the service is called."""
    found: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        titles = {f: spec.columns[f]["label"] for f in spec.required}
        for where, message in ui.missing({f: row.get(f) for f in spec.required}).items():
            found[f"Rad {number}, {titles[where]}"] = message
    return found


def editable_table(
    plan_risk_id: int,
    items: Sequence[PlanControl | PlanAction],
    spec: TableSpec,
    plans: Mapping[int, str] | None = None,
) -> None:
    """The table, its save button (asking first when rows are removed) and its messages."""
    plans = plans or {}
    stored = _shown_rows(items, spec, plans)
    shown, editor_key = _snapshot(spec, plan_risk_id, stored)
    frame = pd.DataFrame(shown, columns=["id", "version", *spec.fields]).astype({"id": "object"})
    edited = st.data_editor(
        frame,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=spec.fields,
        column_config=spec.columns,
        placeholder="–",
    )
    rows = _edited_rows(edited, spec, plans)
    versions = {int(r["id"]): int(r["version"]) for r in shown}
    kept = {r.get("id") for r in rows}
    removed = [r for r in shown if r["id"] not in kept]
    button = f"Spara {spec.noun}"
    place = f"{spec.kind}_{plan_risk_id}"
    if removed:
        names = "; ".join(str(r[spec.title_field]) for r in removed)
        clicked = ui.confirm_button(
            button,
            key=f"confirm_{place}",
            question=(
                f"{quantity(len(removed), 'rad', 'rader')} tas bort: {names}. Vill du spara ändå?"
            ),
        )
    else:
        clicked = st.button(button, key=f"save_{place}", disabled=not _has_edits(editor_key))
    if clicked:
        problems = _problems(rows, spec)
        if problems:
            st.error("Inget har sparats. Fyll i de markerade fälten och spara igen.")
            ui.field_errors(problems)
            return

        def saved_message(result: object) -> str:
            assert isinstance(result, plan.TableSaved)
            forget(spec, plan_risk_id)
            return _summary(result, spec.noun)

        save_and_refresh(
            place,
            lambda: spec.save(ui.uow(), plan_risk_id, rows, versions),
            saved_message,
        )
    if shown != stored:
        # The user edits the table as it was; a save will be refused if rows changed.
        st.warning(
            f"Någon har sparat {spec.noun} för den här risken sedan du började ändra. "
            "Sparar du nu kontrolleras varje ändrad rad mot den sparade."
        )
        if st.button("Läs in de senast sparade värdena", key=f"reload_{place}"):
            forget(spec, plan_risk_id)
            st.rerun(scope="fragment")


def _summary(result: plan.TableSaved, noun: str) -> str:
    if result.nothing:
        return f"Inga ändringar i {noun}."
    parts = [
        f"{count} {what}"
        for count, what in (
            (result.added, "tillagda"),
            (result.changed, "ändrade"),
            (result.deleted, "borttagna"),
        )
        if count
    ]
    return f"Sparat ({noun}): " + ", ".join(parts) + "."
