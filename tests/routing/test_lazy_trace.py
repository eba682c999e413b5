"""The filter counts of a trace: kept up to date by the pool, and read lazily by the router.

``AgentPool.filter_counts`` comes from tallies the pool updates on every change; the oracle here
counts every agent through the public API. ``Router.route`` with ``explain=True`` keeps the
numbers counted at decision time and writes the trace when it is first read: it must read the
same as a trace read right away, whatever the pool did in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, AgentStatus, Channel, Ticket
from cs8.routing import AgentPool, ChannelWeights, Need, Router, Rule, RuleActions, RuleSet
from cs8.routing import compile_condition as when
from tests.routing._engine import T0, read_traces_from_threads, workforce

WEIGHTS = ChannelWeights(weights={Channel.CHAT: 0.5}, blocking={Channel.PHONE})
STATUSES = (AgentStatus.ONLINE, AgentStatus.AWAY)
NEEDS = [
    Need(Channel.EMAIL),
    Need(Channel.EMAIL, skills={"billing": 1}),
    Need(Channel.CHAT, languages={"en"}),
    Need(Channel.CHAT, skills={"tech": 2, "refunds": 0}, languages={"vi"}),
    Need(Channel.PHONE),
]


def brute_counts(
    pool: AgentPool, need: Need, status: AgentStatus, among: Iterable[str] | None = None
) -> tuple[tuple[str, int], ...]:
    """Every agent, filter by filter, through the public API (the reference for the counts)."""
    ids = list(pool) if among is None else [i for i in set(among) if i in pool]
    out = [("agents" if among is None else "preferred agents", len(ids))]
    ids = [i for i in ids if pool.status(i) is status]
    out.append((f"status {status.value}", len(ids)))
    ids = [i for i in ids if need.channel in pool.agent(i).channels]
    out.append((f"channel {need.channel.value}", len(ids)))
    ids = [i for i in ids if pool.can_take(i, need.channel)]
    out.append(("spare capacity", len(ids)))
    if need.skills:
        ids = [i for i in ids if all(pool.agent(i).skills.get(k, -1) >= v for k, v in need.skills)]
        out.append(("skills " + ", ".join(f"{k}>={v}" for k, v in need.skills), len(ids)))
    if need.languages:
        ids = [i for i in ids if need.languages & pool.agent(i).languages]
        out.append((f"language {'/'.join(sorted(need.languages))}", len(ids)))
    return tuple(out)


def count_line(counts: tuple[tuple[str, int], ...], status: AgentStatus) -> str:
    return f"filters ({status.value}): " + " -> ".join(f"{label} {n}" for label, n in counts)


operation = st.one_of(
    st.tuples(st.just("assign"), st.integers(0, 30), st.sampled_from(list(Channel)[:3])),
    st.tuples(st.just("assign"), st.integers(0, 30), st.just(Channel.PHONE)),
    st.tuples(st.just("release"), st.integers(0, 30), st.sampled_from(list(Channel)[:3])),
    st.tuples(st.just("release"), st.integers(0, 30), st.just(Channel.PHONE)),
    st.tuples(st.just("clear"), st.integers(0, 30)),
    st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from([*STATUSES, "offline"])),
    st.tuples(st.just("per_channel"), st.integers(0, 30)),
    st.tuples(st.just("remove"), st.integers(0, 30)),
    st.tuples(st.just("copy")),
)


def apply(pool: AgentPool, op: tuple[Any, ...]) -> AgentPool:
    """Do ``op`` to ``pool`` (an assignment only where it fits); return the pool to go on with."""
    ids = list(pool)
    if op[0] == "copy":
        return pool.copy()
    if not ids:
        return pool
    agent_id = ids[op[1] % len(ids)]
    if op[0] == "assign":
        if pool.can_take(agent_id, op[2]):
            pool.assign(agent_id, op[2], at=T0)
    elif op[0] == "release":
        pool.release(agent_id, op[2])
    elif op[0] == "clear":
        pool.clear(agent_id)
    elif op[0] == "status":
        pool.set_status(agent_id, op[2])
    elif op[0] == "per_channel":
        agent = pool.agent(agent_id)
        limits = {c: 1 + n % 2 for n, c in enumerate(sorted(agent.channels, key=str))}
        pool.set_agent(attrs.evolve(agent, capacity_by_channel=limits))
    elif len(ids) > 1:
        pool.remove_agent(agent_id)
    return pool


@given(workforce(), st.lists(operation, max_size=40), st.sampled_from([None, ("a001", "a003")]))
def test_filter_counts_equal_counting_every_agent_after_any_changes(
    team: list[Agent], ops: list[tuple[Any, ...]], among: tuple[str, ...] | None
) -> None:
    pool = AgentPool(team, weights=WEIGHTS)
    for op in [("copy",), *ops]:
        pool = apply(pool, op)
        for need in NEEDS:
            for status in STATUSES:
                assert pool.filter_counts(need, status, among) == brute_counts(
                    pool, need, status, among
                )


actions = st.builds(
    lambda skills, langs, preferred, strategy: RuleActions(
        skills=skills, languages=langs, preferred_agents=preferred, strategy=strategy
    ),
    st.fixed_dictionaries({}, optional={"billing": st.integers(0, 3), "tech": st.integers(0, 3)}),
    st.sets(st.sampled_from(["en", "vi"]), max_size=1),
    st.lists(st.sampled_from(["a001", "a002", "a005", "a404"]), max_size=2, unique=True),
    st.sampled_from(["least_busy", "longest_idle", "most_skilled", "round_robin"]),
)
routers = st.builds(
    lambda by_channel, fallback: Router(
        rules=RuleSet(
            rules=[
                Rule(
                    name=f"r_{channel}",
                    when=when({"field": "ticket.channel", "op": "equals", "value": channel}),
                    actions=act,
                )
                for channel, act in by_channel.items()
            ]
        ),
        weights=WEIGHTS,
        away_fallback=fallback,
    ),
    st.fixed_dictionaries({}, optional=dict.fromkeys(("email", "chat", "phone"), actions)),
    st.booleans(),
)
tickets = st.lists(
    st.tuples(st.sampled_from(["email", "chat", "phone"]), st.lists(operation, max_size=3)),
    min_size=1,
    max_size=12,
)


@given(workforce(), routers, tickets)
def test_a_lazy_trace_reads_as_the_pool_was_at_decision_time(
    team: list[Agent], router: Router, rows: list[tuple[str, list[tuple[Any, ...]]]]
) -> None:
    pool = AgentPool(team, weights=WEIGHTS)
    quiet = attrs.evolve(router, explain=False)
    later = []
    for n, (channel, ops) in enumerate(rows):
        ticket = Ticket(id=f"T{n}", customer_id="C1", channel=channel, created_at=T0)
        lazy = router.route(ticket, pool, now=T0)
        eager = router.route(ticket, pool, now=T0)
        read_now = eager.trace
        # The decision is the one made without a trace; each count line counts every agent.
        assert lazy.agent_id == quiet.route(ticket, pool, now=T0).agent_id == eager.agent_id
        need = Need(Channel(channel), skills=lazy.skills, languages=lazy.languages)
        expected = {
            count_line(brute_counts(pool, need, status, among), status)
            for status in STATUSES
            for among in (None, *router_preferred(router, channel))
        }
        counted = [line for line in read_now if line.startswith("filters (")]
        assert counted
        assert set(counted) <= expected, (counted, expected)
        if lazy.agent_id is not None:
            pool.assign(lazy.agent_id, channel, at=T0)
        for op in ops:
            pool = apply(pool, op)
        later.append((lazy, read_now))
    for lazy, read_now in later:
        assert lazy.trace == read_now  # read only now, after the pool changed
        assert lazy.trace is lazy.trace  # written once


def router_preferred(router: Router, channel: str) -> list[tuple[str, ...]]:
    return [r.actions.preferred_agents for r in router.rules.rules if r.name == f"r_{channel}"]


def test_a_trace_counts_the_pool_at_decision_time() -> None:
    pool = AgentPool([Agent(id="a1", capacity=1), Agent(id="a2", capacity=1)])
    ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=T0)
    decision = Router().route(ticket, pool, now=T0)
    assert decision._source is not None  # what the trace is written from
    pool.assign("a1", "email")
    pool.set_status("a2", "away")
    assert decision.trace[-2:] == (
        "filters (online): agents 2 -> status online 2 -> channel email 2 -> spare capacity 2",
        "strategy least_busy: chose a1; tie-break: fewest units of work, then agent id",
    )
    assert Router().route(ticket, pool, now=T0).trace[-2] == (
        "filters (online): agents 2 -> status online 1 -> channel email 1 -> spare capacity 0"
    )


def test_lazy_route_traces_read_from_several_threads_at_once_are_all_built() -> None:
    pool = AgentPool([Agent(id=f"a{i}", capacity=3) for i in range(20)])
    router = Router()
    decisions = []
    expected = []
    for i in range(2000):
        ticket = Ticket(id=f"T{i}", customer_id="C1", channel="email", created_at=T0)
        decisions.append(router.route(ticket, pool, now=T0))
        expected.append(router.route(ticket, pool, now=T0).trace)
        agent_id = f"a{i % 20}"
        if i % 3:
            pool.release(agent_id, "email")
        elif pool.can_take(agent_id, "email"):
            pool.assign(agent_id, "email")
    assert read_traces_from_threads(decisions) == []
    assert [d.trace for d in decisions] == expected
