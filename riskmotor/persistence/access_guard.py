"""The server-side check of every change against the roles per nämnd (issue 14).

:class:`AccessGuard` listens to its session's ``before_flush``: every new, changed or
deleted ORM row is traced to its nämnd (risk → analysis → nämnd, plan rows → plan →
nämnd, …) and refused with :class:`AccessDeniedError` unless the identity holds the role
the table needs there. Checking rows rather than service functions means a new use case
is covered without anyone remembering to add a check; side effects that are not rows (a
file written by an export, a bulk insert past the ORM) call :meth:`AccessGuard.require`.

Whether anything is checked is decided lazily, once per transaction: a logged-in identity
is always checked; any other identity only once the database is shared (it has a granted
role). In local mode nothing is checked, as before login existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import Table, event, inspect, select
from sqlalchemy.orm import Session

from riskmotor.domain.access import Identity, IdentityKind, Role
from riskmotor.domain.models import UnitKind
from riskmotor.errors import AccessDeniedError
from riskmotor.persistence.orm import Base, OrgUnitRow, ParticipantRow, UserRoleRow
from riskmotor.persistence.read_access import PARENTS, NamndResolver, ReadGuard

# Written by the system on behalf of every change; never a user's own action.
UNCHECKED_TABLES = frozenset({"audit_log", "audit_chain", "installation_setting"})
# The role a change to a table needs; every other table needs REDAKTOR. Votes are
# special: see AccessGuard._check_vote.
TABLE_ROLES = {"user_role": Role.ADMINISTRATOR, "org_unit": Role.ADMINISTRATOR}
NAMND_KIND = UnitKind.NAMND.value
SHARED_LOCAL = (
    "Databasen är delad: logga in för att ändra något (utan inloggning kan du bara läsa)."
)
SHARED_COMMAND_LINE = (
    "Kommandoraden ändrar bara data i en delad databas med --as E-POST för en användare "
    "med rätt roll."
)
OWN_VOTES_ONLY = "Du kan bara ändra dina egna röster."


def _table(obj: Any) -> str:
    return str(inspect(obj).mapper.local_table.name)


class AccessGuard:
    """Checks the changes of one session (one unit of work) against one identity's roles."""

    def __init__(self, session: Session, identity: Identity) -> None:
        self.session = session
        self.identity = identity
        self._enforced: bool | None = None
        self._roles: dict[int, Role] | None = None
        self._namnd_of: dict[tuple[str, int], int | None] = {}
        self._first_administrator: int | None = None
        self._classes = {
            m.local_table.name: m.class_
            for m in Base.registry.mappers
            if isinstance(m.local_table, Table)
        }
        event.listen(session, "before_flush", self._before_flush)
        # Reads are checked for logged-in identities only; local mode and the command line
        # read freely (as decided for issue 14).
        self.reads: ReadGuard | None = None
        if identity.kind is IdentityKind.LOGIN:
            resolver = NamndResolver(session, self._namnd_of)
            self.reads = ReadGuard(session, identity, resolver, self.roles)

    # what the identity may do ----------------------------------------------------------
    @property
    def enforced(self) -> bool:
        """Whether changes are checked: always with login, else once the database is shared."""
        if self._enforced is None:
            self._enforced = self.identity.kind is IdentityKind.LOGIN or self.shared()
        return self._enforced

    def shared(self) -> bool:
        found = self.session.scalar(select(UserRoleRow.id).limit(1))
        return found is not None

    def roles(self) -> dict[int, Role]:
        """The identity's role in each nämnd where it has one (none without an e-mail)."""
        if self._roles is None:
            # Queried even without an e-mail (matching nothing): one read, one transaction.
            email = self.identity.email or ""
            rows = self.session.execute(
                select(UserRoleRow.namnd_id, UserRoleRow.role).where(UserRoleRow.email == email)
            ).all()
            self._roles = {namnd_id: Role(role) for namnd_id, role in rows}
        return self._roles

    def readable_namnd_ids(self) -> set[int] | None:
        """The nämnder a logged-in identity may see; None when reads are not limited."""
        if self.identity.kind is not IdentityKind.LOGIN:
            return None
        return set(self.roles())

    def grant_scope(self) -> tuple[str, set[int]] | None:
        """Whose grants a logged-in identity may see: its own (by e-mail) and every grant
        of the nämnder it administers; None when reads are not limited."""
        if self.reads is None:
            return None
        administered = {n for n, role in self.roles().items() if role is Role.ADMINISTRATOR}
        return self.identity.email or "", administered

    def allow_first_administrator(self, namnd_id: int) -> None:
        """Let this transaction grant the administrator role in a nämnd that has none
        (the documented first step, ``riskmotor users grant``)."""
        self._first_administrator = namnd_id

    def require(self, role: Role, namnd_id: int | None) -> None:
        """Refuse unless the identity holds ``role`` in ``namnd_id`` (None: in any nämnd).

        ``Role.LASARE`` is a read: checked for logged-in identities only."""
        if not self.enforced or (role is Role.LASARE and self.reads is None):
            return
        self._refuse_unauthenticated()
        held = self._held(namnd_id)
        if held is None or not held.allows(role):
            raise AccessDeniedError(self._denied(role, namnd_id, held))

    # the flush check -------------------------------------------------------------------
    def _before_flush(self, session: Session, _context: object, _instances: object) -> None:
        changed = [
            obj
            for obj in (*session.new, *session.dirty, *session.deleted)
            if _table(obj) not in UNCHECKED_TABLES
            and (obj not in session.dirty or session.is_modified(obj))
        ]
        if changed and self.enforced:
            with self._quietly():
                for obj in changed:
                    self._check(obj)

    def _quietly(self) -> AbstractContextManager[None]:
        """The write check's own lookups are not reads to check (see ReadGuard.quietly)."""
        return self.reads.quietly() if self.reads is not None else nullcontext()

    def _check(self, obj: Any) -> None:
        table = _table(obj)
        if self._is_first_administrator(obj):
            return
        self._refuse_unauthenticated()
        for namnd_id in self._namnder_of(obj, table):
            if table == "vote":
                self._check_vote(obj, namnd_id)
            else:
                self.require(TABLE_ROLES.get(table, Role.REDAKTOR), namnd_id)

    def _check_vote(self, vote: Any, namnd_id: int | None) -> None:
        """A redaktör records anyone's vote (the facilitator); a deltagare only their own."""
        held = self._held(namnd_id)
        if held is not None and held.allows(Role.REDAKTOR):
            return
        if held is None or not held.allows(Role.DELTAGARE):
            raise AccessDeniedError(self._denied(Role.DELTAGARE, namnd_id, held))
        participant = self.session.get(ParticipantRow, vote.participant_id)
        email = participant.email if participant is not None else None
        if email is None or email != self.identity.email:
            raise AccessDeniedError(OWN_VOTES_ONLY)

    def _is_first_administrator(self, obj: Any) -> bool:
        return (
            isinstance(obj, UserRoleRow)
            and self._first_administrator is not None
            and obj.namnd_id == self._first_administrator
            and obj.role == Role.ADMINISTRATOR.value
            and obj in self.session.new
        )

    def _refuse_unauthenticated(self) -> None:
        if self.identity.kind is IdentityKind.LOCAL:
            raise AccessDeniedError(SHARED_LOCAL)
        if self.identity.kind is IdentityKind.COMMAND_LINE and not self.identity.email:
            raise AccessDeniedError(SHARED_COMMAND_LINE)

    def _held(self, namnd_id: int | None) -> Role | None:
        roles = self.roles()
        if namnd_id is not None:
            return roles.get(namnd_id)
        return max(roles.values(), key=lambda role: role.rank, default=None)

    def _denied(self, needed: Role, namnd_id: int | None, held: Role | None) -> str:
        if namnd_id is None:
            has = f"du har {held.value}" if held else "du har ingen roll"
            return (
                "Du har inte behörighet att göra detta: det kräver rollen "
                f"{needed.value} i någon nämnd, {has}."
            )
        has = f"du har {held.value}" if held else "du har ingen roll där"
        unit = self.session.get(OrgUnitRow, namnd_id)
        name = unit.name if unit is not None else f"nämnden {namnd_id}"
        if needed is Role.LASARE:
            return (
                f"Du har inte behörighet att läsa i {name}: det kräver minst rollen {needed.value}."
            )
        return (
            f"Du har inte behörighet att ändra i {name}: det kräver rollen {needed.value}, {has}."
        )

    # tracing a row to its nämnd ----------------------------------------------------------
    def _namnder_of(self, obj: Any, table: str) -> set[int | None]:
        """The nämnd of the row, and the nämnd it had when a link column was changed."""
        if table == "org_unit":
            return {self._unit_namnd(obj)}
        found: set[int | None] = set()
        for column, parent in PARENTS.get(table, ()):
            for value in _current_and_former(obj, column):
                found.add(self._walk(parent, value))
            if found - {None}:
                return found - {None}
        return found or {None}

    def _walk(self, table: str, item_id: int | None) -> int | None:
        if item_id is None:
            return None
        if table == "org_unit":
            return self._unit_namnd_by_id(item_id)
        key = (table, item_id)
        if key not in self._namnd_of:
            row = self.session.get(self._classes[table], item_id)
            self._namnd_of[key] = None if row is None else self._row_namnd(row, table)
        return self._namnd_of[key]

    def _row_namnd(self, row: Any, table: str) -> int | None:
        for column, parent in PARENTS.get(table, ()):
            namnd_id = self._walk(parent, getattr(row, column))
            if namnd_id is not None:
                return namnd_id
        return None

    def _unit_namnd_by_id(self, unit_id: int) -> int | None:
        key = ("org_unit", unit_id)
        if key not in self._namnd_of:
            self._namnd_of[key] = self._unit_namnd(self.session.get(OrgUnitRow, unit_id))
        return self._namnd_of[key]

    def _unit_namnd(self, unit: OrgUnitRow | None) -> int | None:
        """The nämnd a unit is or lies under; None for a kommun or a nämnd not stored yet."""
        while unit is not None:
            if unit.kind == NAMND_KIND:
                return unit.id
            unit = self.session.get(OrgUnitRow, unit.parent_id) if unit.parent_id else None
        return None


def _current_and_former(obj: Any, column: str) -> Iterable[int | None]:
    """The column's value now, and its stored value if this flush changes it."""
    history = inspect(obj).attrs[column].history
    return [*history.unchanged, *history.added, *history.deleted] or [getattr(obj, column)]
