"""Use cases of avvikelser: import a deviation export, analyse it for patterns and trends
(SOSFS 2011:9 5 kap. 6 §), and link what it shows to risks as evidence.

Each public function is one user action in one transaction. The free text of a report may
hold personal data: it is stored, shown only when the user asks for it, and left out of
exports unless ``include_description`` is set. This package re-exports the public API.
"""

from riskmotor.reports.deviations import (
    DeviationSummary,
    ImportPreview,
    ImportReport,
    PeriodCount,
    RejectedRow,
    RiskEvidence,
)
from riskmotor.services.deviations.analysis import (
    causes_of_year,
    compare_periods,
    export_rows,
    monthly_counts,
    namnd_id,
    summary,
    tertial_counts,
    top_causes,
    year_summary,
    years,
)
from riskmotor.services.deviations.importing import (
    DeviationFile,
    deviation_columns,
    import_deviations,
    preview_import,
    read_deviations,
    store_new,
)
from riskmotor.services.deviations.links import (
    create_risk_from_pattern,
    link_to_risk,
    risk_evidence,
)

__all__ = [
    "DeviationFile",
    "DeviationSummary",
    "ImportPreview",
    "ImportReport",
    "PeriodCount",
    "RejectedRow",
    "RiskEvidence",
    "causes_of_year",
    "compare_periods",
    "create_risk_from_pattern",
    "deviation_columns",
    "export_rows",
    "import_deviations",
    "link_to_risk",
    "monthly_counts",
    "namnd_id",
    "preview_import",
    "read_deviations",
    "risk_evidence",
    "store_new",
    "summary",
    "tertial_counts",
    "top_causes",
    "year_summary",
    "years",
]
