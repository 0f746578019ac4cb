"""Who acts, and what a role per nämnd allows: the vocabulary of access control.

An :class:`Identity` is who a unit of work acts for; its :attr:`Identity.audit_name` is the
audit log's "who". In local mode (one person, one machine, no login) the name is chosen by
the user; with login it comes from the identity provider and nobody can type it; on the
command line it is the operating-system user, marked as unauthenticated unless ``--as``
names a user with a role.

Roles are granted per nämnd and ordered: each role may do everything the roles below it
may do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator


class Role(StrEnum):
    LASARE = "läsare"
    DELTAGARE = "deltagare"
    REDAKTOR = "redaktör"
    ADMINISTRATOR = "administratör"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def allows(self, needed: Role) -> bool:
        """Whether someone with this role may do what ``needed`` may do."""
        return self.rank >= needed.rank


_RANKS = {Role.LASARE: 1, Role.DELTAGARE: 2, Role.REDAKTOR: 3, Role.ADMINISTRATOR: 4}

# What each role is for, as the Behörigheter page and the CLI explain it.
ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.LASARE: "läser nämndens riskanalyser, planer, egenkontroller och avvikelser",
    Role.DELTAGARE: "bedömer riskerna i analyser där hen är deltagare (bara sina egna röster)",
    Role.REDAKTOR: "arbetar med risker, internkontrollplan, egenkontroll, avvikelser och export",
    Role.ADMINISTRATOR: "delar ut behörigheter och ändrar organisation och kataloger",
}


class IdentityKind(StrEnum):
    LOCAL = "lokal"  # local mode: one person on one machine, no login
    LOGIN = "inloggad"  # authenticated by the municipality's identity provider
    COMMAND_LINE = "kommandorad"  # the CLI: the OS user, optionally acting --as a user


@dataclass(frozen=True)
class Identity:
    """The person a unit of work acts for."""

    name: str
    kind: IdentityKind = IdentityKind.LOCAL
    email: str | None = None
    subject: str | None = None  # the identity provider's stable id ("sub")

    @classmethod
    def local(cls, name: str) -> Identity:
        return cls(name=name.strip() or "okänd användare")

    @classmethod
    def login(cls, *, subject: str, name: str, email: str) -> Identity:
        return cls(
            name=name.strip() or email,
            kind=IdentityKind.LOGIN,
            email=normalise_email(email),
            subject=subject,
        )

    @classmethod
    def command_line(cls, os_user: str, acting_as: str | None = None) -> Identity:
        email = normalise_email(acting_as) if acting_as else None
        return cls(name=os_user, kind=IdentityKind.COMMAND_LINE, email=email)

    @property
    def audit_name(self) -> str:
        """The audit log's "who": unmistakable about how the person was identified."""
        if self.kind is IdentityKind.LOGIN:
            return f"{self.name} <{self.email}>"
        if self.kind is IdentityKind.COMMAND_LINE:
            acting = f" som {self.email}" if self.email else ""
            return f"kommandorad: {self.name}{acting}"
        return self.name


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively (the domain part always does)."""
    return email.strip().casefold()


def checked_email(email: str) -> str:
    """The normalised address; ValueError (Swedish) when it cannot be an e-mail address."""
    normalised = normalise_email(email)
    local, at, domain = normalised.partition("@")
    if not (local and at and domain) or "@" in domain or any(c.isspace() for c in normalised):
        raise ValueError(f"{email.strip() or 'tom'} är ingen giltig e-postadress")
    return normalised


def role_named(text: str) -> Role:
    """The role called ``text`` (as the CLI and the page write it); ValueError otherwise."""
    wanted = text.strip().casefold()
    for role in Role:
        if role.value == wanted:
            return role
    choices = ", ".join(role.value for role in Role)
    raise ValueError(f"{text.strip() or 'tom'} är ingen roll; välj {choices}")


class UserRole(BaseModel):
    """One person's role in one nämnd (a grant)."""

    model_config = ConfigDict(validate_assignment=True)

    id: int | None = None
    version: int = 0
    email: str
    namnd_id: int
    role: Role
    granted_by: str
    granted_at: datetime

    _email = field_validator("email")(checked_email)
