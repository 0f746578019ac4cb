"""Period names as the nämnd reads them: '2027-T1' is printed 'tertial 1 2027'."""

from __future__ import annotations

import re

_TERTIAL = re.compile(r"^(\d{4})-T([1-3])$")


def period_name(label: str) -> str:
    """'2027-T1' -> 'tertial 1 2027', '2027' -> 'år 2027'; anything else unchanged."""
    match = _TERTIAL.match(label.strip())
    if match:
        return f"tertial {match.group(2)} {match.group(1)}"
    if re.fullmatch(r"\d{4}", label.strip()):
        return f"år {label.strip()}"
    return label
