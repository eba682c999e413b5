"""cs8: customer service by the numbers.

Typed models of customers, agents, tickets (as event logs), interactions, orders and survey
responses; SLA clocks (:mod:`cs8.sla`), KPIs (:mod:`cs8.kpi`), routing (:mod:`cs8.routing`) and
service-quality surveys (:mod:`cs8.surveys`) built on them.

Example:
    >>> import cs8
    >>> cs8.Priority.HIGH > cs8.Priority.NORMAL
    True
"""

from __future__ import annotations

from typing import Any

from cs8._enums import (
    ActorKind,
    AgentStatus,
    Channel,
    CustomerSegment,
    Direction,
    Priority,
    SurveyKind,
    TicketStatus,
)
from cs8._frozen import FrozenDict
from cs8._models import (
    Agent,
    Assignment,
    Customer,
    Interaction,
    Message,
    Order,
    PriorityChange,
    StatusChange,
    SurveyResponse,
    Ticket,
    TicketEvent,
)
from cs8._ticket import Handoff
from cs8.exceptions import (
    CalendarError,
    Cs8Error,
    EventOrderError,
    InvalidValueError,
    LoadError,
    MissingExtraError,
    NaiveDatetimeError,
    PluginLoadError,
    RuleError,
    SerializationError,
    SlaError,
    StaffingError,
    SurveyError,
    UnknownFieldError,
)

__all__ = [
    "ActorKind",
    "Agent",
    "AgentStatus",
    "Assignment",
    "CalendarError",
    "Channel",
    "Cs8Error",
    "Customer",
    "CustomerSegment",
    "Direction",
    "EventOrderError",
    "FrozenDict",
    "Handoff",
    "Interaction",
    "InvalidValueError",
    "LoadError",
    "Message",
    "MissingExtraError",
    "NaiveDatetimeError",
    "Order",
    "PluginLoadError",
    "Priority",
    "PriorityChange",
    "RuleError",
    "SerializationError",
    "SlaError",
    "StaffingError",
    "StatusChange",
    "SurveyError",
    "SurveyKind",
    "SurveyResponse",
    "Ticket",
    "TicketEvent",
    "TicketStatus",
    "UnknownFieldError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from cs8._version import __version__

        return __version__
    raise AttributeError(f"module 'cs8' has no attribute {name!r}")
