"""cs8.kpi: service KPIs with explicit definitions, honest statistics and mergeable states.

Example:
    >>> from cs8.kpi import RateState
    >>> RateState.of([True, False]).result().value
    0.5
"""

from cs8.kpi._sketch import QuantileSketch
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

__all__ = [
    "DurationState",
    "DurationStats",
    "Mean",
    "MeanState",
    "QuantileSketch",
    "Rate",
    "RateState",
    "normal_quantile",
    "t_quantile",
    "wilson_interval",
]
