"""Behörigheter in Streamlit's AppTest: an administrator gives and takes away roles.

The login is simulated the way Streamlit's own tests do it: an [auth] section in the
secrets and a logged-in ``st.user``; the page and the services run for real against SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from riskmotor.domain.access import Identity, Role
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import access, demo

PAGE = str(Path(__file__).resolve().parents[2] / "streamlit_app" / "views" / "behorigheter.py")
AUTH = {
    "redirect_uri": "http://127.0.0.1:8621/oauth2callback",
    "cookie_secret": "testhemlighet-för-kakan",
    "client_id": "riskmotor",
    "client_secret": "hemligt",
    "server_metadata_url": "http://127.0.0.1:9621/.well-known/openid-configuration",
}
ADMIN = "admin@exempel.se"
READER = "lasare@exempel.se"
UowFor = Callable[..., UnitOfWork]


@pytest.fixture
def namnd_id(demo_data: demo.DemoResult, uow_for: UowFor) -> int:
    """The demo nämnd with an administrator (set from the command line) and a läsare."""
    server = Identity.command_line("root")
    access.bootstrap_administrator(uow_for(server), email=ADMIN, namnd_id=demo_data.namnd_id)
    admin = Identity.command_line("root", acting_as=ADMIN)
    access.grant(uow_for(admin), email=READER, role=Role.LASARE, namnd_id=demo_data.namnd_id)
    return demo_data.namnd_id


def logged_in(email: str) -> AppTest:
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.secrets["auth"] = AUTH
    page.user = {"is_logged_in": True, "sub": f"sub-{email}", "email": email, "name": email}
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    return page


def errors(page: AppTest) -> list[str]:
    return [str(element.value) for element in page.error]


def submit(page: AppTest) -> None:
    page.button(key="FormSubmitter:ny_behorighet-Ge rollen").click().run()
    assert not page.exception, [e.value for e in page.exception]


def grants_of(uow_for: UowFor, namnd_id: int) -> dict[str, Role]:
    return {grant.email: grant.role for grant in access.list_grants(uow_for(), namnd_id)}


def test_an_empty_form_names_every_missing_field(namnd_id: int, uow_for: UowFor) -> None:
    page = logged_in(ADMIN)
    submit(page)
    assert errors(page) == [
        "Nämnd: fältet måste fyllas i.",
        "E-post: fältet måste fyllas i.",
        "Roll: fältet måste fyllas i.",
    ]
    assert grants_of(uow_for, namnd_id) == {ADMIN: Role.ADMINISTRATOR, READER: Role.LASARE}


def test_an_address_that_is_no_email_is_refused_before_saving(
    namnd_id: int, uow_for: UowFor
) -> None:
    page = logged_in(ADMIN)
    page.selectbox(key="grant_namnd").select_index(0)
    page.text_input(key="grant_email").input("anna.lindqvist")
    page.selectbox(key="grant_role").select(Role.DELTAGARE)
    submit(page)
    assert errors(page) == ["E-post: anna.lindqvist är ingen giltig e-postadress."]
    assert "anna.lindqvist" not in grants_of(uow_for, namnd_id)


def test_an_administrator_gives_a_role(namnd_id: int, uow_for: UowFor) -> None:
    page = logged_in(ADMIN)
    page.selectbox(key="grant_namnd").select_index(0)
    page.text_input(key="grant_email").input("Sara.Ahmed@Exempel.se")
    page.selectbox(key="grant_role").select(Role.REDAKTOR)
    submit(page)
    assert errors(page) == []
    assert grants_of(uow_for, namnd_id)["sara.ahmed@exempel.se"] is Role.REDAKTOR
    shown = page.dataframe[0].value
    assert "sara.ahmed@exempel.se" in shown["E-post"].tolist()
    granted_by = shown.loc[shown["E-post"] == "sara.ahmed@exempel.se"].iloc[0, 3]
    assert granted_by == f"{ADMIN} <{ADMIN}>"  # the logged-in administrator, not typed


def test_a_role_is_taken_away_only_after_confirming(namnd_id: int, uow_for: UowFor) -> None:
    page = logged_in(ADMIN)
    box = page.selectbox(key="revoke_grant")
    box.select(next(option for option in box.options if option.startswith(READER))).run()
    assert READER in grants_of(uow_for, namnd_id), "choosing alone must not remove the role"
    page.button(key="revoke_confirm").click().run()
    assert not page.exception
    assert READER not in grants_of(uow_for, namnd_id)


def test_a_reader_gets_no_form(namnd_id: int) -> None:
    page = logged_in(READER)
    assert [button.label for button in page.button] == []
    info = " ".join(str(element.value) for element in page.info)
    assert "Bara en administratör" in info and "läsare i Socialnämnden" in info


def test_local_mode_explains_where_roles_come_from(demo_data: demo.DemoResult) -> None:
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.run()
    assert not page.exception
    assert "riskmotor users grant" in page.info[0].value
    assert not any(button.label == "Ge rollen" for button in page.button)
