"""cs8.staffing: workforce planning, from arrivals to a forecast, required agents and shifts.

Erlang B, C and A for one interval (:func:`erlang_c`, :func:`required_agents`).

Example:
    >>> from datetime import timedelta
    >>> from cs8.staffing import required_agents
    >>> required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                 target_answer_time=timedelta(seconds=20)).agents
    14
"""

from cs8.staffing._erlang import (
    ErlangA,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_probability,
)
from cs8.staffing._targets import required_agents

__all__ = [
    "ErlangA",
    "Staffing",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
    "required_agents",
]
