"""Roles per nämnd (user_role): who may do what; audited like every other row."""

from __future__ import annotations

from sqlalchemy import exists, or_, select

from riskmotor.domain.access import Role, UserRole
from riskmotor.persistence.orm import UserRoleRow
from riskmotor.persistence.repositories.base import Repository


class UserRoleRepository(Repository[UserRole, UserRoleRow]):
    entity = "user_role"
    domain_type = UserRole
    row_type = UserRoleRow
    summary_field = "email"

    def find(self, email: str, namnd_id: int) -> UserRole | None:
        found = self._all(
            select(UserRoleRow).where(UserRoleRow.email == email, UserRoleRow.namnd_id == namnd_id)
        )
        return found[0] if found else None

    def for_email(self, email: str) -> list[UserRole]:
        return self._all(
            select(UserRoleRow).where(UserRoleRow.email == email).order_by(UserRoleRow.namnd_id)
        )

    def listing(
        self, namnd_id: int | None = None, visible_to: tuple[str, set[int]] | None = None
    ) -> list[UserRole]:
        """Grants by nämnd and e-mail; ``visible_to`` (e-mail, administered nämnder) narrows
        them to that person's own grants and the grants of the nämnder they administer."""
        query = select(UserRoleRow).order_by(UserRoleRow.namnd_id, UserRoleRow.email)
        if namnd_id is not None:
            query = query.where(UserRoleRow.namnd_id == namnd_id)
        if visible_to is not None:
            email, administered = visible_to
            query = query.where(
                or_(UserRoleRow.email == email, UserRoleRow.namnd_id.in_(administered))
            )
        return self._all(query)

    def any_granted(self) -> bool:
        """Whether the database is shared: at least one role has been granted."""
        return bool(self.session.scalar(select(exists().select_from(UserRoleRow))))

    def has_administrator(self, namnd_id: int) -> bool:
        query = select(
            exists().where(
                UserRoleRow.namnd_id == namnd_id,
                UserRoleRow.role == Role.ADMINISTRATOR.value,
            )
        )
        return bool(self.session.scalar(query))
