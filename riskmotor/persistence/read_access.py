"""Reads checked against the roles per nämnd, for logged-in identities (issue 14).

A logged-in identity may read a nämnd's rows only where it holds a role (läsare or more).
Rather than each read use case remembering a check, :class:`ReadGuard` looks at every ORM
row its session loads: after each ORM SELECT (``do_orm_execute``) the rows it loaded
(``loaded_as_persistent``) are traced to their nämnd and the whole read is refused with
:class:`AccessDeniedError` if one lies outside the identity's nämnder. Refused rows are
taken out of the session, so a later read of the same id is checked again.

Which rows are checked:

- rows of the tables in ``PARENTS`` (analyses, risks, votes, plans, egenkontroll,
  deviations, scenarios, ...): readable in a nämnd where the identity has any role;
- ``user_role``: the identity's own grants, and every grant of a nämnd it administers;
- ``org_unit``: always readable (the organisation tree is not secret);
- ``audit_log``: never refused, but every ORM query over it is narrowed (see
  :func:`audit_visible`), so listings show only what the identity may read; the hash-chain
  check opts out with :data:`ALL_AUDIT_ENTRIES` (it returns a count and a position only);
- ``installation_setting``, ``audit_chain``: system rows, not a nämnd's data.

The nämnd of a loaded row is found from its own parent column and a per-transaction cache
(``(table, id) -> nämnd``), with one Core query per parent table for the ids not yet known,
so a plan view of hundreds of rows costs a handful of small queries. Core queries load no
ORM rows, so the resolution never triggers a check of its own. Local mode and the command
line read freely (as decided): the guard exists only for logged-in identities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, event, inspect, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from riskmotor.domain.access import Identity, Role
from riskmotor.domain.models import UnitKind
from riskmotor.errors import AccessDeniedError
from riskmotor.persistence.orm import AuditRow, Base, OrgUnitRow, RiskAnalysisRow, UserRoleRow

# How a row reaches its nämnd: (column, table it refers to); "org_unit" ends the walk.
PARENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "risk_analysis": (("namnd_id", "org_unit"),),
    "participant": (("analysis_id", "risk_analysis"),),
    "risk": (("analysis_id", "risk_analysis"),),
    "vote": (("risk_id", "risk"),),
    "scenario": (("namnd_id", "org_unit"),),
    "simulation_run": (("scenario_id", "scenario"), ("risk_id", "risk")),
    "control_plan": (("namnd_id", "org_unit"),),
    "plan_risk": (("plan_id", "control_plan"),),
    "plan_control": (("plan_risk_id", "plan_risk"),),
    "plan_action": (("plan_risk_id", "plan_risk"),),
    "risk_followup": (("plan_risk_id", "plan_risk"),),
    "control_followup": (("plan_control_id", "plan_control"),),
    "plan_snapshot": (("plan_id", "control_plan"),),
    "plan_package": (("plan_id", "control_plan"),),
    "egenkontroll_plan": (("namnd_id", "org_unit"),),
    "sample_draw": (("plan_id", "egenkontroll_plan"),),
    "sampled_case": (("draw_id", "sample_draw"),),
    "checklist_answer": (("draw_id", "sample_draw"),),
    "deviation": (("namnd_id", "org_unit"),),
    "deviation_link": (("risk_id", "risk"),),
    "user_role": (("namnd_id", "org_unit"),),
}
PARENT_TABLES = frozenset(parent for paths in PARENTS.values() for _, parent in paths)
# Readable by every logged-in identity: the organisation tree, and system rows.
FREE_TABLES = frozenset({"org_unit", "installation_setting", "audit_chain", "audit_log"})
# Audit batch entries whose entity_id is the nämnd's id (an export, an import of avvikelser).
NAMND_BATCHES = frozenset({"export", "deviation_import"})
# Execution option of a query that must see every audit entry (the hash-chain check).
ALL_AUDIT_ENTRIES = "riskmotor_all_audit_entries"
NAMND_KIND = UnitKind.NAMND.value
_CHUNK = 500  # ids per IN list: far below every driver's parameter limit


_TABLE_OF_CLASS: dict[type, str] = {}


def table_of(obj: Any) -> str:
    """The table an ORM row maps (cached per class: inspect() is slow per row)."""
    cls = type(obj)
    if cls not in _TABLE_OF_CLASS:
        _TABLE_OF_CLASS[cls] = str(inspect(obj).mapper.local_table.name)
    return _TABLE_OF_CLASS[cls]


class NamndResolver:
    """The nämnd of stored rows, from Core queries and a per-transaction cache."""

    def __init__(self, session: Session, cache: dict[tuple[str, int], int | None]) -> None:
        self.session = session
        self.cache = cache
        self._units: dict[int, tuple[str, int | None, str]] | None = None

    def units(self, reload: bool = False) -> dict[int, tuple[str, int | None, str]]:
        """Every organisation unit: id -> (kind, parent id, name); the tree is small."""
        if self._units is None or reload:
            query = select(OrgUnitRow.id, OrgUnitRow.kind, OrgUnitRow.parent_id, OrgUnitRow.name)
            self._units = {row[0]: (row[1], row[2], row[3]) for row in self.session.execute(query)}
        return self._units

    def unit_namnd(self, unit_id: int) -> int | None:
        """The nämnd a unit is or lies under; None for a kommun or an unknown unit."""
        units = self.units() if unit_id in self.units() else self.units(reload=True)
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current in units and current not in seen:
            seen.add(current)
            kind, parent, _ = units[current]
            if kind == NAMND_KIND:
                return current
            current = parent
        return None

    def name(self, namnd_id: int | None) -> str:
        found = self.units().get(namnd_id) if namnd_id is not None else None
        return found[2] if found else "nämnden"

    def resolve(self, table: str, ids: Iterable[int]) -> dict[int, int | None]:
        """The nämnd of each stored row ``ids`` of ``table`` (None when it has none)."""
        wanted = set(ids)
        if table == "org_unit":
            return {item: self.unit_namnd(item) for item in wanted}
        missing = sorted(item for item in wanted if (table, item) not in self.cache)
        if missing:
            self._load(table, missing)
        return {item: self.cache[(table, item)] for item in wanted}

    def _load(self, table: str, ids: list[int]) -> None:
        columns = Base.metadata.tables[table].c
        paths = PARENTS.get(table, ())
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), _CHUNK):
            query = select(columns.id, *(columns[column] for column, _ in paths)).where(
                columns.id.in_(ids[start : start + _CHUNK])
            )
            rows.extend(tuple(row) for row in self.session.execute(query))
        values = [dict(zip([c for c, _ in paths], row[1:], strict=True)) for row in rows]
        namnder = self.namnder(table, values, dict.__getitem__)
        for item, namnd in zip([row[0] for row in rows], namnder, strict=True):
            self.cache[(table, item)] = namnd
        for item in ids:
            self.cache.setdefault((table, item), None)  # a row that is gone

    def namnder(
        self, table: str, rows: Sequence[Any], value: Callable[[Any, str], Any] = getattr
    ) -> list[int | None]:
        """The nämnd of each row of ``table`` from its parent columns (read with ``value``):
        one batch per parent table, the first parent that leads to a nämnd wins."""
        found: list[int | None] = [None] * len(rows)
        for column, parent in PARENTS.get(table, ()):
            links = [value(row, column) for row in rows]
            parents = self.resolve(parent, {link for link in links if link is not None})
            found = [
                known if known is not None or link is None else parents.get(link)
                for known, link in zip(found, links, strict=True)
            ]
        return found


def ids_in(table: str, namnder: set[int]) -> Select[Any]:
    """The ids of the rows of ``table`` that lie in ``namnder`` (a subquery)."""
    columns = Base.metadata.tables[table].c
    conditions = [
        columns[column].in_(namnder if parent == "org_unit" else ids_in(parent, namnder))
        for column, parent in PARENTS[table]
    ]
    return select(columns.id).where(or_(*conditions))


def audit_visible(readable: set[int], administered: set[int]) -> ColumnElement[bool]:
    """Which audit entries an identity may read.

    An entry is readable when it belongs to an analysis of a readable nämnd, is an export or
    import of one, concerns an organisation unit, or (without an analysis) concerns a row
    that still exists in a readable nämnd; entries about grants need the administrator role
    in the grant's nämnd. Entries that cannot be traced (the row is gone, the installation's
    key) are shown to administrators only (of any nämnd).
    """
    kinds = [table for table in PARENTS if table != "user_role"]
    no_analysis = AuditRow.analysis_id.is_(None)
    branches: list[ColumnElement[bool]] = [
        AuditRow.analysis_id.in_(
            select(RiskAnalysisRow.id).where(RiskAnalysisRow.namnd_id.in_(readable))
        ),
        and_(AuditRow.entity.in_(NAMND_BATCHES), AuditRow.entity_id.in_(readable)),
        AuditRow.entity == "org_unit",
        *(
            and_(
                no_analysis, AuditRow.entity == kind, AuditRow.entity_id.in_(ids_in(kind, readable))
            )
            for kind in kinds
        ),
        and_(
            AuditRow.entity == "user_role",
            AuditRow.entity_id.in_(ids_in("user_role", administered)),
        ),
    ]
    if administered:
        gone = [
            and_(AuditRow.entity == kind, AuditRow.entity_id.not_in(ids_in_all(kind)))
            for kind in PARENTS
        ]
        branches.append(and_(no_analysis, or_(AuditRow.entity == "installation_setting", *gone)))
    return or_(*branches)


def ids_in_all(table: str) -> Select[Any]:
    return select(Base.metadata.tables[table].c.id)


class ReadGuard:
    """Refuses a logged-in identity's reads of rows outside its nämnder (one session)."""

    def __init__(
        self,
        session: Session,
        identity: Identity,
        resolver: NamndResolver,
        roles: Callable[[], dict[int, Role]],
    ) -> None:
        self.session = session
        self.identity = identity
        self.resolver = resolver
        self.roles = roles
        self._pending: list[Any] = []
        self._quiet = 0
        event.listen(session, "do_orm_execute", self._execute)
        event.listen(session, "loaded_as_persistent", self._loaded)

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Load without checking: the guard's own lookups and the write check's walks
        (a row loaded there lies in the nämnd the write then needs a role in)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _loaded(self, _session: Session, instance: Any) -> None:
        if not self._quiet:
            self._pending.append(instance)

    def _execute(self, state: ORMExecuteState) -> Any:
        if self._quiet or not state.is_select or not state.all_mappers:
            return None
        if AuditRow.__mapper__ in state.all_mappers and not state.execution_options.get(
            ALL_AUDIT_ENTRIES
        ):
            with self.quietly():
                visible = self._audit_visible()
            state.statement = state.statement.options(
                with_loader_criteria(AuditRow, visible, include_aliases=True)
            )
        # Load every row now (the result is read to the end anyway), then check them all
        # at once: one batch of lookups per query instead of one per row.
        frozen = state.invoke_statement().freeze()
        self.check_loaded()
        return frozen()

    def _audit_visible(self) -> ColumnElement[bool]:
        roles = self.roles()
        administered = {n for n, role in roles.items() if role is Role.ADMINISTRATOR}
        return audit_visible(set(roles), administered)

    def check_loaded(self) -> None:
        rows, self._pending = self._pending, []
        if not rows:
            return
        with self.quietly():
            refusal = self._refusal(rows)
        if refusal is not None:
            message, refused = refusal
            for row in refused:
                if row in self.session:
                    self.session.expunge(row)  # read again, checked again
            raise AccessDeniedError(message)

    def _refusal(self, rows: list[Any]) -> tuple[str, list[Any]] | None:
        by_class: dict[type, list[Any]] = {}
        for row in rows:
            by_class.setdefault(type(row), []).append(row)
        by_table = {table_of(loaded[0]): loaded for loaded in by_class.values()}
        refused: list[Any] = []
        message = ""
        for table, loaded in by_table.items():
            if table in FREE_TABLES:
                continue
            checked = self._grants(loaded) if table == "user_role" else self._rows(table, loaded)
            if checked is not None:
                message = message or checked[0]
                refused.extend(checked[1])
        return (message, refused) if refused else None

    def _rows(self, table: str, rows: list[Any]) -> tuple[str, list[Any]] | None:
        paths = PARENTS.get(table)
        if paths is None:
            return None  # a table without a nämnd (none today besides FREE_TABLES)
        namnder = self.resolver.namnder(table, rows)
        if table in PARENT_TABLES:  # children loaded later resolve from the cache
            self.resolver.cache.update(
                ((table, row.id), namnd) for row, namnd in zip(rows, namnder, strict=True)
            )
        roles = self.roles()
        refused = [row for row, namnd in zip(rows, namnder, strict=True) if namnd not in roles]
        if not refused:
            return None
        first = namnder[rows.index(refused[0])]
        return self.denied(first), refused

    def _grants(self, rows: list[UserRoleRow]) -> tuple[str, list[Any]] | None:
        roles = self.roles()
        refused = [
            row
            for row in rows
            if row.email != self.identity.email
            and roles.get(row.namnd_id) is not Role.ADMINISTRATOR
        ]
        if not refused:
            return None
        name = self.resolver.name(refused[0].namnd_id)
        return (
            f"Du har inte behörighet att se behörigheterna i {name}: det kräver rollen "
            f"{Role.ADMINISTRATOR.value}.",
            refused,
        )

    def denied(self, namnd_id: int | None) -> str:
        return (
            f"Du har inte behörighet att läsa i {self.resolver.name(namnd_id)}: det kräver "
            f"minst rollen {Role.LASARE.value}."
        )
