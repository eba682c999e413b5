"""cs8.staffing: workforce planning, from arrivals to a forecast, required agents and shifts.

The planning cycle: count arrivals per interval (:func:`arrivals_per_interval`), forecast them
(:func:`forecast_arrivals`, scored by :func:`backtest`), staff each interval
(:func:`required_agents`: Erlang B, C and A), plan shifts, and compare the plan with what happened.

Example:
    >>> from datetime import timedelta
    >>> from cs8.staffing import required_agents
    >>> required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                 target_answer_time=timedelta(seconds=20)).agents
    14
"""

from cs8._heatmap import Heatmap
from cs8.staffing._accuracy import Accuracy, backtest, forecast_accuracy
from cs8.staffing._actual import PlanReview, plan_vs_actual
from cs8.staffing._aht import AhtForecast, forecast_aht
from cs8.staffing._arrivals import Arrivals, arrivals_by_channel, arrivals_per_interval
from cs8.staffing._erlang import (
    ErlangA,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_probability,
)
from cs8.staffing._forecast import ArrivalForecast, aggregate, forecast_arrivals
from cs8.staffing._plan import StaffingPlan, overhang, staffing_plan
from cs8.staffing._shifts import ShiftAssignment, ShiftPlan, ShiftTemplate, plan_shifts
from cs8.staffing._targets import required_agents

__all__ = [
    "Accuracy",
    "AhtForecast",
    "ArrivalForecast",
    "Arrivals",
    "ErlangA",
    "Heatmap",
    "PlanReview",
    "ShiftAssignment",
    "ShiftPlan",
    "ShiftTemplate",
    "Staffing",
    "StaffingPlan",
    "aggregate",
    "arrivals_by_channel",
    "arrivals_per_interval",
    "backtest",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
    "forecast_accuracy",
    "forecast_aht",
    "forecast_arrivals",
    "overhang",
    "plan_shifts",
    "plan_vs_actual",
    "required_agents",
    "staffing_plan",
]
