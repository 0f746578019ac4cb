"""Use cases of access control: roles per nämnd (issue 14).

Granting and revoking roles are ordinary row changes, so the unit of work's access guard
checks them like any other: only an administrator of the nämnd may change its roles. The
one exception is the first administrator of a nämnd, set from the command line
(``riskmotor users grant``) by whoever runs riskmotor on the server.
"""

from __future__ import annotations

from datetime import UTC

from pydantic import ValidationError

from riskmotor.domain.access import IdentityKind, Role, UserRole, normalise_email
from riskmotor.domain.models import OrgUnit, UnitKind
from riskmotor.errors import AccessDeniedError, InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.access import Grant

FIRST_ADMINISTRATOR_BY_CLI = (
    "Den första administratören för en nämnd utses på servern med kommandot riskmotor users grant."
)


def grant(uow: UnitOfWork, *, email: str, role: Role, namnd_id: int) -> Grant:
    """Give ``email`` the role ``role`` in the nämnd (replacing the role it had there)."""
    with uow:
        granted = _grant(uow, _put(uow, email, role, namnd_id))
        uow.commit()
        return granted


def bootstrap_administrator(uow: UnitOfWork, *, email: str, namnd_id: int) -> Grant:
    """Make ``email`` administrator of the nämnd; allowed to anyone on the server (not to a
    logged-in user) while the nämnd has no administrator, else only to its administrators."""
    with uow:
        namnd = _namnd(uow, namnd_id)
        if not uow.user_roles.has_administrator(namnd_id):
            if uow.identity.kind is IdentityKind.LOGIN:
                raise AccessDeniedError(
                    f"{namnd.name} har ingen administratör än. {FIRST_ADMINISTRATOR_BY_CLI}"
                )
            uow.access.allow_first_administrator(namnd_id)
        granted = _grant(uow, _put(uow, email, Role.ADMINISTRATOR, namnd_id))
        uow.commit()
        return granted


def revoke(uow: UnitOfWork, *, email: str, namnd_id: int) -> Grant:
    """Take away the role ``email`` has in the nämnd; returns what was removed."""
    with uow:
        found = uow.user_roles.find(normalise_email(email), namnd_id)
        if found is None or found.id is None:
            namnd = _namnd(uow, namnd_id)
            raise NotFoundError(f"{email.strip()} har ingen roll i {namnd.name}.")
        removed = _grant(uow, found)
        uow.user_roles.delete(found.id, found.version)
        uow.commit()
        return removed


def list_grants(uow: UnitOfWork, namnd_id: int | None = None) -> list[Grant]:
    """Every granted role (of one nämnd, or of all), by nämnd and e-mail; a logged-in user
    sees their own grants and those of the nämnder they administer."""
    with uow:
        listed = uow.user_roles.listing(namnd_id, uow.access.grant_scope())
        return [_grant(uow, stored) for stored in listed]


def my_roles(uow: UnitOfWork) -> dict[int, Role]:
    """The role the acting identity holds in each nämnd (by nämnd id)."""
    with uow:
        return uow.roles()


def is_shared(uow: UnitOfWork) -> bool:
    """Whether the database is shared (has granted roles): then every change is checked."""
    with uow:
        return uow.user_roles.any_granted()


def _put(tx: UnitOfWork, email: str, role: Role, namnd_id: int) -> UserRole:
    """Insert or replace the role of ``email`` in the nämnd (in ``tx``)."""
    _namnd(tx, namnd_id)
    try:
        wanted = UserRole(
            email=email,
            namnd_id=namnd_id,
            role=role,
            granted_by=tx.actor,
            granted_at=tx.clock.now(),
        )
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise InvalidInputError(f"{message[:1].upper()}{message[1:]}.") from None
    existing = tx.user_roles.find(wanted.email, namnd_id)
    if existing is not None and existing.role is role:
        return existing
    return tx.user_roles.put(wanted, existing)


def _namnd(tx: UnitOfWork, namnd_id: int) -> OrgUnit:
    unit = tx.units.get(namnd_id)
    if unit.kind is not UnitKind.NAMND:
        raise InvalidInputError(f"{unit.name} är ingen nämnd; roller ges per nämnd.")
    return unit


def _grant(tx: UnitOfWork, stored: UserRole) -> Grant:
    return Grant(
        email=stored.email,
        namnd_id=stored.namnd_id,
        namnd=tx.units.get(stored.namnd_id).name,
        role=stored.role,
        granted_by=stored.granted_by,
        # SQLite keeps no zone; what was stored is the clock's UTC.
        granted_at=stored.granted_at
        if stored.granted_at.tzinfo
        else stored.granted_at.replace(tzinfo=UTC),
        version=stored.version,
    )
