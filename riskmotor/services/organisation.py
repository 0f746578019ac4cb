"""Use cases for the organisation tree: kommun → nämnd → förvaltning → avdelning → enhet."""

from __future__ import annotations

from riskmotor.domain.models import PARENT_KIND, OrgUnit, UnitKind
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork


def ensure_unit(tx: UnitOfWork, name: str, kind: UnitKind, parent_id: int | None) -> OrgUnit:
    """The unit with this name under ``parent_id``, created when missing (in ``tx``).

    Two first starts may race to create the same unit; the database's unique index on the
    tree (including root units) makes the loser's insert fail, and the caller retries its
    transaction, which then finds the winner's unit here.
    """
    existing = tx.units.find(name.strip(), kind, parent_id)
    if existing:
        return existing
    _check_parent(tx, kind, parent_id)
    return tx.units.add(OrgUnit(name=name, kind=kind, parent_id=parent_id))


def _check_parent(tx: UnitOfWork, kind: UnitKind, parent_id: int | None) -> None:
    expected_parent = PARENT_KIND[kind]
    if expected_parent is None:
        return
    if parent_id is None:
        raise InvalidInputError(f"En {kind.value} måste höra till en {expected_parent.value}.")
    parent = tx.units.get(parent_id)
    if parent.kind != expected_parent:
        raise InvalidInputError(
            f"En {kind.value} kan inte ligga under en {parent.kind.value}; "
            f"den ska ligga under en {expected_parent.value}."
        )


def namnd_by_name(tx: UnitOfWork, name: str) -> OrgUnit:
    """The nämnd called ``name`` (in ``tx``); NotFoundError when there is none."""
    matches = [unit for unit in tx.units.of_kind(UnitKind.NAMND) if unit.name == name]
    if not matches:
        raise NotFoundError(
            f"Nämnden {name!r} finns inte. Skapa den först (till exempel med demo)."
        )
    return matches[0]


def create_namnd(uow: UnitOfWork, kommun: str, namnd: str) -> OrgUnit:
    with uow:
        municipality = ensure_unit(uow, kommun, UnitKind.KOMMUN, None)
        committee = ensure_unit(uow, namnd, UnitKind.NAMND, municipality.id)
        uow.commit()
        return committee


def list_namnder(uow: UnitOfWork) -> list[OrgUnit]:
    """The nämnder; for a logged-in user only those where they have a role."""
    with uow:
        readable = uow.access.readable_namnd_ids()
        return [
            unit
            for unit in uow.units.of_kind(UnitKind.NAMND)
            if readable is None or unit.id in readable
        ]


def namnd_named(uow: UnitOfWork, name: str) -> OrgUnit:
    """The nämnd called ``name`` (a use case of its own, for the CLI)."""
    with uow:
        return namnd_by_name(uow, name)


def units_below(uow: UnitOfWork, root_id: int, kind: UnitKind) -> list[OrgUnit]:
    """All units of ``kind`` anywhere below ``root_id``, in tree order."""
    with uow:
        return _descendants(uow, root_id, kind)


def _descendants(tx: UnitOfWork, root_id: int, kind: UnitKind) -> list[OrgUnit]:
    found: list[OrgUnit] = []
    for child in tx.units.children(root_id):
        if child.kind == kind:
            found.append(child)
        assert child.id is not None
        found.extend(_descendants(tx, child.id, kind))
    return found
