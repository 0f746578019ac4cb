"""The trend test's result in plain Swedish, as the nämnd reads it in the kvalitetsberättelse
and on the page: numbers with decimal comma, p-values as printed, and one sentence."""

from __future__ import annotations

from riskmotor.domain.terms import number


def _rate(value: float) -> str:
    """A count per month as people say it: whole numbers from 10 up, one decimal below."""
    return number(value, 0 if value >= 10 else 1)


def p_text(p_value: float, alpha: float = 0.05) -> str:
    """p as printed in a report; never rounded onto the wrong side of the significance level."""
    if p_value < 0.001:
        return "p < 0,001"
    shown = round(p_value, 3 if p_value < 0.1 else 2)
    if p_value < alpha <= shown:
        return f"p < {number(alpha, 2)}"
    return f"p = {number(shown, 3 if p_value < 0.1 else 2)}"


def rate_sentence(
    what: str,
    rate1: float,
    rate2: float,
    ratio: float | None,
    low: float | None,
    high: float | None,
    p_value: float,
    confidence: float,
) -> str:
    """The comparison in plain Swedish, as the nämnd reads it."""
    if ratio is None or low is None or high is None:
        return f"Det finns inga {what} i någon av perioderna att jämföra."
    if _rate(rate1) == _rate(rate2):
        change = f"var i stort sett oförändrat ({_rate(rate1)})"
    else:
        verb = "ökade" if rate2 > rate1 else "minskade"
        change = f"{verb} från {_rate(rate1)} till {_rate(rate2)}"
    level = number(100 * confidence, 0)
    interval = f"{number(low, 2)}–{number(high, 2)}"
    verdict = (
        "Skillnaden är statistiskt säkerställd"
        if p_value < 1 - confidence
        else "Skillnaden kan bero på slumpen"
    )
    return (
        f"Antalet {what} per månad {change} (kvot {number(ratio, 2)}; {level} % KI "
        f"{interval}). {verdict} ({p_text(p_value, 1 - confidence)})."
    )
