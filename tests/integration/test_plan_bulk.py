"""Plan work in bulk: the catalog's suggestions for every risk at once, and a risk's
kontrollmoment and åtgärder saved as a table (many rows, one save, all or nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import PlanAction, PlanControl, PlanFrozenError
from riskmotor.errors import ConflictError, InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import PlanView
from riskmotor.services import demo, plan, workshop

UowFactory = Callable[..., UnitOfWork]


@pytest.fixture
def proposed(uow_factory: UowFactory, catalog: Catalog) -> PlanView:
    ids = demo.load_demo(uow_factory(), catalog)
    created = plan.propose(uow_factory(), catalog, ids.namnd_id, 2027)
    return plan.view(uow_factory(), catalog, created.id or 0)


def _reread(uow_factory: UowFactory, catalog: Catalog, proposed: PlanView) -> PlanView:
    return plan.view(uow_factory(), catalog, proposed.plan.id or 0)


def _controls(uow_factory: UowFactory, plan_risk_id: int) -> list[PlanControl]:
    with uow_factory() as tx:
        return tx.plan_controls.for_plan_risks([plan_risk_id])


def _actions(uow_factory: UowFactory, plan_risk_id: int) -> list[PlanAction]:
    with uow_factory() as tx:
        return tx.plan_actions.for_plan_risks([plan_risk_id])


# the catalog's suggestions ----------------------------------------------------------------


def test_suggestions_fill_every_included_risk_without_controls(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    first, *rest = proposed.included
    own = plan.add_control(
        uow_factory(),
        {
            "plan_risk_id": first.plan_risk.id,
            "control_activity": "Egen kontroll",
            "control_method": "genomgång",
            "frequency": "år",
        },
    )
    added = plan.add_catalog_suggestions(uow_factory(), catalog, proposed.plan.id or 0)

    after = _reread(uow_factory, catalog, proposed)
    expected = sum(len(plan.suggested_controls(catalog, i.risk)) for i in rest)
    assert added == expected > 0
    assert all(item.controls for item in after.included)
    # A risk that already had a kontrollmoment keeps exactly its own.
    assert [c.id for c in after.included[0].controls] == [own.id]
    # Risks left out of the plan get nothing.
    assert all(not item.controls for item in after.risks if not item.plan_risk.included)
    # A second click finds nothing left to add.
    assert plan.add_catalog_suggestions(uow_factory(), catalog, proposed.plan.id or 0) == 0


def test_suggestions_skip_risks_written_by_hand(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    own = workshop.add_risk(
        uow_factory(),
        catalog,
        {
            "analysis_id": proposed.plan.analysis_id,
            "title": "Egen risk utan mall",
            "description": "Skriven i workshopen",
            "inherent_likelihood": 4,
            "inherent_consequence": 4,
        },
    )
    plan.propose(uow_factory(), catalog, proposed.plan.namnd_id, proposed.plan.year)
    plan.add_catalog_suggestions(uow_factory(), catalog, proposed.plan.id or 0)
    after = _reread(uow_factory, catalog, proposed)
    handwritten = next(i for i in after.included if i.risk.id == own.id)
    assert handwritten.controls == []
    assert all(i.controls for i in after.included if i.risk.id != own.id)


def test_suggestions_are_refused_for_an_adopted_plan(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    workshop.confirm_all(uow_factory(), catalog, proposed.plan.analysis_id)
    plan.add_catalog_suggestions(uow_factory(), catalog, proposed.plan.id or 0)
    for item in _reread(uow_factory, catalog, proposed).included:
        for control in item.controls:
            plan.update_control(
                uow_factory(), control.model_copy(update={"responsible": "A", "timing": "T1"})
            )
    plan.approve(uow_factory(), catalog, proposed.plan.id or 0, date(2027, 1, 20), "§ 1", "SN 1")
    with pytest.raises(PlanFrozenError, match="fastställd"):
        plan.add_catalog_suggestions(uow_factory(), catalog, proposed.plan.id or 0)


# one kontrollmoment or åtgärd: Swedish messages, never a pydantic error ---------------------


def test_an_empty_kontrollmoment_is_refused_in_swedish(
    uow_factory: UowFactory, proposed: PlanView
) -> None:
    plan_risk_id = proposed.included[0].plan_risk.id
    with pytest.raises(InvalidInputError) as refused:
        plan.add_control(
            uow_factory(),
            {
                "plan_risk_id": plan_risk_id,
                "control_activity": "  ",
                "control_method": None,
                "frequency": "tertial",
            },
        )
    message = str(refused.value)
    assert "Kontrollmoment: fältet måste fyllas i." in message
    assert "Kontrollmetod: välj stickprov" in message
    assert "String should" not in message and "control_activity" not in message
    assert _controls(uow_factory, plan_risk_id or 0) == []


def test_an_empty_atgard_is_refused_in_swedish(uow_factory: UowFactory, proposed: PlanView) -> None:
    plan_risk_id = proposed.included[0].plan_risk.id
    with pytest.raises(InvalidInputError, match=r"^Åtgärd: fältet måste fyllas i\.$"):
        plan.add_action(uow_factory(), {"plan_risk_id": plan_risk_id, "what": ""})


# tables ---------------------------------------------------------------------------------


def _row(activity: str, responsible: str = "Enhetschef", **more: object) -> dict[str, object]:
    return {
        "control_activity": activity,
        "control_method": "stickprov",
        "frequency": "tertial",
        "responsible": responsible,
        "timing": "T1",
        **more,
    }


def test_a_table_save_adds_changes_and_deletes_in_one_go(
    uow_factory: UowFactory, proposed: PlanView
) -> None:
    plan_risk_id = proposed.included[0].plan_risk.id or 0
    plan.save_controls(uow_factory(), plan_risk_id, [_row("A"), _row("B"), _row("C")], {})
    a, b, c = _controls(uow_factory, plan_risk_id)
    shown = {x.id or 0: x.version for x in (a, b, c)}

    saved = plan.save_controls(
        uow_factory(),
        plan_risk_id,
        [
            {**_row("A"), "id": a.id},  # unchanged
            {**_row("B", "Socialchef"), "id": b.id},  # changed; C deleted
            _row("D"),  # new
        ],
        shown,
    )
    assert (saved.added, saved.changed, saved.deleted) == (1, 1, 1)
    after = _controls(uow_factory, plan_risk_id)
    assert [(x.control_activity, x.responsible) for x in after] == [
        ("A", "Enhetschef"),
        ("B", "Socialchef"),
        ("D", "Enhetschef"),
    ]
    assert after[0].version == a.version  # an unchanged row is not written


def test_one_invalid_row_saves_nothing_and_names_row_and_column(
    uow_factory: UowFactory, proposed: PlanView
) -> None:
    plan_risk_id = proposed.included[0].plan_risk.id or 0
    with pytest.raises(InvalidInputError) as refused:
        plan.save_controls(
            uow_factory(),
            plan_risk_id,
            [_row("Giltig"), _row(""), _row("Ogiltig frekvens", frequency="varannan vecka")],
            {},
        )
    message = str(refused.value)
    assert "Inget har sparats." in message
    assert "Rad 2, Kontrollmoment: fältet måste fyllas i." in message
    assert "Rad 3, Frekvens: välj månad, tertial, halvår eller år." in message
    assert "Rad 1" not in message
    assert _controls(uow_factory, plan_risk_id) == []


def test_an_action_table_checks_dates_by_row(uow_factory: UowFactory, proposed: PlanView) -> None:
    plan_risk_id = proposed.included[0].plan_risk.id or 0
    with pytest.raises(InvalidInputError, match=r"Rad 1, Klart senast: skriv ett datum"):
        plan.save_actions(
            uow_factory(), plan_risk_id, [{"what": "Utbildning", "due_date": "31/3"}], {}
        )
    saved = plan.save_actions(
        uow_factory(),
        plan_risk_id,
        [{"what": "Utbildning", "owner": "Sara", "due_date": date(2027, 3, 31)}],
        {},
    )
    assert saved.added == 1
    (stored,) = _actions(uow_factory, plan_risk_id)
    assert (stored.what, stored.due_date) == ("Utbildning", date(2027, 3, 31))


def test_a_row_someone_else_changed_is_a_conflict_and_nothing_is_saved(
    uow_factory: UowFactory, proposed: PlanView
) -> None:
    plan_risk_id = proposed.included[0].plan_risk.id or 0
    plan.save_controls(uow_factory(), plan_risk_id, [_row("A"), _row("B")], {})
    a, b = _controls(uow_factory, plan_risk_id)
    shown = {a.id or 0: a.version, b.id or 0: b.version}
    plan.update_control(uow_factory("Kollega"), b.model_copy(update={"timing": "T3"}))

    # Changing the row the colleague saved is refused, and so is deleting it.
    with pytest.raises(ConflictError):
        plan.save_controls(
            uow_factory(),
            plan_risk_id,
            [{**_row("A2"), "id": a.id}, {**_row("B2"), "id": b.id}],
            shown,
        )
    with pytest.raises(ConflictError):
        plan.save_controls(uow_factory(), plan_risk_id, [{**_row("A"), "id": a.id}], shown)
    assert [x.control_activity for x in _controls(uow_factory, plan_risk_id)] == ["A", "B"]


def test_a_table_of_an_adopted_plan_cannot_be_saved(
    uow_factory: UowFactory, catalog: Catalog, proposed: PlanView
) -> None:
    workshop.confirm_all(uow_factory(), catalog, proposed.plan.analysis_id)
    for item in proposed.included:
        plan.save_controls(uow_factory(), item.plan_risk.id or 0, [_row("Kontroll")], {})
    plan.approve(uow_factory(), catalog, proposed.plan.id or 0, date(2027, 1, 20), "§ 1", "SN 1")
    with pytest.raises(PlanFrozenError):
        plan.save_actions(
            uow_factory(), proposed.included[0].plan_risk.id or 0, [{"what": "Ny"}], {}
        )
