"""The law the documents cite, as a nämnd secretary writes it.

Only a paragraph the catalogs hold as verified is printed; for any other the body text names
the regulation only, and the paragraph is listed for the förvaltning to check.
"""

from __future__ import annotations

from riskmotor.catalogs import Catalog
from riskmotor.domain.catalog import LegalReference
from riskmotor.export.swedish import reference
from riskmotor.reports.export import ExportData

# The references the documents cite: (law as the catalog names it, section, the law as a
# nämnd text writes it, and what the body text says while the paragraph is not verified).
# Only a reference the catalog holds as verified is printed with its paragraph; the others
# are listed for the förvaltning to check (ExportData.unverified_references).
SOSFS = "Socialstyrelsens föreskrifter och allmänna råd (SOSFS\u00a02011:9)"
CITED: dict[str, tuple[str, str, str, str]] = {
    "kl_internal_control": (
        "Kommunallagen (2017:725)",
        "6 kap. 6 §",
        "kommunallagen (2017:725)",
        "kommunallagen (2017:725)",
    ),
    "sosfs_risk_analysis": ("SOSFS 2011:9", "5 kap. 1 §", "SOSFS 2011:9", SOSFS),
    "sosfs_self_inspection": ("SOSFS 2011:9", "5 kap. 2 §", "SOSFS 2011:9", SOSFS),
    "sosfs_deviations": ("SOSFS 2011:9", "5 kap. 4–6 §§", "SOSFS 2011:9", SOSFS),
    "sosfs_quality_report": ("SOSFS 2011:9", "7 kap. 1 §", "SOSFS 2011:9", SOSFS),
}


def _catalog_references(catalog: Catalog) -> list[LegalReference]:
    found: list[LegalReference] = []
    for template in catalog.templates:
        found += template.legal_references
    for deadline in catalog.deadlines:
        found += deadline.references
    for category in catalog.deviation_categories:
        found += category.references
    for control in catalog.control_activities:
        found += control.references
    return found


def _verified(catalog: Catalog) -> set[tuple[str, str]]:
    return {(r.law, r.section) for r in _catalog_references(catalog) if r.verified}


def legal_labels(catalog: Catalog) -> dict[str, str]:
    """The body text of each cited reference: '6 kap. 6 § kommunallagen (2017:725)' when the
    catalog holds it as verified, otherwise the regulation without a paragraph."""
    verified = _verified(catalog)
    return {
        key: reference(section, written) if (law, section) in verified else fallback
        for key, (law, section, written, fallback) in CITED.items()
    }


def unverified_references(catalog: Catalog) -> tuple[str, ...]:
    """The cited paragraphs the catalog does not hold as verified, for the förvaltning."""
    verified = _verified(catalog)
    return tuple(
        reference(section, written)
        for law, section, written, _ in CITED.values()
        if (law, section) not in verified
    )


def references_checklist(data: ExportData) -> str:
    """For the förvaltning: the paragraphs the documents leave out until they are checked."""
    lines = [
        f"Lagrum att kontrollera – {data.namnd} {data.year}",
        "",
        "Dokumenten nämner bara författningen, inte paragrafen, för lagrum som inte är "
        "kontrollerade i katalogen. Kontrollera paragraferna mot lagtexten och markera dem "
        "som verifierade (verified: true) i katalogen:",
        "",
        *(f"[ ] {ref}" for ref in data.unverified_references),
    ]
    return "\n".join(lines) + "\n"
