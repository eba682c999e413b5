"""cs8.kpi: service KPIs with explicit definitions, honest statistics and mergeable states.

Example:
    >>> from cs8.kpi import RateState
    >>> RateState.of([True, False]).result().value
    0.5
    >>> from datetime import timedelta
    >>> from cs8.kpi import required_agents
    >>> required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                 target_answer_time=timedelta(seconds=20)).agents
    14
"""

from cs8.kpi._sketch import QuantileSketch
from cs8.kpi._staffing import (
    ErlangA,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_probability,
    required_agents,
)
from cs8.kpi._stats import (
    DurationState,
    DurationStats,
    Mean,
    MeanState,
    Rate,
    RateState,
    normal_quantile,
    t_quantile,
    wilson_interval,
)
from cs8.kpi._surveys import (
    NpsComparison,
    NpsResult,
    NpsState,
    Score,
    ScoreState,
    ces,
    ces_index,
    compare_nps,
    csat,
    csat_mean,
    nps,
)

__all__ = [
    "DurationState",
    "DurationStats",
    "ErlangA",
    "Mean",
    "MeanState",
    "NpsComparison",
    "NpsResult",
    "NpsState",
    "QuantileSketch",
    "Rate",
    "RateState",
    "Score",
    "ScoreState",
    "Staffing",
    "ces",
    "ces_index",
    "compare_nps",
    "csat",
    "csat_mean",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
    "normal_quantile",
    "nps",
    "required_agents",
    "t_quantile",
    "wilson_interval",
]
