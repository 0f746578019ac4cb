"""Analytical M/M/c (Erlang C) reference values used to verify the simulation."""

from __future__ import annotations


def erlang_b(servers: int, offered_load: float) -> float:
    """Erlang B blocking probability by the stable recursion B(k) = aB(k−1)/(k + aB(k−1))."""
    if servers < 0 or offered_load < 0:
        raise ValueError("servers och offered_load får inte vara negativa")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in M/M/c with ``offered_load`` = λ/μ < c."""
    if offered_load >= servers:
        return 1.0
    b = erlang_b(servers, offered_load)
    rho = offered_load / servers
    return b / (1.0 - rho + rho * b)


def mmc_mean_wait(servers: int, arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue E[Wq] = C(c, a) / (c μ − λ)."""
    load = arrival_rate * mean_service
    if load >= servers:
        return float("inf")
    return erlang_c(servers, load) / (servers / mean_service - arrival_rate)
