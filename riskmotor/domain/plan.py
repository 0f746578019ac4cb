"""The internkontrollplan: entities, its lifecycle and overdue actions (the selection rule
is in ``plan_selection``, version diffs in ``plan_diff``).

Pure: no I/O. The lifecycle rules (what may change in which status) are methods of
``ControlPlan``; the services load the plan, call them and store the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from riskmotor.domain.models import Entity
from riskmotor.errors import InvalidInputError


class PlanStatus(StrEnum):
    UTKAST = "utkast"
    FOR_BESLUT = "för beslut"
    FASTSTALLD = "fastställd"


class Strategy(StrEnum):
    ACCEPTERA = "acceptera"
    REDUCERA = "reducera"
    ELIMINERA = "eliminera"
    KONTROLLERA = "kontrollera"


class ActionStatus(StrEnum):
    PLANERAD = "planerad"
    PAGAR = "pågår"
    KLAR = "klar"
    FORSENAD = "försenad"


class FollowupStatus(StrEnum):
    """Traffic-light status of a follow-up, from best to worst (the order is the rule)."""

    GRON = "grön"
    GUL = "gul"
    ROD = "röd"


def worst_status(statuses: Iterable[FollowupStatus]) -> FollowupStatus:
    """The most serious status: a kontrollmoment is only as good as its worst part."""
    order = list(FollowupStatus)
    return max(statuses, key=order.index)


# The label of a kontrollmoment without a result for the period.
NOT_REPORTED = "ej rapporterad"


class ControlMethod(StrEnum):
    STICKPROV = "stickprov"
    SYSTEMUTTAG = "systemuttag"
    GENOMGANG = "genomgång"
    ENKAT = "enkät"
    LOGGKONTROLL = "loggkontroll"
    INTERVJU = "intervju"


class Frequency(StrEnum):
    MANAD = "månad"
    TERTIAL = "tertial"
    HALVAR = "halvår"
    AR = "år"


class PlanFrozenError(InvalidInputError):
    """The plan is adopted (or awaiting decision) and cannot be edited."""


class ControlPlan(Entity):
    namnd_id: int
    analysis_id: int
    year: int
    plan_version: int = Field(ge=1)
    status: PlanStatus = PlanStatus.UTKAST
    threshold: int = Field(ge=1)
    top_n: int | None = Field(default=None, ge=1)
    decision_date: date | None = None
    paragraf: str = ""
    dnr: str = ""
    based_on_id: int | None = None
    based_on_kind: str = ""
    opinion: str = Field(default="", description="Förvaltningens synpunkter, for the export")
    created_at: datetime

    # lifecycle: utkast → för beslut → fastställd; for beslut → utkast (withdraw) ----------

    @property
    def editable(self) -> bool:
        return self.status == PlanStatus.UTKAST

    def ensure_editable(self) -> None:
        """Only a draft changes; an adopted plan changes through a new version."""
        if self.status == PlanStatus.FASTSTALLD:
            raise PlanFrozenError(
                f"Internkontrollplanen för {self.year} (version {self.plan_version}) är "
                "fastställd och kan inte ändras. Skapa en ny version för att göra ändringar."
            )
        if self.status == PlanStatus.FOR_BESLUT:
            raise PlanFrozenError(
                f"Internkontrollplanen för {self.year} är skickad för beslut. Ta tillbaka den "
                "till utkast för att ändra den."
            )

    def submit(self, included: Sequence[SubmissionItem], dnr: str | None = None) -> ControlPlan:
        """Utkast → för beslut, once the plan is complete (see :func:`missing_for_decision`)."""
        self.ensure_editable()
        missing = missing_for_decision(included)
        if missing:
            raise InvalidInputError(
                "Planen kan inte skickas för beslut förrän den är komplett. " + " ".join(missing)
            )
        update: dict[str, object] = {"status": PlanStatus.FOR_BESLUT}
        if dnr is not None and dnr.strip():
            update["dnr"] = dnr.strip()
        return self.model_copy(update=update)

    def withdraw(self) -> ControlPlan:
        """För beslut → utkast, so the draft can be changed again; a draft stays a draft."""
        if self.status == PlanStatus.FASTSTALLD:
            self.ensure_editable()
        return self.model_copy(update={"status": PlanStatus.UTKAST})

    def approve(self, decision_date: date, paragraf: str, dnr: str) -> ControlPlan:
        """Nämnden fastställer a plan submitted for decision: it is frozen from now on."""
        if not paragraf.strip() or not dnr.strip():
            raise InvalidInputError("Ange både paragraf (§) och diarienummer för nämndens beslut.")
        if self.status != PlanStatus.FOR_BESLUT:
            self.ensure_editable()
            raise InvalidInputError("Planen måste skickas för beslut innan den fastställs.")
        return self.model_copy(
            update={
                "status": PlanStatus.FASTSTALLD,
                "decision_date": decision_date,
                "paragraf": paragraf.strip(),
                "dnr": dnr.strip(),
            }
        )


@dataclass(frozen=True)
class SubmissionItem:
    """An included risk as the completeness rule sees it."""

    title: str
    assessment_confirmed: bool
    controls: Sequence[PlanControl]


def missing_for_decision(included: Sequence[SubmissionItem]) -> list[str]:
    """What the plan lacks before the nämnd can decide on it, one Swedish sentence per kind.

    Every included risk needs a fastställd assessment and a kontrollmoment, and every
    kontrollmoment needs an ansvarig and a tidpunkt.
    """

    def named(controls_lacking: Callable[[PlanControl], bool]) -> list[str]:
        # By risk, not by control: a control's text is long and a risk's title is known.
        return [i.title for i in included if any(controls_lacking(c) for c in i.controls)]

    checks = [
        (
            "Följande risker i planen saknar kontrollmoment",
            [i.title for i in included if not i.controls],
        ),
        (
            "Bedömningen är inte fastställd för",
            [i.title for i in included if not i.assessment_confirmed],
        ),
        ("Kontrollmoment saknar ansvarig för", named(lambda c: not c.responsible.strip())),
        ("Kontrollmoment saknar tidpunkt för", named(lambda c: not c.timing.strip())),
    ]
    return [f"{what}: {'; '.join(names)}." for what, names in checks if names]


class PlanSnapshot(Entity):
    """The plan's content frozen when it goes för beslut and again when it is fastställd.

    ``content`` is canonical JSON (``riskmotor.reports.snapshot``) and ``content_sha256``
    its hash. Withdrawing a plan voids its för-beslut snapshot; the row stays for the record.
    """

    plan_id: int
    kind: PlanStatus
    content: str
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    dnr: str = ""
    decision_date: date | None = None
    paragraf: str = ""
    created_at: datetime
    voided_at: datetime | None = None


class PlanPackage(Entity):
    """An exported approval package of a plan version för beslut or fastställd: the hash of
    the frozen content it shows and of the package itself (of its manifest.json)."""

    plan_id: int
    plan_version: int
    plan_status: PlanStatus
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    package_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    files: int
    created_at: datetime


class PlanRisk(Entity):
    plan_id: int
    risk_id: int
    position: int
    risk_value: int | None
    included: bool
    reason: str
    must_include: bool = False
    must_include_reason: str = ""
    override: bool | None = Field(default=None, description="manual in (True) or out (False)")
    override_motivation: str = ""
    strategy: Strategy | None = None
    target_likelihood: int | None = None
    target_consequence: int | None = None


class PlanControl(Entity):
    plan_risk_id: int
    control_activity: str = Field(min_length=1)
    control_method: ControlMethod
    frequency: Frequency
    responsible: str = ""
    reported_to: str = ""
    timing: str = ""
    egenkontroll_plan_id: int | None = None


class PlanAction(Entity):
    plan_risk_id: int
    what: str = Field(min_length=1)
    owner: str = ""
    due_date: date | None = None
    status: ActionStatus = ActionStatus.PLANERAD
    expected_effect: str = ""


class ControlFollowup(Entity):
    plan_control_id: int
    period: str
    result: str = ""
    share: float | None = None
    status: FollowupStatus
    comment: str = ""
    source: str = "manuell"


class RiskFollowup(Entity):
    plan_risk_id: int
    period: str
    residual_likelihood: int
    residual_consequence: int
    comment: str = ""


def is_overdue(action: PlanAction, as_of: date) -> bool:
    """The one rule for a försenad åtgärd: marked *försenad*, or not done and due before
    ``as_of`` — the end of the reported period (today for a live view)."""
    if action.status == ActionStatus.FORSENAD:
        return True
    return (
        action.status != ActionStatus.KLAR
        and action.due_date is not None
        and action.due_date < as_of
    )
