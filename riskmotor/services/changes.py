"""The database's change counter, which read caches are keyed by."""

from __future__ import annotations

from riskmotor.persistence.uow import UnitOfWork


def change_stamp(uow: UnitOfWork) -> int:
    """A number that grows with every committed change, whoever made it.

    Every change is audit-logged, and the audit chain's head is locked by each writer and
    advanced at commit, so its sequence number orders commits on every instance.
    """
    with uow as tx:
        return tx.audit.head_seq()
