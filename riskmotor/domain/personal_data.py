"""Where personal data was found in an imported file: row and column, never the value."""

from __future__ import annotations

from dataclasses import dataclass

PERSONNUMMER_PLACEHOLDER = "[personnummer]"


@dataclass(frozen=True, slots=True, order=True)
class PersonalDataFinding:
    """A personnummer or samordningsnummer found (and replaced) in one cell of an import."""

    row: int
    column: str
    count: int = 1

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "count": self.count}


def describe_findings(findings: list[PersonalDataFinding]) -> str:
    """One Swedish sentence for a summary: how many numbers were replaced, and where."""
    total = sum(f.count for f in findings)
    if not total:
        return "Inga personnummer hittades."
    places = ", ".join(f"rad {f.row} ({f.column})" for f in findings[:10])
    more = f" och {len(findings) - 10} celler till" if len(findings) > 10 else ""
    return f"{total} personnummer eller samordningsnummer ersattes vid importen: {places}{more}."
