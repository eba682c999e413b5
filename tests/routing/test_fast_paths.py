"""The router's fast paths agree with the plain definitions they replace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cs8 import Customer, Ticket
from cs8.routing import RoutingContext, Rule, RuleActions, RuleSet, compile_condition
from cs8.routing._context import fast_context
from cs8.routing._rules import memo_key

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHANNELS = ["email", "chat", "phone"]
CATEGORIES = ["refund", "billing", "bug"]
PRIORITIES = ["low", "normal", "high", "urgent"]
SEGMENTS = ["vip", "repeat", "one_time"]
TAGS = ["a", "b"]

comparisons = st.one_of(
    st.builds(
        lambda op, v: {"field": "ticket.channel", "op": op, "value": v},
        st.sampled_from(["equals", "not_equals"]),
        st.sampled_from(CHANNELS),
    ),
    st.builds(
        lambda vs: {"field": "ticket.category", "op": "in", "value": vs},
        st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        lambda op, v: {"field": "ticket.priority", "op": op, "value": v},
        st.sampled_from(["gte", "lt", "equals"]),
        st.sampled_from(PRIORITIES),
    ),
    st.builds(
        lambda v: {"field": "customer.segment", "op": "equals", "value": v},
        st.sampled_from(SEGMENTS),
    ),
    st.builds(lambda v: {"field": "ticket.tags", "op": "has", "value": v}, st.sampled_from(TAGS)),
    st.builds(lambda h: {"field": "time.hour", "op": "gte", "value": h}, st.integers(0, 23)),
)
conditions = st.recursive(
    comparisons,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=6,
)
rule_sets = st.lists(conditions, max_size=8).map(
    lambda docs: RuleSet(
        rules=[
            Rule(name=f"r{i}", when=compile_condition(doc), actions=RuleActions(queue=f"q{i}"))
            for i, doc in enumerate(docs)
        ]
    )
)
contexts = st.builds(
    lambda channel, category, priority, segment, tags, hours: RoutingContext(
        ticket=Ticket(
            id="T1",
            customer_id="C1",
            channel=channel,
            category=category,
            priority=priority,
            tags=set(tags),
            created_at=T0,
        ),
        now=T0 + timedelta(hours=hours),
        customer=None if segment is None else Customer(id="C1", segment=segment),
    ),
    st.sampled_from(CHANNELS),
    st.sampled_from([*CATEGORIES, None]),
    st.sampled_from(PRIORITIES),
    st.sampled_from([*SEGMENTS, None]),
    st.lists(st.sampled_from(TAGS), unique=True),
    st.integers(0, 30),
)


def naive_first_match(rules: RuleSet, ctx: RoutingContext) -> Rule | None:
    return next((r for r in rules if r.matches(ctx)), None)  # type: ignore[misc]


@given(rule_sets, st.lists(contexts, min_size=1, max_size=12))
def test_remembered_first_match_is_the_first_rule_in_order_that_matches(
    rules: RuleSet, ctxs: list[RoutingContext]
) -> None:
    # The same rule set serves many contexts, so later ones are answered from its memo.
    expected = [naive_first_match(rules, ctx) for ctx in ctxs]
    first = [rules.first_match(ctx) for ctx in ctxs]  # fills the memo
    again = [rules.first_match(ctx) for ctx in ctxs]  # answered from it
    assert (expected, expected) == (first, again)


@given(rule_sets)
def test_rule_sets_reading_few_valued_fields_use_the_memo(rules: RuleSet) -> None:
    assert memo_key(rules) is not None


def test_rule_sets_reading_the_ticket_age_are_not_remembered() -> None:
    rule = Rule(
        name="old", when=compile_condition({"field": "ticket.age", "op": "gt", "value": 60})
    )
    young = RoutingContext(
        ticket=Ticket(id="T1", customer_id="C1", channel="chat", created_at=T0), now=T0
    )
    old = RoutingContext(ticket=young.ticket, now=T0 + timedelta(hours=1))
    rules = RuleSet(rules=[rule])
    assert (None, rule) == (rules.first_match(young), rules.first_match(old))


@given(contexts)
def test_fast_context_equals_the_validated_context(ctx: RoutingContext) -> None:
    fast = fast_context(ctx.ticket, ctx.now, ctx.customer, None, UTC)
    assert ctx == fast
    assert (ctx.local_hour, ctx.age_seconds) == (fast.local_hour, fast.age_seconds)
