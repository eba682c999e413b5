"""The router's fast paths agree with the plain definitions they replace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Customer, Ticket
from cs8.routing import (
    EscalationStep,
    Planner,
    Router,
    RoutingContext,
    RoutingRule,
    Rule,
    RuleActions,
    RuleSet,
    _decision,
    _plan,
    compile_condition,
)
from cs8.routing._context import fast_context
from cs8.routing._rules import memo_key
from tests.routing._engine import CHANNELS as ENGINE_CHANNELS
from tests.routing._engine import needs_langs, needs_skills, read_traces_from_threads, workforce

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


def naive_first_match(rules: RuleSet, ctx: RoutingContext) -> RoutingRule | None:
    return next((r for r in rules if r.matches(ctx)), None)


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


strategy_names = st.sampled_from(
    ["least_busy", "least_busy_share", "longest_idle", "most_skilled", "round_robin"]
)
_ESCALATIONS = [
    (),
    (
        EscalationStep(after=timedelta(minutes=30), raise_priority=1, relax_skills=1),
        EscalationStep(after=timedelta(hours=2), queue="tier2", relax_skills=1),
    ),
]
actions_st = st.builds(
    lambda strategy, skills, langs, preferred, change, escalation: RuleActions(
        strategy=strategy,
        skills=skills,
        languages=langs,
        preferred_agents=preferred,
        priority_change=change,
        queue=strategy,
        escalation=escalation,
    ),
    strategy_names,
    needs_skills,
    needs_langs,
    st.lists(st.sampled_from(["a000", "a001", "a002"]), max_size=2, unique=True),
    st.integers(-1, 1),
    st.sampled_from(_ESCALATIONS),
)
routers = st.builds(
    lambda docs_actions, default, fallback: Router(
        rules=RuleSet(
            rules=[
                Rule(name=f"r{i}", when=compile_condition(doc), actions=actions)
                for i, (doc, actions) in enumerate(docs_actions)
            ],
            default=default,
        ),
        away_fallback=fallback,
        explain=False,
    ),
    st.lists(st.tuples(conditions, actions_st), max_size=5),
    actions_st,
    st.booleans(),
)
backlogs = st.lists(
    st.builds(
        lambda channel, category, priority, minutes: (channel, category, priority, minutes),
        st.sampled_from([c.value for c in ENGINE_CHANNELS]),
        st.sampled_from([*CATEGORIES, None]),
        st.sampled_from(PRIORITIES),
        st.integers(0, 300),
    ),
    max_size=10,
)


def _general_path_only(prepared_init: Callable[..., None]) -> Callable[..., None]:
    def init(self: _plan._Prepared, *args: object) -> None:
        prepared_init(self, *args)
        self.simple = False

    return init


def _unremembered_plan(planner: Planner, ctx: RoutingContext) -> _plan._Plan:
    rules = planner.rules
    rule = rules._scan(ctx)
    return planner._plan_slow(ctx, rule, rules.default if rule is None else rule.actions)


@given(routers, workforce(), backlogs)
def test_fast_paths_decide_and_explain_as_the_general_path(
    router: Router, staff: list[Agent], rows: list[tuple[str, str | None, str, int]]
) -> None:
    tickets = [
        Ticket(
            id=f"T{i}",
            customer_id="C1",
            channel=channel,
            category=category,
            priority=priority,
            created_at=T0 - timedelta(minutes=minutes),
        )
        for i, (channel, category, priority, minutes) in enumerate(rows)
    ]
    fast = router.assign(tickets, staff, now=T0)
    slow_router = attrs.evolve(router)  # a fresh router: nothing prepared yet
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_plan._Prepared, "__init__", _general_path_only(_plan._Prepared.__init__))
        patch.setattr(Planner, "plan", _unremembered_plan)
        patch.setattr(Planner, "remembers", False)
        slow = slow_router.assign(tickets, staff, now=T0)
    assert [(d, d.trace) for d in slow.decisions] == [(d, d.trace) for d in fast.decisions]
    assert (slow.loads, slow.state) == (fast.loads, fast.state)


@given(
    st.sampled_from(["a1", None]),
    st.sampled_from(["q", None]),
    st.sampled_from(PRIORITIES),
    st.sampled_from([None, 1, 2]),
    st.sampled_from([None, T0]),
)
def test_new_decision_equals_the_checked_constructor(
    agent_id: str | None, queue: str | None, priority: str, step: int | None, due: datetime | None
) -> None:
    from cs8 import Priority
    from cs8._frozen import FrozenDict
    from cs8.routing import RoutingDecision, RoutingState

    fields = {
        "ticket_id": "T1",
        "agent_id": agent_id,
        "queue": queue,
        "priority": Priority(priority),
        "trace": ("a", "b"),
        "rule": "r",
        "strategy": "least_busy",
        "escalation_step": step,
        "skills": FrozenDict({"x": 1}),
        "languages": frozenset({"en"}),
        "due_at": due,
        "context": None,
        "handoff": None,
        "state": RoutingState(),
    }
    # The eight fields a plan decides are one shared value (_Planned) in the decision.
    planned = _plan._Planned(
        queue=queue,
        priority=Priority(priority),
        rule="r",
        strategy="least_busy",
        escalation_step=step,
        skills=FrozenDict({"x": 1}),
        languages=frozenset({"en"}),
        due_at=due,
    )
    fast = _decision._new_decision(
        "T1", agent_id, planned, ("a", "b"), None, None, RoutingState(), None
    )
    slow = RoutingDecision(**fields)  # type: ignore[arg-type]
    assert [getattr(slow, name) for name in fields] == [getattr(fast, name) for name in fields]
    assert (slow, hash(slow), repr(slow)) == (fast, hash(fast), repr(fast))
    assert repr(slow).startswith(f"RoutingDecision(ticket_id='T1', agent_id={agent_id!r}, queue=")
    assert [a.alias for a in attrs.fields(RoutingDecision)] == [
        "ticket_id", "agent_id", "_planned", "trace", "context", "handoff", "state", "_source"
    ]  # fmt: skip
    assert fast._source is None
    # attrs.evolve changes a plan's field in one decision only, and keeps the others.
    changed = attrs.evolve(fast, queue="elsewhere", agent_id=None)
    assert (changed.queue, changed.agent_id, changed.skills) == ("elsewhere", None, planned.skills)
    assert (fast.queue, attrs.evolve(fast)) == (queue, fast)
    assert changed != fast
    with pytest.raises(TypeError, match="priority"):
        RoutingDecision(ticket_id="T1", agent_id=None, queue=None, trace=())


@given(routers, backlogs)
def test_a_backlogs_decisions_carry_the_context_the_rules_read(
    router: Router, rows: list[tuple[str, str | None, str, int]]
) -> None:
    tickets = [
        Ticket(
            id=f"T{i}",
            customer_id=f"C{i % 2}",
            channel=channel,
            category=category,
            priority=priority,
            created_at=T0 - timedelta(minutes=minutes),
        )
        for i, (channel, category, priority, minutes) in enumerate(rows)
    ]
    customers = {"C0": Customer(id="C0", segment="vip")}
    result = router.assign(tickets, [Agent(id="a1", capacity=2)], now=T0, customers=customers)
    by_id = {t.id: t for t in tickets}
    for d in result.decisions:
        ticket = by_id[d.ticket_id]
        expected = RoutingContext(
            ticket=ticket,
            now=T0,
            customer=customers.get(ticket.customer_id),
            timezone=router.timezone,
        )
        assert d.context == expected
        assert d.context is d.context  # built once
        assert router.rules.select(expected)[0] == (
            None if d.rule is None else router.rules.rule(d.rule)
        )
        # A changed copy keeps its context.
        assert attrs.evolve(d, agent_id=None).context == expected


def test_decisions_filled_as_drafts_are_frozen_weakly_referable_routing_decisions() -> None:
    import weakref

    from cs8.routing import RoutingDecision

    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=T0)
    router = Router(explain=False)
    made = [
        router.assign([ticket], [Agent(id="a1")], now=T0).decisions[0],  # the backlog loop
        router.route(ticket, [Agent(id="a1")], now=T0),  # _new_decision
    ]
    for d in made:
        assert type(d) is RoutingDecision
        assert weakref.ref(d)() is d
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            d.agent_id = "a2"  # type: ignore[misc]
        assert d == attrs.evolve(d)
        assert hash(d) == hash(attrs.evolve(d))


def test_a_backlogs_traces_are_built_when_read_and_count_everywhere() -> None:
    import pickle

    tickets = [
        Ticket(id=f"T{i}", customer_id="C1", channel="email", created_at=T0) for i in range(3)
    ]
    router = Router(explain=False)
    first = router.assign(tickets, [Agent(id="a1", capacity=2)], now=T0).decisions
    second = router.assign(tickets, [Agent(id="a1", capacity=2)], now=T0).decisions
    expected = router.route(tickets[0], [Agent(id="a1", capacity=2)], now=T0).trace
    assert hash(first[0]) == hash(second[0])  # hashing reads the trace
    assert first == second
    assert first[0].trace == expected
    assert first[0].trace is first[0].trace  # built once
    assert "looked at" in repr(second[1])
    assert second[2].trace[-1].startswith("strategy least_busy: nobody eligible")
    assert pickle.loads(pickle.dumps(first[1])).trace == first[1].trace
    assert attrs.evolve(second[0]).trace == expected
    assert first[0] != attrs.evolve(first[0], trace=("another trace",))


def test_a_backlogs_decisions_are_made_when_read_and_equal_the_constructors() -> None:
    import pickle

    from cs8.routing import AssignmentResult

    tickets = [
        Ticket(id=f"T{i}", customer_id="C1", channel="email", created_at=T0) for i in range(3)
    ]
    result = Router(explain=False).assign(tickets, [Agent(id="a1", capacity=2)], now=T0)
    assert result._rows is not None  # nothing made yet
    decisions = result.decisions
    assert result._rows is None
    assert result.decisions is decisions
    checked = AssignmentResult(decisions=decisions, loads=result.loads, state=result.state)
    assert (checked, hash(checked), repr(checked)) == (result, hash(result), repr(result))
    again = Router(explain=False).assign(tickets, [Agent(id="a1", capacity=2)], now=T0)
    assert pickle.loads(pickle.dumps(again)) == result
    assert again.assignments == {"T0": "a1", "T1": "a1"}
    assert again.waiting == ("T2",)


def test_traces_read_from_several_threads_at_once_are_all_built() -> None:
    tickets = [
        Ticket(id=f"T{i}", customer_id="C1", channel="email", created_at=T0) for i in range(5000)
    ]
    staff = [Agent(id=f"a{i}", capacity=1000) for i in range(20)]
    decisions = Router(explain=False).assign(tickets, staff, now=T0).decisions
    expected = Router(explain=False).assign(tickets, staff, now=T0).decisions
    assert read_traces_from_threads(decisions) == []
    assert [d.trace for d in decisions] == [d.trace for d in expected]


def test_a_decision_needs_a_tuple_trace() -> None:
    from cs8.exceptions import InvalidValueError
    from cs8.routing import RoutingDecision

    with pytest.raises(InvalidValueError, match="trace must be a tuple of lines, got None"):
        RoutingDecision(ticket_id="T1", agent_id=None, queue=None, priority="normal", trace=None)  # type: ignore[arg-type]


def test_a_backlogs_decisions_build_their_unset_fields_from_their_rows_when_read() -> None:
    import pickle

    from cs8.routing import RoutingState, handoff_context

    # A backlog's decision sets four slots (ticket, agent, the plan's fields, its row); its
    # trace, context, handoff and state are built from the row when first read.
    tickets = [
        Ticket(id=f"T{i}", customer_id=f"C{i % 2}", channel="email", created_at=T0)
        for i in range(4)
    ]
    by_id = {t.id: t for t in tickets}
    handoffs = {"C0": handoff_context("C0", tickets[0::2])}
    start = RoutingState().advanced("q", "a1")
    router = Router(explain=False)
    result = router.assign(
        tickets, [Agent(id="a1", capacity=2)], now=T0, handoffs=handoffs, state=start
    )
    for d in result.decisions:
        assert d.state is start
        assert d.handoff is handoffs.get(by_id[d.ticket_id].customer_id)
        assert d.context is not None
        assert d.context.ticket is by_id[d.ticket_id]
        assert d.trace[-1].startswith("strategy least_busy")
    fresh = router.assign(
        tickets, [Agent(id="a1", capacity=2)], now=T0, handoffs=handoffs, state=start
    )
    for d, unread in zip(result.decisions, fresh.decisions, strict=True):
        copy = pickle.loads(pickle.dumps(unread))  # pickling reads every field first
        assert (copy, copy.trace, copy.state) == (d, d.trace, d.state)
        assert (copy.handoff is None) == (d.handoff is None)
        changed = attrs.evolve(unread, agent_id="a9")
        assert (changed.state, changed.handoff, changed.context) == (d.state, d.handoff, d.context)


def test_a_backlogs_decision_keeps_its_run_but_pickles_and_evolves_on_its_own() -> None:
    import pickle

    from cs8.routing import handoff_context

    # A backlog's decisions keep the run they were served in (columns over the call's lists)
    # and find their row by ticket id; a pickled decision carries its own row, not the run, and
    # a decision evolved to another ticket id keeps what it had (not that ticket's).
    tickets = [
        Ticket(id=f"T{i}", customer_id=f"C{i % 2}", channel="email", created_at=T0)
        for i in range(200)
    ]
    handoffs = {"C0": handoff_context("C0", tickets[:2])}
    router = Router(explain=False)
    staff = [Agent(id="a1", capacity=150)]
    result = router.assign(tickets, staff, now=T0, handoffs=handoffs)
    unread = router.assign(tickets, staff, now=T0, handoffs=handoffs).decisions
    assert type(unread[0]._source) is _decision._Run
    one = pickle.dumps(unread[0])
    assert len(one) * 10 < len(pickle.dumps(unread[0]._source))  # the run: 200 tickets
    copy = pickle.loads(one)
    assert copy._source[3] is not tickets[0]  # its own row: the ticket, pickled with it
    first = result.decisions[0]
    assert (copy, copy.trace, copy.context.ticket) == (  # type: ignore[union-attr]
        first,
        first.trace,
        tickets[0],
    )
    t2 = next(d for d in unread if d.ticket_id == "T2")
    moved = attrs.evolve(t2, ticket_id="T1")  # T2 (customer C0) renamed T1 (C1)
    assert moved.handoff is handoffs["C0"]
    assert moved.context is not None
    assert moved.context.ticket is tickets[2]
    assert moved._source is None
    waiting = unread[-1]  # past the agent's capacity: waits
    assert (waiting.agent_id, waiting.trace) == (None, result.decisions[-1].trace)
