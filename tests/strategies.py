"""Hypothesis strategies for the tests; the same ones users get from :mod:`cs8.testing.strategies`."""

from cs8.testing.strategies import (
    agents,
    aware_datetimes,
    customers,
    durations,
    identifiers,
    interactions,
    orders,
    survey_responses,
    ticket_events,
    tickets,
)

__all__ = [
    "agents",
    "aware_datetimes",
    "customers",
    "durations",
    "identifiers",
    "interactions",
    "orders",
    "survey_responses",
    "ticket_events",
    "tickets",
]
