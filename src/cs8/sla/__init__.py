"""cs8.sla: business calendars, SLA policies and the clocks that measure tickets against them.

Example:
    >>> from datetime import timedelta
    >>> from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaTarget
    >>> BusinessCalendar.always_open().timezone
    'UTC'
    >>> policy = SlaPolicy(name="std", targets=[
    ...     SlaTarget(metric=SlaMetric.FIRST_REPLY, within=timedelta(hours=4))])
    >>> policy.targets[0].metric
    SlaMetric.FIRST_REPLY
"""

from cs8.sla._calendar import BusinessCalendar
from cs8.sla._calendar_periods import DatedCalendar
from cs8.sla._document import dump_policy, dumps_policy, load_policy, policy_schema
from cs8.sla._jsm_goal import (
    CycleDifference,
    CycleField,
    JsmGoal,
    compare_cycles,
    compare_ongoing,
)
from cs8.sla._policy import SlaPolicy
from cs8.sla._report import SlaAtRisk, SlaAttainment, SlaBreach, SlaReport, sla_report
from cs8.sla._results import OngoingCycle, SlaCycle, SlaResult
from cs8.sla._targets import (
    SlaClock,
    SlaEscalation,
    SlaMetric,
    SlaState,
    SlaTarget,
    Threshold,
)

__all__ = [
    "BusinessCalendar",
    "CycleDifference",
    "CycleField",
    "DatedCalendar",
    "JsmGoal",
    "OngoingCycle",
    "SlaAtRisk",
    "SlaAttainment",
    "SlaBreach",
    "SlaClock",
    "SlaCycle",
    "SlaEscalation",
    "SlaMetric",
    "SlaPolicy",
    "SlaReport",
    "SlaResult",
    "SlaState",
    "SlaTarget",
    "Threshold",
    "compare_cycles",
    "compare_ongoing",
    "dump_policy",
    "dumps_policy",
    "load_policy",
    "policy_schema",
    "sla_report",
]
