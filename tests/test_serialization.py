"""cs8.serialization: every model round-trips through JSON-ready data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import (
    Agent,
    Customer,
    Interaction,
    InvalidValueError,
    Order,
    SerializationError,
    SurveyResponse,
    Ticket,
)
from cs8._frozen import FrozenDict
from cs8._serial_config import json_value
from cs8.routing import (
    Ageing,
    AgentPool,
    ChannelWeights,
    PriorityAdjustments,
    PriorityMatrix,
    Router,
    RoutingDecision,
    RoutingState,
    RuleSet,
    Weighted,
    load_rules,
)
from cs8.serialization import from_data, from_json, parse_duration, to_data, to_json
from cs8.sla import BusinessCalendar, SlaEscalation, SlaMetric, SlaPolicy, SlaTarget
from tests.strategies import (
    agents,
    aware_datetimes,
    customers,
    interactions,
    orders,
    survey_responses,
    tickets,
)


@given(tickets())
def test_tickets_round_trip_through_json(ticket: Ticket) -> None:
    assert from_json(to_json(ticket), Ticket) == ticket


@given(customers())
def test_customers_round_trip(customer: Customer) -> None:
    assert from_data(json.loads(json.dumps(to_data(customer))), Customer) == customer


@given(agents())
def test_agents_round_trip(agent: Agent) -> None:
    assert from_json(to_json(agent), Agent) == agent


@given(interactions())
def test_interactions_round_trip(interaction: Interaction) -> None:
    assert from_json(to_json(interaction), Interaction) == interaction


@given(orders())
def test_orders_round_trip(order: Order) -> None:
    assert from_json(to_json(order), Order) == order


@given(survey_responses())
def test_survey_responses_round_trip(response: SurveyResponse) -> None:
    assert from_json(to_json(response), SurveyResponse) == response


@given(tickets())
def test_round_trip_keeps_the_utc_offset(ticket: Ticket) -> None:
    back = from_json(to_json(ticket), Ticket)
    assert back.created_at.utcoffset() == ticket.created_at.utcoffset()


def test_events_are_a_tagged_union() -> None:
    data = {
        "id": "T1",
        "customer_id": "C1",
        "channel": "email",
        "created_at": "2026-01-05T09:00:00+07:00",
        "events": [{"type": "assignment", "at": "2026-01-05T09:05:00+07:00", "agent_id": "a1"}],
    }
    assert from_data(data, Ticket).assignee == "a1"


def test_unknown_event_tag_is_an_error() -> None:
    data = {
        "id": "T1",
        "customer_id": "C1",
        "channel": "email",
        "created_at": "2026-01-05T09:00:00+07:00",
        "events": [{"type": "teleport", "at": "2026-01-05T09:05:00+07:00"}],
    }
    with pytest.raises(SerializationError, match="cannot build Ticket"):
        from_data(data, Ticket)


def test_naive_timestamp_is_an_error() -> None:
    with pytest.raises(SerializationError, match="aware datetime"):
        from_data(
            {"id": "O1", "customer_id": "C1", "at": "2026-01-05T09:00:00", "amount": "1"}, Order
        )


def test_bad_json_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match="not valid JSON"):
        from_json("{", Customer)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90),
        ("1:02:03", 3723),
        ("PT1H", 3600),
        ("P1DT2H", 93600),
        ("-PT30M", -1800),
        ("12.5", 12.5),
    ],
)
def test_parse_duration_formats(text: str, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


def test_parse_duration_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="ISO 8601 duration"):
        parse_duration("soon")


# --------------------------------------------------------------------------------------------------
# JSON-valued attributes and the configuration and state objects (issue 13: "it cannot restart")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
attribute_maps = st.dictionaries(st.text(min_size=1, max_size=5), json_values, max_size=4)


@given(tickets(), attribute_maps)
def test_tickets_with_json_valued_attributes_round_trip(
    ticket: Ticket, attrs_: dict[str, Any]
) -> None:
    ticket = attrs.evolve(ticket, attributes=attrs_)
    assert from_json(to_json(ticket), Ticket) == ticket


@given(customers(), attribute_maps)
def test_customers_with_json_valued_attributes_round_trip(
    customer: Customer, attrs_: dict[str, Any]
) -> None:
    customer = attrs.evolve(customer, attributes=attrs_)
    assert from_json(to_json(customer), Customer) == customer


def test_a_list_attribute_round_trips_and_stays_hashable() -> None:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ticket = Ticket(
        id="T1", customer_id="C1", channel="email", created_at=t0, attributes={"skus": ["A", "B"]}
    )
    back = from_json(to_json(ticket), Ticket)
    assert back == ticket
    assert back.attributes["skus"] == ("A", "B")
    assert hash(back) == hash(ticket)


def test_nan_is_never_written() -> None:
    customer = Customer(id="C1", attributes={"score": float("nan")})
    with pytest.raises(SerializationError, match="JSON"):
        to_json(customer)


def test_nan_is_never_read() -> None:
    with pytest.raises(SerializationError, match="finite"):
        from_json('{"id": "C1", "attributes": {"score": NaN}}', Customer)


def test_an_object_with_no_json_form_is_a_serialization_error_not_a_type_error() -> None:
    # The constructor rejects such a value (issue 12); one that got in anyway still gives a
    # SerializationError, not a TypeError.
    with pytest.raises(InvalidValueError):
        Customer(id="C1", attributes={"when": datetime(2026, 1, 1, tzinfo=UTC)})  # type: ignore[dict-item]
    customer = Customer(id="C1")
    object.__setattr__(
        customer, "attributes", FrozenDict({"when": datetime(2026, 1, 1, tzinfo=UTC)})
    )
    with pytest.raises(SerializationError):
        to_json(customer)


hhmm = (
    st.integers(0, 22)
    .flatmap(lambda h: st.tuples(st.just(h), st.integers(h + 1, 24)))
    .map(lambda p: (f"{p[0]:02d}:00", f"{p[1]:02d}:00"))
)
days = st.dates(date(2024, 1, 1), date(2028, 12, 31))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    hours = draw(
        st.dictionaries(
            st.sampled_from(["mon", "tue", "wed", "sat"]), hhmm.map(lambda i: [i]), min_size=1
        )
    )
    start = draw(aware_datetimes())
    return BusinessCalendar(
        timezone=draw(st.sampled_from(["UTC", "Asia/Ho_Chi_Minh", "America/New_York"])),
        hours=hours,
        holidays=draw(st.lists(days, max_size=4)),
        overrides=draw(st.dictionaries(days, st.lists(hhmm, max_size=1), max_size=2)),
        closures=draw(st.lists(st.just((start, start + timedelta(hours=2))), max_size=1)),
    )


thresholds = st.floats(0.05, 0.95) | st.integers(1, 120).map(lambda m: timedelta(minutes=m))


@st.composite
def policies(draw: st.DrawFn) -> SlaPolicy:
    targets = [
        SlaTarget(
            metric=draw(st.sampled_from(list(SlaMetric))),
            within=timedelta(minutes=draw(st.integers(121, 10_000))),
            priority=draw(st.none() | st.sampled_from(["urgent", "high"])),
            channel=draw(st.none() | st.sampled_from(["email", "chat"])),
            business_hours=draw(st.booleans()),
            warnings=draw(st.lists(thresholds, max_size=2)),
            escalations=[
                SlaEscalation(level=f"l{i}", at=at)
                for i, at in enumerate(draw(st.lists(thresholds, max_size=2)))
            ],
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return SlaPolicy(
        name=draw(st.text(min_size=1, max_size=5).filter(str.strip)),
        calendar=draw(st.none() | calendars()),
        targets=targets,
    )


@given(calendars())
def test_calendars_with_holidays_overrides_and_closures_round_trip(cal: BusinessCalendar) -> None:
    assert from_json(to_json(cal), BusinessCalendar) == cal


@given(policies())
def test_sla_policies_round_trip(policy: SlaPolicy) -> None:
    assert from_json(to_json(policy), SlaPolicy) == policy


@given(
    st.dictionaries(st.sampled_from(["chat", "messaging", "social"]), st.floats(0.01, 5)),
    st.frozensets(st.sampled_from(["phone", "chat"])),
)
def test_channel_weights_round_trip(weights: dict[str, float], fills: frozenset[str]) -> None:
    cw = ChannelWeights(weights=weights, fills=fills)
    assert from_json(to_json(cw), ChannelWeights) == cw


@given(
    st.dictionaries(st.text(max_size=4), st.text(min_size=1, max_size=4), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=4), attribute_maps, max_size=2),
)
def test_routing_state_with_plugin_state_round_trips(
    last: dict[str, str], plugins: dict[str, dict[str, Any]]
) -> None:
    state = RoutingState(last=last, plugins={k: json_value(v) for k, v in plugins.items()})
    assert from_json(to_json(state), RoutingState) == state


@given(st.lists(agents(), max_size=6, unique_by=lambda a: a.id))
def test_agent_pools_round_trip_with_their_loads(agent_list: list[Agent]) -> None:
    pool = AgentPool(agent_list, weights=ChannelWeights(weights={"chat": 0.5}))
    back = from_json(to_json(pool), AgentPool)
    assert back.agents == pool.agents
    assert back.weights == pool.weights


RULES = {
    "rules": [
        {
            "name": "vip chat",
            "when": {"field": "customer.segment", "op": "equals", "value": "vip"},
            "actions": {"queue": "vip", "skills": {"vip": 1}, "strategy": "round_robin"},
        },
        {
            "name": "slow",
            "when": {"field": "ticket.age", "op": "gt", "value": "PT2H"},
            "actions": {"escalation": [{"after": 1800, "raise_priority": 1}]},
        },
    ],
    "default": {"queue": "general"},
}


def test_rule_sets_round_trip() -> None:
    rules = load_rules(RULES)
    assert from_json(to_json(rules), RuleSet) == rules


@given(
    st.sampled_from(["least_busy", "least_busy_share", "round_robin", "longest_idle"]),
    st.none() | calendars(),
    st.booleans(),
)
def test_routers_round_trip(strategy: str, cal: BusinessCalendar | None, explain: bool) -> None:
    router = Router(
        rules=load_rules(RULES),
        strategy=strategy,
        strategies={"senior_first": Weighted(weights={"a1": 2})},
        timezone="Asia/Ho_Chi_Minh",
        calendar=cal,
        explain=explain,
        matrix=PriorityMatrix(),
        adjustments=PriorityAdjustments(),
        ageing=Ageing(every=timedelta(hours=1)),
    )
    assert from_json(to_json(router), Router) == router


def test_a_router_with_a_strategy_plugin_names_it() -> None:
    class Sticky:
        name = "sticky"

        def choose(self, *args: object) -> object:  # pragma: no cover - never called
            raise AssertionError

    router = Router(strategies={"sticky": Sticky()})  # type: ignore[dict-item]
    with pytest.raises(SerializationError, match="sticky"):
        to_json(router)


def test_routing_decisions_round_trip() -> None:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0)
    decision = Router(strategy="round_robin").route(
        ticket, [Agent(id="a1", channels={"chat"}), Agent(id="a2", channels={"chat"})], now=t0
    )
    back = from_json(to_json(decision), RoutingDecision)
    assert back == decision
    assert back.state == decision.state


def test_event_ids_round_trip_and_are_written_only_when_set() -> None:
    from cs8 import Message, StatusChange

    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="email",
        created_at=t0,
        events=[Message(at=t0, id="hook-1"), StatusChange(at=t0)],
    )
    data = to_data(ticket)
    assert data["events"][0]["id"] == "hook-1"
    assert "id" not in data["events"][1]
    assert from_data(data, Ticket) == ticket
