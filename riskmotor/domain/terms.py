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
    "email": "E-post",
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

# What each kind of row (and each batch entry) of the Ändringslogg is called.
ENTITY_LABELS: dict[str, str] = {
    "risk": "Risk",
    "vote": "Röst",
    "participant": "Deltagare",
    "risk_analysis": "Riskanalys",
    "org_unit": "Organisationsenhet",
    "scenario": "Kapacitetsscenario",
    "simulation_run": "Simulering",
    "egenkontroll_plan": "Egenkontrollplan",
    "sample_draw": "Stickprovsdragning",
    "sampled_case": "Utvald akt",
    "checklist_answer": "Svar i checklistan",
    "deviation": "Avvikelserapport",
    "deviation_link": "Avvikelser kopplade till risk",
    "deviation_import": "Import av avvikelser",
    "control_plan": "Internkontrollplanen",
    "plan_risk": "Risk i planen",
    "plan_control": "Kontrollmoment",
    "plan_action": "Åtgärd",
    "control_followup": "Uppföljning av kontrollmoment",
    "risk_followup": "Uppföljning av risk",
    "plan_snapshot": "Låst planversion",
    "plan_package": "Beslutspaket",
    "export": "Exporterat dokument",
    "installation_setting": "Installationsinställning",
    "user_role": "Behörighet",
}

ACTION_LABELS: dict[str, str] = {
    "create": "skapad",
    "update": "ändrad",
    "delete": "borttagen",
    "export": "exporterad",
    "import": "importerad",
}

# The stored fields the Ändringslogg names that have no label in LABELS or EXPORT_LABELS.
RECORD_FIELD_LABELS: dict[str, str] = {
    "*": "alla fält",
    "analysis_id": "Riskanalys",
    "namnd_id": "Nämnd",
    "unit_id": "Enhet",
    "parent_id": "Överordnad enhet",
    "kind": "Typ",
    "risk_id": "Risk",
    "participant_id": "Deltagare",
    "plan_id": "Internkontrollplanen",
    "plan_risk_id": "Risk i planen",
    "plan_control_id": "Kontrollmoment",
    "draw_id": "Stickprovsdragning",
    "scenario_id": "Kapacitetsscenario",
    "deviation_id": "Avvikelserapport",
    "egenkontroll_plan_id": "Egenkontrollplan",
    "likelihood_evidence_id": "Underlag för sannolikheten (simulering)",
    "based_on_id": "Bygger på planversion",
    "based_on_kind": "Bygger på",
    "plan_version": "Versionsnummer",
    "threshold": "Tröskel för riskvärde",
    "top_n": "Högst antal risker",
    "decision_date": "Datum för beslutet",
    "paragraf": "Paragraf i protokollet",
    "dnr": "Ärendets diarienummer",
    "opinion": "Förvaltningens bedömning",
    "created_at": "Skapad den",
    "created_by": "Skapad av",
    "granted_by": "Utdelad av",
    "granted_at": "Utdelad den",
    "position": "Plats i ordningen",
    "must_include": "Måste ingå",
    "must_include_reason": "Skäl att den måste ingå",
    "override": "Manuellt val",
    "override_motivation": "Motivering till manuellt val",
    "what": "Åtgärd",
    "owner": "Ansvarig",
    "share": "Andel",
    "plan_status": "Planens status",
    "content": "Innehåll",
    "content_sha256": "Kontrollsumma för innehållet",
    "package_sha256": "Kontrollsumma för paketet",
    "case_list_sha256": "Kontrollsumma för ärendelistan",
    "files": "Antal filer",
    "voided_at": "Upphävd",
    "spec": "Inställningar",
    "scenario_name": "Scenariots namn",
    "seed": "Slumpfrö",
    "replications": "Antal replikeringar",
    "summary": "Resultatsammanfattning",
    "backlog_fan": "Kön över tid",
    "numpy_version": "NumPy-version",
    "riskmotor_version": "riskmotor-version",
    "suggested_level": "Föreslagen nivå",
    "straddles": "Mellan två nivåer",
    "suggestion_text": "Förslag",
    "applied": "Använd i bedömningen",
    "control_keys": "Kontrollpunkter",
    "expected_rate": "Förväntad andel avvikelser",
    "method": "Metod",
    "population": "Populationens storlek",
    "allowed_deviations": "Tillåtet antal avvikelser",
    "reserve_size": "Antal reserver",
    "stratify_by_unit": "Stratifierat per enhet",
    "case_list_name": "Ärendelista",
    "population_size": "Antal ärenden i ärendelistan",
    "strata": "Strata",
    "case_id": "Akt",
    "stratum": "Stratum",
    "closed_date": "Avslutsdatum",
    "case_type": "Typ av ärende",
    "handler": "Ärendets handläggare",
    "person_key": "Personnyckel (pseudonym)",
    "control_key": "Kontrollpunkt",
    "answer": "Svar",
    "consequence_by_area": "Konsekvens per område",
    "cause_group": "Orsaksgrupp",
    "note": "Anteckning",
    "occurred_on": "Händelsedatum",
    "avdelning": "Avdelning",
    "enhet": "Enhet",
    "category": "Kategori",
    "category_text": "Kategori i exporten",
    "serious": "Allvarlig",
    "cause": "Orsak",
    "source_file": "Fil",
    "source_row": "Rad i filen",
    "fingerprint": "Fingeravtryck",
    "imported_at": "Importerad",
    "value": "Värde",
    "set_at": "Satt",
    "set_by": "Satt av",
}

# Where a risk came from (stored on the risk as ``source``).
RISK_SOURCE_LABELS: dict[str, str] = {
    "katalog": "Från riskkatalogen",
    "ny": "Egen risk",
    "avvikelse": "Från avvikelsemönster",
    "simulering": "Från simulering",
}

# A field whose meaning depends on the row it belongs to ("entity.field").
RECORD_FIELD_OVERRIDES: dict[str, str] = {
    "risk_analysis.title": "Analysens rubrik",
    "sample_draw.plan_id": "Egenkontrollplan",
    "org_unit.kind": "Nivå",
    "plan_snapshot.kind": "Låst som",
}


def record_field_label(entity: str, field: str) -> str:
    """The label of a stored field as the Ändringslogg shows it; the column name never."""
    return (
        RECORD_FIELD_OVERRIDES.get(f"{entity}.{field}")
        or LABELS.get(field)
        or EXPORT_LABELS.get(field)
        or RECORD_FIELD_LABELS.get(field)
        or field.replace("_", " ").capitalize()
    )


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


# The one message for an empty required field, after the field's label ("Rubrik: …").
REQUIRED_FIELD = "fältet måste fyllas i."
# What the UI and the launcher say when there is no login.
LOCAL_MODE = "Lokalt läge – ingen inloggning"


def quantity(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: '1 risk', '2 risker', '1 000 risker'."""
    return f"{number(count)} {singular if count == 1 else plural}"


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
