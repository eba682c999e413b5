"""cs8.kpi: service KPIs with explicit definitions, honest statistics and mergeable states.

Example:
    >>> from datetime import timedelta
    >>> from cs8.kpi import required_agents
    >>> required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                 target_answer_time=timedelta(seconds=20)).agents
    14
"""

from cs8.kpi._staffing import (
    ErlangA,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_probability,
    required_agents,
)

__all__ = [
    "ErlangA",
    "Staffing",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
    "required_agents",
]
