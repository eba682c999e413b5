"""cs8.kpi: service KPIs with explicit definitions, exact statistics and mergeable states.

Each KPI is one name: calling it gives the result, ``.state(...)`` the mergeable state (merge
partitions with ``+``, then ``.result()``), and ``.frame(...)`` the same KPI on dataframes where a
columnar path exists. :func:`ticket_metrics` gives the per-ticket facts every ticket KPI aggregates.
Customer KPIs (churn, revenue, lifetime value) are in :mod:`cs8.kpi.customers`; the statistics
(distributions, intervals, tests, the quantile sketch) in :mod:`cs8.stats`.

Example:
    >>> from cs8.kpi import RateState, reopen_rate
    >>> RateState.of([True, False]).result().value
    0.5
    >>> (reopen_rate.state([]) + reopen_rate.state([])).result().n
    0
    >>> from datetime import timedelta
    >>> from cs8.kpi import required_agents
    >>> required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                 target_answer_time=timedelta(seconds=20)).agents
    14
"""

from cs8.kpi import customers
from cs8.kpi._breakdown import breakdown as _breakdown
from cs8.kpi._contact import (
    ChannelMix,
    Ratio,
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    channel_handoff_rate,
    channel_mix,
    occupancy,
    proactive_issue_rate,
    proactive_rate,
    service_level,
)
from cs8.kpi._definitions import PRESETS, BusinessClock, TicketDefinition
from cs8.kpi._durations import DurationState, DurationStats
from cs8.kpi._frames import breakdown_frame as _breakdown_frame
from cs8.kpi._frames import ticket_summary_frame as _ticket_summary_frame
from cs8.kpi._kpi import Kpi, WithFrame
from cs8.kpi._metrics import TicketMetrics, TicketRow, ticket_metrics
from cs8.kpi._scores import ScoreState, ces, ces_index, csat, csat_mean
from cs8.kpi._stats import Count, CountState, Mean, MeanState, Rate, RateState
from cs8.kpi._summary import TicketSummary
from cs8.kpi._summary import ticket_summary as _ticket_summary
from cs8.kpi._surveys import NpsComparison, NpsResult, NpsState, compare_nps, nps
from cs8.kpi._tables import KpiResult, KpiTable
from cs8.kpi._ticket_rates import (
    backlog,
    first_contact_resolution,
    one_touch_rate,
    reopen_rate,
    resolution_rate,
    touch_rate,
    volume,
)
from cs8.kpi._ticket_times import (
    agent_work_time,
    average_response_time,
    first_reply_time,
    full_resolution_time,
    next_reply_times,
    requester_wait_time,
    resolution_time,
    status_time,
)
from cs8.staffing import (
    ErlangA,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_probability,
    required_agents,
)

breakdown = WithFrame(_breakdown, _breakdown_frame)
ticket_summary = WithFrame(_ticket_summary, _ticket_summary_frame)

__all__ = [
    "PRESETS",
    "BusinessClock",
    "ChannelMix",
    "Count",
    "CountState",
    "DurationState",
    "DurationStats",
    "ErlangA",
    "Kpi",
    "KpiResult",
    "KpiTable",
    "Mean",
    "MeanState",
    "NpsComparison",
    "NpsResult",
    "NpsState",
    "Rate",
    "RateState",
    "Ratio",
    "ScoreState",
    "Staffing",
    "TicketDefinition",
    "TicketMetrics",
    "TicketRow",
    "TicketSummary",
    "WithFrame",
    "abandonment_rate",
    "agent_work_time",
    "average_handle_time",
    "average_response_time",
    "average_speed_of_answer",
    "backlog",
    "breakdown",
    "ces",
    "ces_index",
    "channel_handoff_rate",
    "channel_mix",
    "compare_nps",
    "csat",
    "csat_mean",
    "customers",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
    "first_contact_resolution",
    "first_reply_time",
    "full_resolution_time",
    "next_reply_times",
    "nps",
    "occupancy",
    "one_touch_rate",
    "proactive_issue_rate",
    "proactive_rate",
    "reopen_rate",
    "requester_wait_time",
    "required_agents",
    "resolution_rate",
    "resolution_time",
    "service_level",
    "status_time",
    "ticket_metrics",
    "ticket_summary",
    "touch_rate",
    "volume",
]

# Names of the previous release, kept for one release with a DeprecationWarning:
# old name -> (where the object is now, the expression to use instead).
_STATE_TWINS = {
    "abandonment_rate_state": "abandonment_rate",
    "agent_work_time_state": "agent_work_time",
    "average_handle_time_state": "average_handle_time",
    "average_response_time_state": "average_response_time",
    "average_speed_of_answer_state": "average_speed_of_answer",
    "backlog_state": "backlog",
    "first_contact_resolution_state": "first_contact_resolution",
    "first_reply_time_state": "first_reply_time",
    "full_resolution_time_state": "full_resolution_time",
    "next_reply_times_state": "next_reply_times",
    "one_touch_rate_state": "one_touch_rate",
    "proactive_rate_state": "proactive_rate",
    "reopen_rate_state": "reopen_rate",
    "requester_wait_time_state": "requester_wait_time",
    "resolution_rate_state": "resolution_rate",
    "resolution_time_state": "resolution_time",
    "service_level_state": "service_level",
    "status_time_state": "status_time",
    "volume_state": "volume",
}
_CUSTOMER_TWINS = {
    "churn_state": "churn_rate",
    "complaint_state": "complaint_rate",
    "order_value_state": "average_order_value",
    "purchase_frequency_state": "purchase_frequency",
    "repeat_purchase_state": "repeat_purchase_rate",
}
_FRAMES = {
    "breakdown_frame": "breakdown",
    "first_contact_resolution_frame": "first_contact_resolution",
    "first_reply_time_frame": "first_reply_time",
    "full_resolution_time_frame": "full_resolution_time",
    "one_touch_rate_frame": "one_touch_rate",
    "reopen_rate_frame": "reopen_rate",
    "resolution_time_frame": "resolution_time",
    "ticket_summary_frame": "ticket_summary",
}
_STATS = {
    "QuantileSketch": "QuantileSketch",
    "normal_quantile": "normal_quantile",
    "t_quantile": "t_quantile",
    "wilson_interval": "wilson_interval",
}


def __getattr__(name: str) -> object:
    from cs8.kpi._kpi import deprecated_alias

    here = globals()
    if name in _STATE_TWINS:
        kpi_name = _STATE_TWINS[name]
        return deprecated_alias(
            "cs8.kpi", name, here[kpi_name].state, f"cs8.kpi.{kpi_name}.state(...)"
        )
    if name in _CUSTOMER_TWINS:
        kpi_name = _CUSTOMER_TWINS[name]
        return deprecated_alias(
            "cs8.kpi",
            name,
            getattr(customers, kpi_name).state,
            f"cs8.kpi.customers.{kpi_name}.state(...)",
        )
    if name in customers.__all__:
        return deprecated_alias(
            "cs8.kpi", name, getattr(customers, name), f"cs8.kpi.customers.{name}"
        )
    if name in _FRAMES:
        kpi_name = _FRAMES[name]
        return deprecated_alias(
            "cs8.kpi", name, here[kpi_name].frame, f"cs8.kpi.{kpi_name}.frame(...)"
        )
    if name in _STATS:
        import cs8.stats

        return deprecated_alias(
            "cs8.kpi", name, getattr(cs8.stats, _STATS[name]), f"cs8.stats.{_STATS[name]}"
        )
    if name == "Score":
        from cs8.kpi._surveys import Score

        return deprecated_alias("cs8.kpi", name, Score, "int | float | SurveyResponse | None")
    if name == "ChurnBy":
        from cs8.kpi._customers import ChurnBy

        return deprecated_alias(
            "cs8.kpi", name, ChurnBy, "the literal 'explicit', 'inactivity' or 'either'"
        )
    raise AttributeError(f"module 'cs8.kpi' has no attribute {name!r}")
