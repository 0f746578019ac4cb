"""Many kontrollmoment and åtgärder in one save: a risk's tables, and the catalog's suggestions
for every risk that has no kontrollmoment yet.

A table is saved as a whole: every row is checked first, and when one row is invalid
nothing is saved (the message names each row and column). Rows someone else changed or
removed since the table was shown are refused as a conflict, as a single row's save is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import PlanAction, PlanControl
from riskmotor.errors import ConflictError, InvalidInputError
from riskmotor.persistence.repositories.plan import PlanActionRepository, PlanControlRepository
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.plan.fields import FieldProblemsError, checked
from riskmotor.services.plan.read import plan_of_risk

Item = TypeVar("Item", PlanControl, PlanAction)
Row = Mapping[str, object]


@dataclass(frozen=True)
class TableSaved:
    """What one save of a table did, for the message beside it."""

    added: int = 0
    changed: int = 0
    deleted: int = 0

    @property
    def nothing(self) -> bool:
        return not (self.added or self.changed or self.deleted)


def add_catalog_suggestions(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> int:
    """Lägg till katalogens förslag för alla risker utan kontrollmoment: every included risk
    of a draft plan that has no kontrollmoment gets its template's suggested ones. Risks
    written by hand (no template) are left for the user. Returns how many were added."""
    with uow:
        plan = uow.control_plans.get(plan_id)
        plan.ensure_editable()
        included = [p for p in uow.plan_risks.for_plan(plan_id) if p.included]
        ids = [p.id for p in included if p.id is not None]
        with_controls = {c.plan_risk_id for c in uow.plan_controls.for_plan_risks(ids)}
        added = 0
        for plan_risk in included:
            if plan_risk.id is None or plan_risk.id in with_controls:
                continue
            template_key = uow.risks.get(plan_risk.risk_id).template_key
            if not template_key:
                continue
            for suggestion in catalog.template(template_key).suggested_controls:
                uow.plan_controls.add(
                    PlanControl(plan_risk_id=plan_risk.id, **suggestion.model_dump())
                )
                added += 1
        uow.commit()
        return added


def save_controls(
    uow: UnitOfWork,
    plan_risk_id: int,
    rows: Sequence[Row],
    expected_versions: Mapping[int, int],
) -> TableSaved:
    """Save a risk's kontrollmoment table as the user left it.

    ``rows``: the table's rows in order, fields of :class:`PlanControl`; a row with an
    ``id`` is a stored kontrollmoment, one without is new. ``expected_versions``: id ->
    version of every stored row as the table was shown; a shown row missing from ``rows``
    is deleted.
    """
    items = _checked_rows(PlanControl, plan_risk_id, rows)
    with uow:
        saved = _save_table(uow, uow.plan_controls, plan_risk_id, items, expected_versions)
        uow.commit()
        return saved


def save_actions(
    uow: UnitOfWork,
    plan_risk_id: int,
    rows: Sequence[Row],
    expected_versions: Mapping[int, int],
) -> TableSaved:
    """Save a risk's åtgärder table as the user left it (see :func:`save_controls`)."""
    items = _checked_rows(PlanAction, plan_risk_id, rows)
    with uow:
        saved = _save_table(uow, uow.plan_actions, plan_risk_id, items, expected_versions)
        uow.commit()
        return saved


def _checked_rows(model: type[Item], plan_risk_id: int, rows: Sequence[Row]) -> list[Item]:
    """Every row checked before anything is written; all problems reported together."""
    items: list[Item] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        try:
            items.append(checked(model, {**row, "plan_risk_id": plan_risk_id}, row=number))
        except FieldProblemsError as error:
            problems.extend(error.problems)
    if problems:
        raise FieldProblemsError(["Inget har sparats.", *problems])
    return items


def _save_table(
    tx: UnitOfWork,
    repository: PlanControlRepository | PlanActionRepository,
    plan_risk_id: int,
    items: list[Item],
    expected_versions: Mapping[int, int],
) -> TableSaved:
    plan_risk = tx.plan_risks.get(plan_risk_id)
    plan_of_risk(tx, plan_risk_id).ensure_editable()
    stored = {s.id: s for s in repository.for_plan_risks([plan_risk_id])}
    if not plan_risk.included and any(i.id is None for i in items):
        raise InvalidInputError("Kontrollmoment och åtgärder läggs bara till risker i planen.")
    if any(i.id is not None and i.id not in expected_versions for i in items):
        raise InvalidInputError("En rad i tabellen hör inte till den här risken.")
    added = changed = 0
    for item in items:
        if item.id is None:
            repository.add(item)  # type: ignore[arg-type]
            added += 1
            continue
        current = stored.get(item.id)
        # A row left as it is stored needs no write, even if someone else saved it since.
        if current is None or _differs(item, current):
            shown = _as_shown(repository.entity, current, item.id, expected_versions)
            repository.update(item.model_copy(update={"version": shown.version}))  # type: ignore[arg-type]
            changed += 1
    gone = sorted(expected_versions.keys() - {i.id for i in items})
    for item_id in gone:
        # A row is only removed as the user saw it; one changed since is a conflict.
        _as_shown(repository.entity, stored.get(item_id), item_id, expected_versions)
        repository.delete(item_id, expected_versions[item_id])
    return TableSaved(added, changed, len(gone))


def _as_shown(
    entity: str,
    current: PlanControl | PlanAction | None,
    item_id: int,
    expected_versions: Mapping[int, int],
) -> PlanControl | PlanAction:
    """The stored row, unless it is gone or was changed since the table was shown."""
    if current is None:
        raise ConflictError(entity, item_id, {})
    if current.version != expected_versions[item_id]:
        raise ConflictError(entity, item_id, current.model_dump(mode="json"), title=_title(current))
    return current


def _title(item: PlanControl | PlanAction) -> str:
    return item.control_activity if isinstance(item, PlanControl) else item.what


def _differs(item: PlanControl | PlanAction, current: PlanControl | PlanAction) -> bool:
    return item.model_dump(exclude={"version"}) != current.model_dump(exclude={"version"})
