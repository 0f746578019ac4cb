"""``riskmotor plan``: the internkontrollplan from proposal to adoption, versions and follow-up.

Each command calls the plan use cases and prints the plan (or the follow-up report) as it
is afterwards; which plan entry a ``--risk`` means is asked of the service, never searched
for in output.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from riskmotor.cli.common import (
    SwedishGroup,
    db_option,
    json_option,
    namnd_option,
    pass_app,
    year_option,
)
from riskmotor.cli.render import emit, plan_text
from riskmotor.domain.plan import ActionStatus, ControlMethod, FollowupStatus, Frequency, Strategy
from riskmotor.errors import InvalidInputError

if TYPE_CHECKING:
    from riskmotor.bootstrap import App
    from riskmotor.reports.plan import PlanView

day = click.DateTime(formats=["%Y-%m-%d"])


@click.group("plan", cls=SwedishGroup)
def plan_group() -> None:
    """Internkontrollplan: förslag, kontrollmoment, åtgärder, beslut och uppföljning."""


def _show(app: App, view: PlanView, as_json: bool, **extra: Any) -> None:
    data = {**view.to_json(app.clock.today()), **extra}
    emit(data, as_json, lambda: plan_text(view))


def _show_current(app: App, namnd: str, year: int, as_json: bool, **extra: Any) -> None:
    from riskmotor.services import plan

    _show(app, plan.find_plan_view(app.uow(), app.catalog, namnd, year), as_json, **extra)


@plan_group.command("propose")
@db_option
@namnd_option
@year_option
@click.option("--top", "top_n", type=int, default=None, help="Ta bara med de N högsta.")
@json_option
@pass_app
def plan_propose(app: App, namnd: str, year: int, top_n: int | None, as_json: bool) -> None:
    """Skapa eller uppdatera förslaget till internkontrollplan (medan den är utkast)."""
    from riskmotor.services import organisation, plan

    namnd_unit = organisation.namnd_named(app.uow(), namnd)
    plan.propose(app.uow(), app.catalog, namnd_unit.id or 0, year, top_n=top_n)
    _show_current(app, namnd, year, as_json)


@plan_group.command("show")
@db_option
@namnd_option
@year_option
@json_option
@pass_app
def plan_show(app: App, namnd: str, year: int, as_json: bool) -> None:
    """Visa internkontrollplanen med skäl, kontrollmoment och åtgärder."""
    _show_current(app, namnd, year, as_json)


@plan_group.command("add-control")
@db_option
@namnd_option
@year_option
@click.option("--risk", "risk_id", type=int, required=True, help="Riskens id.")
@click.option("--activity", default=None, help="Kontrollmoment. Utelämnas: katalogens förslag.")
@click.option(
    "--method",
    type=click.Choice([m.value for m in ControlMethod]),
    default=None,
    help="Kontrollmetod. Standard: stickprov (eller katalogförslagets).",
)
@click.option(
    "--frequency",
    type=click.Choice([f.value for f in Frequency]),
    default=None,
    help="Frekvens. Standard: tertial (eller katalogförslagets).",
)
@click.option("--responsible", default="", help="Ansvarig.")
@click.option("--reported-to", default="Socialnämnden", show_default=True, help="Rapporteras till.")
@click.option("--timing", default="", help="Tidpunkt.")
@json_option
@pass_app
def plan_add_control(
    app: App,
    namnd: str,
    year: int,
    risk_id: int,
    activity: str | None,
    method: str | None,
    frequency: str | None,
    responsible: str,
    reported_to: str,
    timing: str,
    as_json: bool,
) -> None:
    """Lägg till ett kontrollmoment till en risk i planen.

    Utan --activity används riskmallens första förslag ur katalogen; --method och
    --frequency ersätter då förslagets metod och frekvens.
    """
    from riskmotor.services import plan, workshop

    plan_risk = plan.find_plan_risk(app.uow(), namnd, year, risk_id)
    fields: dict[str, Any] = {
        "control_activity": activity,
        "control_method": ControlMethod.STICKPROV.value,
        "frequency": Frequency.TERTIAL.value,
    }
    if activity is None:
        suggestions = plan.suggested_controls(app.catalog, workshop.get_risk(app.uow(), risk_id))
        if not suggestions:
            raise InvalidInputError("Risken har inget förslag i katalogen; ange --activity.")
        fields = dict(suggestions[0])
    fields |= {k: v for k, v in (("control_method", method), ("frequency", frequency)) if v}
    control = plan.add_control(
        app.uow(),
        {
            **fields,
            "plan_risk_id": plan_risk.id,
            "responsible": responsible,
            "reported_to": reported_to,
            "timing": timing,
        },
    )
    emit(
        control,
        as_json,
        lambda: (
            f"Kontrollmoment {control.id}: {control.control_activity} "
            f"({control.control_method}, {control.frequency})"
        ),
    )


@plan_group.command("add-action")
@db_option
@namnd_option
@year_option
@click.option("--risk", "risk_id", type=int, required=True, help="Riskens id.")
@click.option("--what", required=True, help="Vad som ska göras.")
@click.option("--owner", default="", help="Ansvarig.")
@click.option("--due", type=day, default=None, help="Klart senast (ÅÅÅÅ-MM-DD).")
@click.option("--strategy", type=click.Choice([s.value for s in Strategy]), default=None)
@json_option
@pass_app
def plan_add_action(
    app: App,
    namnd: str,
    year: int,
    risk_id: int,
    what: str,
    owner: str,
    due: datetime | None,
    strategy: str | None,
    as_json: bool,
) -> None:
    """Lägg till en åtgärd i riskens behandlingsplan (och sätt strategin med --strategy)."""
    from riskmotor.services import plan

    plan_risk = plan.find_plan_risk(app.uow(), namnd, year, risk_id)
    if strategy:
        plan.set_treatment(
            app.uow(), app.catalog, plan_risk.id or 0, Strategy(strategy), None, None
        )
    action = plan.add_action(
        app.uow(),
        {
            "plan_risk_id": plan_risk.id,
            "what": what,
            "owner": owner,
            "due_date": due.date() if due else None,
        },
    )
    emit(action, as_json, lambda: f"Åtgärd {action.id}: {action.what}")


@plan_group.command("submit")
@db_option
@namnd_option
@year_option
@click.option("--dnr", default=None, help="Diarienummer för ärendet.")
@json_option
@pass_app
def plan_submit(app: App, namnd: str, year: int, dnr: str | None, as_json: bool) -> None:
    """Skicka planen för beslut: innehållet fryses som nämnden får det."""
    from riskmotor.services import plan

    found = plan.find_plan(app.uow(), namnd, year)
    plan.submit(app.uow(), app.catalog, found.id or 0, dnr)
    _show_current(app, namnd, year, as_json)


@plan_group.command("withdraw")
@db_option
@namnd_option
@year_option
@json_option
@pass_app
def plan_withdraw(app: App, namnd: str, year: int, as_json: bool) -> None:
    """Ta tillbaka planen till utkast (det frysta innehållet blir ogiltigt)."""
    from riskmotor.services import plan

    found = plan.find_plan(app.uow(), namnd, year)
    plan.withdraw(app.uow(), found.id or 0)
    _show_current(app, namnd, year, as_json)


@plan_group.command("approve")
@db_option
@namnd_option
@year_option
@click.option("--date", "decision_date", type=day, required=True, help="Beslutsdatum.")
@click.option("--paragraf", required=True, help="Paragraf i protokollet, till exempel '§ 123'.")
@click.option("--dnr", required=True, help="Diarienummer.")
@json_option
@pass_app
def plan_approve(
    app: App,
    namnd: str,
    year: int,
    decision_date: datetime,
    paragraf: str,
    dnr: str,
    as_json: bool,
) -> None:
    """Registrera nämndens beslut: planen fastställs och låses."""
    from riskmotor.services import plan

    found = plan.find_plan(app.uow(), namnd, year)
    plan.approve(app.uow(), app.catalog, found.id or 0, decision_date.date(), paragraf, dnr)
    _show_current(app, namnd, year, as_json)


@plan_group.command("new-version")
@db_option
@namnd_option
@year_option
@json_option
@pass_app
def plan_new_version(app: App, namnd: str, year: int, as_json: bool) -> None:
    """Skapa en ny version av en fastställd plan (för ändringar under året)."""
    from riskmotor.services import plan

    found = plan.find_plan(app.uow(), namnd, year)
    created = plan.new_version(app.uow(), found.id or 0)
    changes = plan.diff(app.uow(), app.catalog, created.id or 0)
    _show_current(app, namnd, year, as_json, diff=changes)


@plan_group.command("next-year")
@db_option
@namnd_option
@year_option
@json_option
@pass_app
def plan_next_year(app: App, namnd: str, year: int, as_json: bool) -> None:
    """Starta nästa års plan som en kopia av årets, med skillnaderna."""
    from riskmotor.services import plan

    found = plan.find_plan(app.uow(), namnd, year)
    created = plan.copy_to_next_year(app.uow(), app.catalog, found.id or 0)
    changes = plan.diff(app.uow(), app.catalog, created.id or 0)
    _show_current(app, namnd, created.year, as_json, diff=changes)


def _refuse_unused(**given_without: tuple[bool, str]) -> None:
    """An option that would have no effect is an error, never silently ignored."""
    for option, (unused, needs) in given_without.items():
        if unused:
            raise click.UsageError(
                f"--{option.replace('_', '-')} gäller bara tillsammans med {needs}."
            )


@plan_group.command("followup")
@db_option
@namnd_option
@year_option
@click.option("--period", required=True, help="Till exempel 2027-T1.")
@click.option("--control", "control_id", type=int, default=None, help="Kontrollmomentets id.")
@click.option("--status", type=click.Choice([s.value for s in FollowupStatus]), default=None)
@click.option("--result", default=None, help="Kontrollmomentets resultat.")
@click.option("--comment", default="", help="Kommentar till kontrollmomentet eller risken.")
@click.option("--action", "action_id", type=int, default=None, help="Åtgärdens id.")
@click.option("--action-status", type=click.Choice([s.value for s in ActionStatus]), default=None)
@click.option("--risk", "risk_id", type=int, default=None, help="Risk att bedöma om.")
@click.option("--residual-likelihood", type=int, default=None, help="Kvarvarande sannolikhet.")
@click.option("--residual-consequence", type=int, default=None, help="Kvarvarande konsekvens.")
@json_option
@pass_app
def plan_followup(
    app: App,
    namnd: str,
    year: int,
    period: str,
    control_id: int | None,
    status: str | None,
    result: str | None,
    comment: str,
    action_id: int | None,
    action_status: str | None,
    risk_id: int | None,
    residual_likelihood: int | None,
    residual_consequence: int | None,
    as_json: bool,
) -> None:
    """Registrera uppföljning för en period och skriv sammanställningen.

    Utan --control, --action och --risk skrivs bara periodens sammanställning.
    """
    from riskmotor.services import plan

    _refuse_unused(
        status=(status is not None and control_id is None, "--control"),
        result=(result is not None and control_id is None, "--control"),
        action_status=(action_status is not None and action_id is None, "--action"),
        residual_likelihood=(residual_likelihood is not None and risk_id is None, "--risk"),
        residual_consequence=(residual_consequence is not None and risk_id is None, "--risk"),
        comment=(
            bool(comment) and control_id is None and risk_id is None,
            "--control eller --risk",
        ),
    )
    if action_id is not None and action_status is None:
        raise click.UsageError("Ange --action-status för åtgärden.")
    if risk_id is not None and None in (residual_likelihood, residual_consequence):
        raise click.UsageError("Ange --residual-likelihood och --residual-consequence.")
    control = (
        plan.ControlResult(
            control_id, FollowupStatus(status) if status else None, result or "", comment
        )
        if control_id is not None
        else None
    )
    action = (
        plan.ActionProgress(action_id, ActionStatus(action_status))
        if action_id is not None and action_status is not None
        else None
    )
    risk = (
        plan.ResidualScore(risk_id, residual_likelihood, residual_consequence, comment)
        if risk_id is not None
        and residual_likelihood is not None
        and residual_consequence is not None
        else None
    )
    found = plan.find_plan(app.uow(), namnd, year)
    report = plan.record_followup(
        app.uow(), app.catalog, found.id or 0, period, control=control, action=action, risk=risk
    )
    emit(report, as_json, report.summary_text)
