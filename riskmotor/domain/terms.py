"""The glossary: every Swedish label a user reads is written here once.

UI pages, the CLI and the exports take their field labels from this module so that the
same thing is never called two names.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from riskmotor.clock import SWEDISH_TIME
from riskmotor.domain.models import AnalysisStatus, UnitKind

LABELS: dict[str, str] = {
    "title": "Risk",
    "description": "Beskrivning",
    "process": "Process",
    "activity": "Aktivitet",
    "unit": "Enhet",
    "causes": "Orsak",
    "consequence_description": "Konsekvensbeskrivning",
    "existing_controls": "Befintliga kontroller",
    "consequence_areas": "Konsekvensområden",
    "source": "Källa",
    "likelihood": "Sannolikhet",
    "consequence": "Konsekvens",
    "risk_value": "Riskvärde",
    "level": "Risknivå",
    "votes": "Röster",
    "disagreement": "Oenighet",
    "inherent": "Bedömd risk (före åtgärder)",
    "residual": "Kvarvarande risk (efter åtgärder)",
    "inherent_likelihood": "Sannolikhet (bedömd)",
    "inherent_consequence": "Konsekvens (bedömd)",
    "residual_likelihood": "Sannolikhet (kvarvarande)",
    "residual_consequence": "Konsekvens (kvarvarande)",
    "assessment_confirmed": "Bedömning fastställd",
    "participant": "Deltagare",
    "role": "Roll",
    "function": "Funktion",
    "comment": "Kommentar",
    "name": "Namn",
    "year": "År",
    "namnd": "Nämnd",
    "workshop_dates": "Workshopdatum",
    "scale_key": "Skala",
    "status": "Status",
    "template_key": "Riskmall",
    "analysis": "Riskanalys",
    "vote": "Röst",
    "org_unit": "Organisationsenhet",
}

ENTITY_LABELS: dict[str, str] = {
    "risk": "Risk",
    "vote": "Röst",
    "participant": "Deltagare",
    "risk_analysis": "Riskanalys",
    "org_unit": "Organisationsenhet",
}

ACTION_LABELS: dict[str, str] = {
    "create": "skapad",
    "update": "ändrad",
    "delete": "borttagen",
}

UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.KOMMUN: "Kommun",
    UnitKind.NAMND: "Nämnd",
    UnitKind.FORVALTNING: "Förvaltning",
    UnitKind.AVDELNING: "Avdelning",
    UnitKind.ENHET: "Enhet",
}

STATUS_LABELS: dict[AnalysisStatus, str] = {
    AnalysisStatus.PAGAR: "Pågår",
    AnalysisStatus.FASTSTALLD: "Fastställd",
}

AGGREGATION_LABELS: dict[str, str] = {
    "median": "Median (vid jämnt antal röster: den högre av de två mittersta)",
    "mean": "Medelvärde (avrundat uppåt vid ,5)",
    "max": "Högsta värde",
}

# The capacity scenario's risk events and case-duration distributions (Scenarier page).
EVENT_KIND_LABELS: dict[str, str] = {
    "breach_share_above": "Andelen ärenden över tidsfristen överstiger",
    "breaches_above": "Antalet ärenden över tidsfristen överstiger",
    "max_backlog_above": "Största antalet väntande ärenden överstiger",
}
DISTRIBUTION_LABELS: dict[str, str] = {
    "lognormal": "Lognormal (vanligast för handläggningstider)",
    "gamma": "Gamma",
    "exponential": "Exponentiell",
    "deterministic": "Fast tid",
}

# Deviation (avvikelse) categories, keyed as in catalogs/avvikelsekategorier.yaml.
CATEGORY_LABELS: dict[str, str] = {
    "lex_sarah": "Lex Sarah",
    "personuppgiftsincident": "Personuppgiftsincident",
    "synpunkt_klagomal": "Synpunkt/klagomål",
    "ovrig": "Övrig avvikelse",
    "ej_avvikelse": "Ej avvikelse",
}
# The noun a sentence about one category uses ("Antalet lex Sarah-rapporter per månad …").
CATEGORY_PLURALS: dict[str, str] = {
    "lex_sarah": "lex Sarah-rapporter",
    "personuppgiftsincident": "personuppgiftsincidenter",
    "synpunkt_klagomal": "synpunkter och klagomål",
    "ovrig": "övriga avvikelser",
    "ej_avvikelse": "rapporter som inte är avvikelser",
}


# The one yes/no vocabulary: a checklist's answers (keys as stored, labels as offered in the
# drop-down) and the words a table writes for a flag (the keys, in lower case mid-table).
ANSWER_LABELS: dict[str, str] = {
    "ja": "Ja",
    "nej": "Nej",
    "ej_tillämplig": "Ej tillämplig",
}


def yes_no(flag: bool) -> str:
    """A flag as a table writes it: 'ja' or 'nej'."""
    return ANSWER_LABELS["ja" if flag else "nej"].lower()


def percent(share: float | None, decimals: int = 1, *, trim: bool = False) -> str:
    """A share as Swedish percent text: 0.076 -> '7,6 %', None -> '–'.

    With ``trim`` a whole number drops its zero decimals (0.95 -> '95 %', 0.025 -> '2,5 %'),
    as a plan's confidence and tolerable rate are written.
    """
    if share is None:
        return "–"
    text = number(100 * share, decimals)
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + " %"


def number(value: float, decimals: int = 0) -> str:
    """A number the Swedish way: decimal comma, thousands apart, rounded half up as in print
    (Python's own format would give 2,2 for 2,25): 10000 -> '10 000', 12.34 (decimals=1) ->
    '12,3', infinity -> '∞'."""
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,f}".replace(",", " ").replace(".", ",")
    return text.replace("-", "−")


def days(value: float) -> str:
    """A duration in days with one decimal: 12.34 -> '12,3 dagar'."""
    return f"{number(value, 1)} dagar"


def local_time(instant: str | datetime) -> str:
    """A stored instant (ISO text or aware datetime) as Swedish wall-clock time, to the second."""
    moment = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    return moment.astimezone(SWEDISH_TIME).strftime("%Y-%m-%d %H:%M:%S")


def label(field: str) -> str:
    return LABELS.get(field, field)


# Column headings of the exports (the internkontrollplan's standard columns and the rest).
EXPORT_LABELS: dict[str, str] = {
    "process_rutin": "Process/rutin",
    "control_activity": "Kontrollmoment",
    "control_method": "Kontrollmetod",
    "frequency": "Frekvens",
    "responsible": "Ansvarig",
    "reported_to": "Rapporteras till",
    "timing": "Tidpunkt",
    "strategy": "Strategi",
    "action": "Åtgärd",
    "due_date": "Klart senast",
    "expected_effect": "Förväntad effekt",
    "target_likelihood": "Målnivå sannolikhet",
    "target_consequence": "Målnivå konsekvens",
    "target_value": "Mål för kvarvarande riskvärde",
    "overdue": "Försenad",
    "included": "Ingår i planen",
    "reason": "Skäl",
    "votes_summary": "Röster (sammanvägning)",
    "period": "Period",
    "result": "Resultat",
    "data_source": "Källa",
    "sampling_plan": "Stickprovsplan",
    "confidence": "Konfidensnivå",
    "tolerable_rate": "Tolerabel avvikelsegrad",
    "sample_size": "Stickprovsstorlek",
    "reviewed": "Granskade akter",
    "compliant": "Uppfyllda",
    "deviations": "Avvikelser",
    "not_applicable": "Ej tillämpliga",
    "dropped": "Bortfall",
    "compliance_share": "Andel uppfyllda",
    "upper_deviation_limit": "Övre gräns för avvikelser",
    "conclusion": "Slutsats",
    "evaluation_method": "Metod",
}

# How an egenkontroll stratum (or the nämnd overall) was evaluated; docs/egenkontroll.md.
EVALUATION_METHOD_LABELS: dict[str, str] = {
    "census": "Totalgranskning",
    "hypergeometric": "Hypergeometrisk",
    "binomial": "Binomial",
    "stratified-bonferroni": "Sammanvägd (Bonferroni)",
}
