"""Command line: the same services as the UI, JSON out with ``--json``.

Every failure a user can cause ends with exit code 1 and one line on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from riskmotor import sampling
from riskmotor.catalogs import load_catalog
from riskmotor.cli_common import (
    db_option,
    emit,
    json_option,
    namnd_option,
    user_errors,
    year_option,
)
from riskmotor.domain.plan import (
    CONTROL_METHODS,
    FREQUENCIES,
    ActionStatus,
    FollowupStatus,
    Strategy,
)
from riskmotor.errors import RiskmotorError
from riskmotor.services import context, demo, egenkontroll, organisation, scenarios, workshop
from riskmotor.services import plan as plan_service

APP_PATH = Path(__file__).resolve().parent.parent / "streamlit_app" / "app.py"


@click.group()
@click.version_option(package_name="riskmotor")
def main() -> None:
    """riskmotor – riskanalys och internkontroll för socialtjänsten."""


@main.command("demo")
@db_option
@click.option(
    "--risks", "risk_count", type=int, default=None, help="Lägg till syntetiska risker upp till N."
)
@json_option
@user_errors
def demo_command(db_url: str | None, risk_count: int | None, as_json: bool) -> None:
    """Skapa demodata: Exempelkommun, Socialnämnden och riskanalys 2027."""
    result = demo.load_demo(context.open_uow(db_url), context.catalog(), risks=risk_count)
    emit(
        result.__dict__,
        as_json,
        lambda: (
            f"Demodata klar: {result.risks_total} risker i riskanalysen ({result.risks_added} nya)."
        ),
    )


@main.command("ui")
@db_option
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--headless/--no-headless", default=False)
def ui_command(db_url: str | None, port: int, headless: bool) -> None:
    """Starta workshopgränssnittet i webbläsaren."""
    env = dict(os.environ)
    env["RISKMOTOR_DATABASE_URL"] = context.database_url(db_url)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_PATH),
        "--server.port",
        str(port),
        "--server.headless",
        str(headless).lower(),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    sys.exit(subprocess.call(command, env=env))


@main.group("catalog")
def catalog_group() -> None:
    """Kataloger: skalor, riskmallar, processer, tidsfrister."""


@catalog_group.command("validate")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Kontrollera också att databasens riskanalyser använder skalor som finns i katalogen.",
)
@json_option
@user_errors
def catalog_validate(directory: Path | None, db_url: str | None, as_json: bool) -> None:
    """Kontrollera att katalogmappen DIRECTORY är giltig."""
    catalog = load_catalog(directory or context.catalog().directory)
    if db_url:
        workshop.check_scales_in_use(context.open_uow(db_url), catalog)
    summary = {
        "directory": catalog.directory,
        "scales": list(catalog.scales),
        "templates": len(catalog.templates),
        "processes": len(catalog.processes),
        "deadlines": len(catalog.deadlines),
        "control_activities": len(catalog.control_activities),
    }
    emit(
        summary,
        as_json,
        lambda: (
            f"Katalogen i {catalog.directory} är giltig: {len(catalog.scales)} skalor, "
            f"{len(catalog.templates)} riskmallar, {len(catalog.processes)} processer."
        ),
    )


@main.group("risks")
def risks_group() -> None:
    """Risker i en riskanalys."""


def _risk_line(risk: workshop.RiskView) -> str:
    score = "ej bedömd"
    if risk.risk_value:
        score = f"S{risk.likelihood} × K{risk.consequence} = {risk.risk_value}"
    flag = "  [oenighet]" if risk.disagreement else ""
    return f"{risk.id:>5}  {score:<16} {risk.title}{flag}"


@risks_group.command("list")
@db_option
@namnd_option
@year_option
@json_option
@user_errors
def risks_list(db_url: str | None, namnd: str, year: int, as_json: bool) -> None:
    """Lista riskerna i nämndens riskanalys."""
    analysis = workshop.find_analysis(context.open_uow(db_url), namnd, year)
    assert analysis.id is not None
    risks = workshop.list_risks(context.open_uow(db_url), context.catalog(), analysis.id)
    emit(
        [risk.cli_dict() for risk in risks],
        as_json,
        lambda: "\n".join(_risk_line(risk) for risk in risks),
    )


@risks_group.command("add")
@db_option
@namnd_option
@year_option
@click.option("--title", required=True)
@click.option("--process", default="")
@click.option("--description", default="")
@click.option("--likelihood", type=int, default=None)
@click.option("--consequence", type=int, default=None)
@json_option
@user_errors
def risks_add(
    db_url: str | None,
    namnd: str,
    year: int,
    title: str,
    process: str,
    description: str,
    likelihood: int | None,
    consequence: int | None,
    as_json: bool,
) -> None:
    """Lägg till en ny risk, med överenskommen sannolikhet och konsekvens om de anges."""
    analysis = workshop.find_analysis(context.open_uow(db_url), namnd, year)
    risk = workshop.add_risk(
        context.open_uow(db_url),
        context.catalog(),
        {
            "analysis_id": analysis.id,
            "title": title,
            "process": process,
            "description": description,
            "inherent_likelihood": likelihood,
            "inherent_consequence": consequence,
        },
    )
    emit(risk.cli_dict(), as_json, lambda: _risk_line(risk))


@main.command("simulate")
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--replications", type=int, default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scale", "scale_key", default=None, help="Skala för föreslagen sannolikhet.")
@json_option
@user_errors
def simulate_command(
    scenario_file: Path, replications: int, seed: int, scale_key: str | None, as_json: bool
) -> None:
    """Simulera kapacitetsscenariot i SCENARIO_FILE (YAML) och skriv sammanfattningen."""
    scenario = scenarios.load_scenario_file(scenario_file)
    result = scenarios.run(scenario.model_dump(exclude_none=True), replications, seed)
    suggested = scenarios.suggestion(result, context.catalog().scale(scale_key))
    summary = {
        **result.summary,
        "backlog_fan": result.backlog_fan,
        "suggested_likelihood": suggested.level,
        "suggestion_straddles_boundary": suggested.straddles,
        "suggestion": suggested.message,
    }
    low, high = summary["event_probability_ci"]
    emit(
        summary,
        as_json,
        lambda: (
            f"{scenario.name}: sannolikhet för händelsen {summary['event_probability']:.1%} "
            f"(95 %: {low:.1%}–{high:.1%}), {summary['load_label']}.\n{suggested.message}"
        ),
    )


@main.group("sample")
def sample_group() -> None:
    """Stickprov för egenkontroll: storlek, övre gräns och dragning."""


population_option = click.option(
    "--population", type=int, default=None, help="Populationens storlek."
)
method_option = click.option(
    "--method",
    type=click.Choice(["binomial", "poisson", "hypergeometric"]),
    default=None,
    help="Standard: hypergeometric när populationen anges, annars binomial.",
)


def _method(method: str | None, population: int | None) -> str:
    return method or ("hypergeometric" if population else "binomial")


@sample_group.command("size")
@click.option("--confidence", type=float, required=True)
@click.option("--tolerable", type=float, required=True)
@click.option("--expected", type=float, default=0.0, show_default=True)
@population_option
@method_option
@json_option
@user_errors
def sample_size_command(
    confidence: float,
    tolerable: float,
    expected: float,
    population: int | None,
    method: str | None,
    as_json: bool,
) -> None:
    """Minsta stickprov som kan visa att avvikelsegraden är under toleransen."""
    chosen = _method(method, population)
    plan = sampling.sample_size(
        confidence, tolerable, expected, population=population, method=chosen
    )
    data = {"n": plan.n, "allowed_deviations": plan.allowed_deviations, "method": chosen}
    emit(data, as_json, lambda: f"n = {plan.n}, tillåtna avvikelser = {plan.allowed_deviations}")


@sample_group.command("limit")
@click.option("--n", "n", type=int, required=True)
@click.option("--deviations", type=int, required=True)
@click.option("--confidence", type=float, required=True)
@population_option
@method_option
@json_option
@user_errors
def sample_limit_command(
    n: int,
    deviations: int,
    confidence: float,
    population: int | None,
    method: str | None,
    as_json: bool,
) -> None:
    """Övre gräns för avvikelsegraden efter granskning."""
    limit = sampling.upper_limit(
        n, deviations, confidence, population=population, method=_method(method, population)
    )
    emit({"upper_limit": limit}, as_json, lambda: f"Övre gräns: {limit:.4f}")


@sample_group.command("draw")
@click.argument("cases", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--size", type=int, required=True, help="Stickprov per stratum.")
@click.option("--seed", type=int, required=True)
@click.option("--period", default=None, help="Till exempel 2027-T1 (januari–april).")
@click.option("--stratum", type=click.Choice(["enhet"]), default=None)
@click.option("--reserve", type=int, default=0, show_default=True)
@click.option("--control", "controls", multiple=True, help="Kontrollmoment (nyckel), flera går.")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@json_option
@user_errors
def sample_draw_command(
    cases: Path,
    size: int,
    seed: int,
    period: str | None,
    stratum: str | None,
    reserve: int,
    controls: tuple[str, ...],
    out: Path,
    as_json: bool,
) -> None:
    """Dra ett stickprov ur ärendelistan CASES och skriv checklistan till --out."""
    result = egenkontroll.draw_to_file(
        context.catalog(),
        cases,
        size=size,
        seed=seed,
        period=period,
        stratify=stratum == "enhet",
        reserve=reserve,
        control_keys=list(controls),
        out=out,
    )
    emit(
        result,
        as_json,
        lambda: (
            f"{sum(len(s['sample']) for s in result['strata'].values())} ärenden dragna ur "
            f"{result['population_size']}; checklistan är sparad i {out}."
        ),
    )


@main.group("plan")
def plan_group() -> None:
    """Internkontrollplan: förslag, kontrollmoment, åtgärder, beslut och uppföljning."""


def _plan_json(db_url: str | None, namnd: str, year: int) -> dict[str, Any]:
    found = plan_service.find_plan(context.open_uow(db_url), namnd, year)
    return plan_service.plan_json(
        plan_service.view(context.open_uow(db_url), context.catalog(), found.id or 0)
    )


def _plan_text(data: dict[str, Any]) -> str:
    lines = [
        f"Internkontrollplan {data['year']}, version {data['version']}: {data['status']} "
        f"(tröskel {data['threshold']})"
    ]
    for risk in data["risks"]:
        mark = "✓" if risk["included"] else " "
        lines.append(f" {mark} {risk['id']:>5} {risk['reason']}  – {risk['title']}")
        lines += [f"        kontroll {c['id']}: {c['control_activity']}" for c in risk["controls"]]
        lines += [f"        åtgärd {a['id']}: {a['what']} ({a['status']})" for a in risk["actions"]]
    return "\n".join(lines)


def _plan_risk_id(db_url: str | None, namnd: str, year: int, risk_id: int) -> int:
    data = _plan_json(db_url, namnd, year)
    match = next((r for r in data["risks"] if r["id"] == risk_id), None)
    if match is None:
        raise RiskmotorError(f"Risk {risk_id} finns inte i internkontrollplanen för {year}.")
    return int(match["plan_risk_id"])


@plan_group.command("propose")
@db_option
@namnd_option
@year_option
@click.option("--top", "top_n", type=int, default=None, help="Ta bara med de N högsta.")
@json_option
@user_errors
def plan_propose(
    db_url: str | None, namnd: str, year: int, top_n: int | None, as_json: bool
) -> None:
    """Skapa eller uppdatera förslaget till internkontrollplan (medan den är utkast)."""
    namnd_unit = organisation.namnd_named(context.open_uow(db_url), namnd)
    plan_service.propose(
        context.open_uow(db_url), context.catalog(), namnd_unit.id or 0, year, top_n=top_n
    )
    data = _plan_json(db_url, namnd, year)
    emit(data, as_json, lambda: _plan_text(data))


@plan_group.command("show")
@db_option
@namnd_option
@year_option
@json_option
@user_errors
def plan_show(db_url: str | None, namnd: str, year: int, as_json: bool) -> None:
    """Visa internkontrollplanen med skäl, kontrollmoment och åtgärder."""
    data = _plan_json(db_url, namnd, year)
    emit(data, as_json, lambda: _plan_text(data))


@plan_group.command("add-control")
@db_option
@namnd_option
@year_option
@click.option("--risk", "risk_id", type=int, required=True, help="Riskens id.")
@click.option("--activity", default=None, help="Kontrollmoment. Utelämnas: katalogens förslag.")
@click.option("--method", type=click.Choice(CONTROL_METHODS), default="stickprov")
@click.option("--frequency", type=click.Choice(FREQUENCIES), default="tertial")
@click.option("--responsible", default="")
@click.option("--reported-to", default="Socialnämnden")
@click.option("--timing", default="")
@json_option
@user_errors
def plan_add_control(
    db_url: str | None,
    namnd: str,
    year: int,
    risk_id: int,
    activity: str | None,
    method: str,
    frequency: str,
    responsible: str,
    reported_to: str,
    timing: str,
    as_json: bool,
) -> None:
    """Lägg till ett kontrollmoment till en risk i planen."""
    plan_risk_id = _plan_risk_id(db_url, namnd, year, risk_id)
    fields: dict[str, Any] = {
        "control_activity": activity,
        "control_method": method,
        "frequency": frequency,
    }
    if activity is None:
        risk = workshop.get_risk(context.open_uow(db_url), risk_id)
        suggestions = plan_service.suggested_controls(context.catalog(), risk)
        if not suggestions:
            raise RiskmotorError("Risken har inget förslag i katalogen; ange --activity.")
        fields = suggestions[0]
    control = plan_service.add_control(
        context.open_uow(db_url),
        {
            "plan_risk_id": plan_risk_id,
            "responsible": responsible,
            "reported_to": reported_to,
            "timing": timing,
            **fields,
        },
    )
    emit(
        control.model_dump(mode="json"),
        as_json,
        lambda: f"Kontrollmoment {control.id}: {control.control_activity}",
    )


@plan_group.command("add-action")
@db_option
@namnd_option
@year_option
@click.option("--risk", "risk_id", type=int, required=True, help="Riskens id.")
@click.option("--what", required=True)
@click.option("--owner", default="")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--strategy", type=click.Choice([s.value for s in Strategy]), default=None)
@json_option
@user_errors
def plan_add_action(
    db_url: str | None,
    namnd: str,
    year: int,
    risk_id: int,
    what: str,
    owner: str,
    due: Any,
    strategy: str | None,
    as_json: bool,
) -> None:
    """Lägg till en åtgärd i riskens behandlingsplan."""
    plan_risk_id = _plan_risk_id(db_url, namnd, year, risk_id)
    if strategy:
        plan_service.set_treatment(
            context.open_uow(db_url),
            context.catalog(),
            plan_risk_id,
            Strategy(strategy),
            None,
            None,
        )
    action = plan_service.add_action(
        context.open_uow(db_url),
        {
            "plan_risk_id": plan_risk_id,
            "what": what,
            "owner": owner,
            "due_date": due.date() if due else None,
        },
    )
    emit(action.model_dump(mode="json"), as_json, lambda: f"Åtgärd {action.id}: {action.what}")


@plan_group.command("approve")
@db_option
@namnd_option
@year_option
@click.option("--date", "decision_date", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--paragraf", required=True)
@click.option("--dnr", required=True)
@json_option
@user_errors
def plan_approve(
    db_url: str | None,
    namnd: str,
    year: int,
    decision_date: Any,
    paragraf: str,
    dnr: str,
    as_json: bool,
) -> None:
    """Registrera nämndens beslut: planen fastställs och låses."""
    found = plan_service.find_plan(context.open_uow(db_url), namnd, year)
    plan_service.approve(
        context.open_uow(db_url),
        context.catalog(),
        found.id or 0,
        decision_date.date(),
        paragraf,
        dnr,
    )
    data = _plan_json(db_url, namnd, year)
    emit(data, as_json, lambda: _plan_text(data))


@plan_group.command("new-version")
@db_option
@namnd_option
@year_option
@json_option
@user_errors
def plan_new_version(db_url: str | None, namnd: str, year: int, as_json: bool) -> None:
    """Skapa en ny version av en fastställd plan (för ändringar under året)."""
    found = plan_service.find_plan(context.open_uow(db_url), namnd, year)
    created = plan_service.new_version(context.open_uow(db_url), found.id or 0)
    changes = plan_service.diff(context.open_uow(db_url), context.catalog(), created.id or 0)
    data = {**_plan_json(db_url, namnd, year), "diff": changes.__dict__ if changes else None}
    emit(data, as_json, lambda: _plan_text(data))


@plan_group.command("next-year")
@db_option
@namnd_option
@year_option
@json_option
@user_errors
def plan_next_year(db_url: str | None, namnd: str, year: int, as_json: bool) -> None:
    """Starta nästa års plan som en kopia av årets, med skillnaderna."""
    found = plan_service.find_plan(context.open_uow(db_url), namnd, year)
    created = plan_service.copy_to_next_year(
        context.open_uow(db_url), context.catalog(), found.id or 0
    )
    changes = plan_service.diff(context.open_uow(db_url), context.catalog(), created.id or 0)
    data = {
        **_plan_json(db_url, namnd, created.year),
        "diff": changes.__dict__ if changes else None,
    }
    emit(data, as_json, lambda: _plan_text(data))


@plan_group.command("followup")
@db_option
@namnd_option
@year_option
@click.option("--period", required=True, help="Till exempel 2027-T1.")
@click.option("--control", "control_id", type=int, default=None, help="Kontrollmomentets id.")
@click.option("--status", type=click.Choice([s.value for s in FollowupStatus]), default=None)
@click.option("--result", default="")
@click.option("--comment", default="")
@click.option("--action", "action_id", type=int, default=None, help="Åtgärdens id.")
@click.option("--action-status", type=click.Choice([s.value for s in ActionStatus]), default=None)
@click.option("--risk", "risk_id", type=int, default=None, help="Risk att bedöma om.")
@click.option("--residual-likelihood", type=int, default=None)
@click.option("--residual-consequence", type=int, default=None)
@json_option
@user_errors
def plan_followup(
    db_url: str | None,
    namnd: str,
    year: int,
    period: str,
    control_id: int | None,
    status: str | None,
    result: str,
    comment: str,
    action_id: int | None,
    action_status: str | None,
    risk_id: int | None,
    residual_likelihood: int | None,
    residual_consequence: int | None,
    as_json: bool,
) -> None:
    """Registrera uppföljning för en period och skriv sammanställningen."""
    found = plan_service.find_plan(context.open_uow(db_url), namnd, year)
    catalog = context.catalog()
    if control_id is not None:
        plan_service.record_control_followup(
            context.open_uow(db_url),
            catalog,
            control_id,
            period,
            status=FollowupStatus(status) if status else None,
            result=result,
            comment=comment,
        )
    if action_id is not None and action_status:
        plan_service.set_action_status(
            context.open_uow(db_url), action_id, ActionStatus(action_status)
        )
    if risk_id is not None:
        if residual_likelihood is None or residual_consequence is None:
            raise RiskmotorError("Ange --residual-likelihood och --residual-consequence.")
        plan_service.record_risk_followup(
            context.open_uow(db_url),
            catalog,
            _plan_risk_id(db_url, namnd, year, risk_id),
            period,
            residual_likelihood,
            residual_consequence,
            comment,
        )
    summary = plan_service.followup_summary(
        context.open_uow(db_url), catalog, found.id or 0, period
    )
    emit(
        summary,
        as_json,
        lambda: (
            f"Uppföljning {summary['period']}: "
            + ", ".join(f"{k} {v}" for k, v in summary["status_counts"].items())
            + f"; försenade åtgärder: {len(summary['overdue_actions'])}"
        ),
    )


from riskmotor.cli_deviations import deviations_group  # noqa: E402
from riskmotor.cli_exports import export_group  # noqa: E402

main.add_command(deviations_group)
main.add_command(export_group)

if __name__ == "__main__":
    main()
