"""Every public name that ../shared/API.md promises exists, with the fields and defaults it names."""

from __future__ import annotations

import importlib
import inspect
from datetime import UTC, datetime, timedelta

import pytest

PROMISED = {
    "cs8": [
        "Channel", "Priority", "TicketStatus", "CustomerSegment", "ActorKind", "AgentStatus",
        "Direction", "Customer", "Agent", "Ticket", "Message", "StatusChange", "PriorityChange",
        "Assignment", "Interaction", "Order", "SurveyResponse", "SurveyKind", "Cs8Error",
        "NaiveDatetimeError", "EventOrderError",
    ],
    "cs8.sla": [
        "BusinessCalendar", "SlaPolicy", "SlaTarget", "SlaMetric", "SlaResult", "SlaState",
    ],
    "cs8.kpi": [
        "nps", "csat", "ces", "first_reply_time", "resolution_time", "reopen_rate",
        "one_touch_rate", "service_level", "abandonment_rate", "average_speed_of_answer",
        "average_handle_time", "erlang_c", "required_agents", "Rate", "Mean", "DurationStats",
        "NpsResult", "Staffing",
    ],
    "cs8.routing": ["Router", "AgentPool", "RoutingDecision", "load_rules"],
    "cs8.surveys": [
        "Dimension", "SERVQUAL_ITEMS", "ServqualResponse", "servqual_scores", "ServqualReport",
        "cronbach_alpha",
    ],
    "cs8.io": ["read_tickets", "read_interactions", "LoadResult"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("module", "name"), [(m, n) for m, names in PROMISED.items() for n in names]
)
def test_promised_name_exists_and_is_public(module: str, name: str) -> None:
    mod = importlib.import_module(module)
    assert hasattr(mod, name)
    assert name in mod.__all__


def test_enums_have_the_promised_members() -> None:
    import cs8

    assert {
        "EMAIL",
        "CHAT",
        "PHONE",
        "SOCIAL",
        "MESSAGING",
        "WEB",
        "IN_PERSON",
        "SELF_SERVICE",
    } <= {c.name for c in cs8.Channel}
    assert [p.name for p in sorted(cs8.Priority)] == ["LOW", "NORMAL", "HIGH", "URGENT"]
    assert {s.name for s in cs8.TicketStatus} == {
        "NEW",
        "OPEN",
        "PENDING",
        "ON_HOLD",
        "SOLVED",
        "CLOSED",
    }
    assert {s.name for s in cs8.CustomerSegment} == {"VIP", "REPEAT", "ONE_TIME", "PROSPECT"}
    assert {s.name for s in cs8.ActorKind} == {"CUSTOMER", "AGENT", "BOT", "SYSTEM"}
    assert {s.name for s in cs8.AgentStatus} == {"ONLINE", "AWAY", "BUSY", "OFFLINE"}
    assert {s.name for s in cs8.Direction} == {"INBOUND", "OUTBOUND"}


def test_sla_metrics_and_states_have_the_promised_members() -> None:
    from cs8.sla import SlaMetric, SlaState

    names = {
        "FIRST_REPLY",
        "NEXT_REPLY",
        "PERIODIC_UPDATE",
        "RESOLUTION",
        "REQUESTER_WAIT",
        "AGENT_WORK",
    }
    assert names <= {m.name for m in SlaMetric}
    assert {s.name for s in SlaState} == {"ACHIEVED", "BREACHED", "ACTIVE", "PAUSED"}


def test_documented_defaults() -> None:
    import cs8
    from cs8.kpi import ces, csat, service_level

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    customer = cs8.Customer(id="C1")
    agent = cs8.Agent(id="a1")
    interaction = cs8.Interaction(id="I1", customer_id="C1", channel="phone", started_at=t0)
    assert customer.segment is cs8.CustomerSegment.ONE_TIME
    assert (agent.capacity, agent.status, agent.active_tickets) == (5, cs8.AgentStatus.ONLINE, 0)
    assert (interaction.direction, interaction.handled_by, interaction.talk_time) == (
        cs8.Direction.INBOUND,
        cs8.ActorKind.AGENT,
        timedelta(0),
    )
    assert cs8.Order(id="O1", customer_id="C1", at=t0, amount=1).currency == "VND"
    assert inspect.signature(csat).parameters["scale"].default == 5
    assert inspect.signature(csat).parameters["positive_from"].default == 4
    assert inspect.signature(ces).parameters["scale"].default == 7
    sl = inspect.signature(service_level).parameters
    assert (sl["threshold"].default, sl["abandon_policy"].default) == (
        timedelta(seconds=20),
        "negative",
    )


def test_naive_datetime_error_is_a_cs8_error_and_a_value_error() -> None:
    import cs8

    assert issubclass(cs8.NaiveDatetimeError, cs8.Cs8Error)
    assert issubclass(cs8.NaiveDatetimeError, ValueError)


def test_enum_values_are_lowercase_names_everywhere() -> None:
    import enum

    for module in ("cs8", "cs8.sla", "cs8.surveys"):
        mod = importlib.import_module(module)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if isinstance(obj, type) and issubclass(obj, enum.Enum):
                assert all(m.value == m.name.lower() for m in obj), name
