"""Routing profiles: Amazon Connect's per-queue priority and delay, served by Router.assign.

Connect's semantics and the two worked examples come from "Queue priority and delay examples to
help you load balance Amazon Connect contacts",
https://docs.aws.amazon.com/connect/latest/adminguide/concepts-routing-profiles-priority.html
(examples 1 and 2); the ranges (priority 1-99, delay 0-9999 s) from the API reference,
https://docs.aws.amazon.com/connect/latest/APIReference/API_RoutingProfileQueueConfig.html.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cs8.routing
from cs8 import Agent, Ticket
from cs8.exceptions import InvalidValueError, RuleError
from cs8.routing import (
    AgentPool,
    ProfileQueue,
    Router,
    RoutingProfile,
    RuleActions,
    RuleSet,
    dump_rules,
    load_rules,
)
from cs8.routing._rules_io import _PROFILE_KEYS, _PROFILE_QUEUE_KEYS
from tests.routing.test_rules_schema import SCHEMA, valid

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
QUEUES = ("sales", "support", "billing", "vip")


def rules_doc(profiles: list[dict[str, Any]]) -> dict[str, Any]:
    """Rules that put a ticket in the queue named by its category (``sales`` without one)."""
    return {
        "rules": [
            {
                "name": q,
                "when": {"field": "ticket.category", "op": "equals", "value": q},
                "actions": {"queue": q},
            }
            for q in QUEUES[1:]
        ],
        "default": {"queue": "sales"},
        "profiles": profiles,
    }


def ticket(ticket_id: str, queue: str, waited: float, channel: str = "email") -> Ticket:
    return Ticket(
        id=ticket_id,
        customer_id="C",
        channel=channel,
        created_at=T0 - timedelta(seconds=waited),
        category=None if queue == "sales" else queue,
    )


def sales_router(support_priority: int, support_delay: int) -> Router:
    return Router(
        rules=load_rules(
            rules_doc(
                [
                    {
                        "name": "Sales",
                        "teams": ["sales"],
                        "queues": [
                            {"queue": "sales", "priority": 1, "delay": 0},
                            {
                                "queue": "support",
                                "priority": support_priority,
                                "delay": support_delay,
                            },
                        ],
                    }
                ]
            )
        )
    )


AGENT = Agent(id="a1", team="sales", capacity=1)


# ------------------------------------------------------------------ Connect's examples


def test_connect_example_1_sales_first_then_support() -> None:
    # Example 1: Sales priority 1 delay 0, Support priority 2 delay 0. "If there are no contacts
    # in the Sales queue, then the agents will be presented with contacts from the Support queue."
    router = sales_router(support_priority=2, support_delay=0)
    both = [ticket("support-old", "support", 300), ticket("sales-new", "sales", 5)]
    assert dict(router.assign(both, [AGENT], now=T0).assignments) == {"sales-new": "a1"}
    only_support = [ticket("support-old", "support", 300)]
    assert dict(router.assign(only_support, [AGENT], now=T0).assignments) == {"support-old": "a1"}


def test_connect_example_2_support_waits_30_seconds_then_ranks_with_sales() -> None:
    # Example 2: Sales priority 1 delay 0, Support priority 1 delay 30. "These agents will always
    # get contacts from the Sales queue first ... when a contact in the Support queue ages past
    # 30 seconds, it will also be treated as priority 1. The agents will then be presented with
    # the contact from the Support queue."
    router = sales_router(support_priority=1, support_delay=30)
    young = [ticket("support", "support", 20), ticket("sales", "sales", 5)]
    assert dict(router.assign(young, [AGENT], now=T0).assignments) == {"sales": "a1"}
    aged = [ticket("support", "support", 31), ticket("sales", "sales", 5)]
    assert dict(router.assign(aged, [AGENT], now=T0).assignments) == {"support": "a1"}
    alone = [ticket("support", "support", 29)]
    assert dict(router.assign(alone, [AGENT], now=T0).assignments) == {}


def test_the_trace_names_profile_queue_priority_and_delay() -> None:
    router = sales_router(support_priority=1, support_delay=30)
    result = router.assign([ticket("support", "support", 31)], [AGENT], now=T0)
    assert result.decisions[0].context.ticket.id == "support"
    assert result.decisions[0].trace[-3:] == (
        "routing profiles: in queue 'support' since 2026-03-02T08:59:29+00:00 (created), 31 s; "
        "the next ticket of a1 (profile 'Sales' (team sales): priority 1, delay 30 s)",
        "filters (online): agents 1 -> status online 1 -> channel email 1 -> spare capacity 1",
        "strategy profile_rounds: chose a1; tie-break: smallest key of profile_rounds, then "
        "agent id",
    )


def test_a_waiting_ticket_says_which_delay_holds_it() -> None:
    router = sales_router(support_priority=1, support_delay=30)
    result = router.assign([ticket("support", "support", 12)], [AGENT], now=T0)
    assert result.decisions[0].agent_id is None
    assert result.decisions[0].trace[-1] == (
        "routing profiles: no agent took it from queue 'support' (since "
        "2026-03-02T08:59:48+00:00 (created), 12 s; in profiles 'Sales' (priority 1, delay "
        "30 s)); waiting"
    )


def test_an_agent_listed_by_id_works_that_profile_over_its_teams() -> None:
    rules = load_rules(
        rules_doc(
            [
                {"name": "sales", "teams": ["t"], "queues": [{"queue": "sales"}]},
                {"name": "billing", "agents": ["a1"], "queues": [{"queue": "billing"}]},
            ]
        )
    )
    backlog = [ticket("s", "sales", 50), ticket("b", "billing", 10)]
    agents = [Agent(id="a1", team="t", capacity=1)]
    assert dict(Router(rules=rules).assign(backlog, agents, now=T0).assignments) == {"b": "a1"}


def test_the_longest_idle_agent_takes_first() -> None:
    router = sales_router(support_priority=2, support_delay=0)
    agents = [
        Agent(id="a1", team="sales", capacity=1, last_assigned_at=T0 - timedelta(minutes=1)),
        Agent(id="a2", team="sales", capacity=1, last_assigned_at=T0 - timedelta(minutes=9)),
    ]
    backlog = [ticket("old", "sales", 60), ticket("new", "sales", 1)]
    result = router.assign(backlog, agents, now=T0)
    assert dict(result.assignments) == {"old": "a2", "new": "a1"}


def test_channel_capacity_still_applies() -> None:
    router = sales_router(support_priority=2, support_delay=0)
    phone_agent = Agent(id="a1", team="sales", channels={"email"}, capacity=2)
    backlog = [ticket("call", "sales", 90, "phone"), ticket("mail", "support", 10)]
    assert dict(router.assign(backlog, [phone_agent], now=T0).assignments) == {"mail": "a1"}


def test_a_given_pool_is_not_changed() -> None:
    pool = AgentPool([AGENT])
    sales_router(2, 0).assign([ticket("s", "sales", 1)], pool, now=T0)
    assert pool.load("a1") == 0


# ------------------------------------------------------------------ data in and out


def test_profiles_round_trip_through_the_document_and_pickle() -> None:
    rules = sales_router(2, 30).rules
    assert load_rules(dump_rules(rules)) == rules
    assert pickle.loads(pickle.dumps(rules)) == rules
    assert dump_rules(rules)["profiles"] == [
        {
            "name": "Sales",
            "queues": [
                {"queue": "sales", "priority": 1, "delay": 0},
                {"queue": "support", "priority": 2, "delay": 30},
            ],
            "teams": ["sales"],
        }
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"queue": "support", "priority": 0},
            "at profiles[0].queues[0].priority: profile 'Tier 2', queue 'support': priority "
            "must be an integer in 1..99, got 0",
        ),
        (
            {"queue": "support", "priority": 100},
            "at profiles[0].queues[0].priority: profile 'Tier 2', queue 'support': priority "
            "must be an integer in 1..99, got 100",
        ),
        (
            {"queue": "support", "delay": -1},
            "at profiles[0].queues[0].delay: profile 'Tier 2', queue 'support': delay must be "
            "an integer in 0..9999, got -1",
        ),
        (
            {"queue": "returns"},
            "at profiles[0].queues[0].queue: profile 'Tier 2': 'returns' is not a queue the "
            "rules send work to; known: billing, sales, support, vip",
        ),
    ],
)
def test_the_loader_refuses_a_bad_profile_naming_field_value_and_record(
    entry: dict[str, Any], message: str
) -> None:
    doc = rules_doc([{"name": "Tier 2", "teams": ["t2"], "queues": [entry]}])
    with pytest.raises(RuleError) as caught:
        load_rules(doc)
    assert str(caught.value) == message
    assert not valid(doc, SCHEMA) or entry == {"queue": "returns"}  # the schema can't know queues


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: ProfileQueue(queue="support", priority=100),
            "ProfileQueue 'support': priority must be an integer in 1..99, got 100",
        ),
        (
            lambda: ProfileQueue(queue="support", delay=-5),
            "ProfileQueue 'support': delay must be an integer in 0..9999, got -5",
        ),
        (
            lambda: RuleSet(
                default=RuleActions(queue="sales"),
                profiles=[RoutingProfile(name="Tier 2", queues=[ProfileQueue(queue="returns")])],
            ),
            "RuleSet.profiles[0] (profile 'Tier 2'): queues[0].queue 'returns' is not a queue "
            "the rules send work to; known: sales",
        ),
        (
            lambda: RuleSet(
                default=RuleActions(queue="sales"),
                profiles=[
                    RoutingProfile(name="p", agents={"a1"}, queues=[ProfileQueue(queue="sales")]),
                    RoutingProfile(name="q", agents={"a1"}, queues=[ProfileQueue(queue="sales")]),
                ],
            ),
            "RuleSet.profiles[1] (profile 'q'): agent 'a1' is already in profile 'p'",
        ),
    ],
)
def test_the_values_refuse_a_bad_profile(make: Any, message: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        make()
    assert str(caught.value) == message


profile_values = st.one_of(
    st.integers(-2, 10001), st.booleans(), st.none(), st.text(max_size=2), st.floats(0, 50)
)


@st.composite
def profile_docs(draw: st.DrawFn) -> dict[str, Any]:
    profiles = []
    for i in range(draw(st.integers(0, 3))):
        entries = []
        for queue in draw(st.lists(st.sampled_from(QUEUES), unique=True, max_size=4)):
            entry: dict[str, Any] = {"queue": queue}
            for key, values in (("priority", st.integers(1, 99)), ("delay", st.integers(0, 9999))):
                if draw(st.booleans()):
                    entry[key] = draw(st.one_of(values, profile_values))
            entries.append(entry)
        profile: dict[str, Any] = {"name": f"p{i}", "queues": entries}
        if draw(st.booleans()):
            profile["agents"] = [f"a{i}"]
        if draw(st.booleans()):
            profile["teams"] = draw(st.lists(st.sampled_from(["t1", "t2"]), max_size=2))
        profiles.append(profile)
    return rules_doc(profiles)


def loads(doc: dict[str, Any]) -> bool:
    try:
        load_rules(doc)
    except RuleError:
        return False
    return True


@given(profile_docs())
def test_a_profile_document_the_loader_accepts_is_schema_valid(doc: dict[str, Any]) -> None:
    assert not loads(doc) or valid(doc, SCHEMA)


@given(profile_docs())
def test_a_schema_valid_profile_document_loads_unless_a_team_is_shared(doc: dict[str, Any]) -> None:
    # The loader checks more than the schema says: a team in two profiles (queues are drawn
    # from the rules' queues and names are unique here). JSON Schema's "integer" admits 30.0,
    # which the loader refuses as it does for every integer field (nothing is coerced).
    teams = [t for p in doc["profiles"] for t in p.get("teams", [])]
    numbers = [
        v for p in doc["profiles"] for q in p["queues"] for k, v in q.items() if k != "queue"
    ]
    if any(isinstance(v, float) for v in numbers):
        assert not loads(copy.deepcopy(doc))
    elif valid(doc, SCHEMA) and len(teams) == len(set(teams)):
        assert loads(copy.deepcopy(doc))


def test_the_schema_lists_the_loaders_profile_keys() -> None:
    assert set(SCHEMA["$defs"]["profile"]["properties"]) == _PROFILE_KEYS
    assert set(SCHEMA["$defs"]["profile_queue"]["properties"]) == _PROFILE_QUEUE_KEYS


def test_the_profile_names_are_public() -> None:
    assert {"ProfileQueue", "RoutingProfile"} <= set(cs8.routing.__all__)


# ------------------------------------------------------------------ against a brute force

HAS_LANGUAGE = {"field": "agent.languages", "op": "has", "value_from": "ticket.language"}


Steps = list[tuple[int, str | None]]
"""The default's escalation steps: (seconds after creation, the queue the step sets or None)."""


def semantics_doc(steps: Steps) -> dict[str, Any]:
    """The queues of ``rules_doc`` with the rules' semantics on them: support chooses
    least_busy, billing needs an agent speaking the ticket's language, vip prefers a1 and ranks
    by English level; sales names nothing (the profile order). The default (sales) escalates
    by ``steps`` (a step may move the ticket, restate its queue, or only raise the priority);
    the semantics stay those of the rule that matched, wherever its steps put the ticket."""
    doc = rules_doc([])
    doc["default"]["escalation"] = [
        {"after": f"PT{after}S", "raise_priority": 1} | ({"queue": queue} if queue else {})
        for after, queue in steps
    ]
    for rule in doc["rules"]:
        extra = {
            "support": {"strategy": "least_busy"},
            "billing": {"agent_filter": HAS_LANGUAGE},
            "vip": {
                "preferred_agents": ["a1"],
                "order_by": [{"field": "agent.skills.english", "desc": True}],
            },
        }[rule["name"]]
        rule["actions"].update(extra)
    return doc


def brute_force(
    tickets: list[Ticket],
    agents: list[Agent],
    profiles: list[RoutingProfile],
    queued_at: dict[str, datetime],
    steps: Steps,
) -> dict[str, str]:
    """The rule written plainly. A sales ticket is in the queue its due steps leave it in, since
    the last due step that moved it to another queue (else since its creation). Rounds over the online agents with a profile, longest idle
    first. An agent's next ticket: among the tickets of its profile's queues that have been in
    their queue (since ``queued_at``, else creation) at least the delay, that it has room and a
    channel for (and, in billing, speaks the language of), the one of lowest priority number,
    then longest in the queue, then smallest id. In its turn, that ticket goes to one of the
    agents still to act whose next ticket it is: in vip a1 if it is one of them, else the best
    English; in support the fewest tickets held, then id; else (and for ties) the agent whose
    turn comes first."""

    def profile_of(agent: Agent) -> RoutingProfile | None:
        for p in profiles:
            if agent.id in p.agents:
                return p
        for p in profiles:
            if agent.team in p.teams:
                return p
        return None

    load = {a.id: a.active_tickets for a in agents}
    by_id = {a.id: a for a in agents}
    order = sorted(
        agents,
        key=lambda a: (a.last_assigned_at is not None, a.last_assigned_at or T0, a.id),
    )
    turn = [a.id for a in order if a.status.value == "online" and profile_of(a) is not None]
    taken: dict[str, str] = {}

    def queue_of(t: Ticket) -> tuple[str, datetime]:
        """The queue the ticket is in, and since when (before the caller's queued_at)."""
        queue, since = t.category or "sales", t.created_at
        if t.category is None:
            for after, moved_to in steps:
                at = t.created_at + timedelta(seconds=after)
                if at <= T0 and moved_to is not None and moved_to != queue:
                    queue, since = moved_to, at
        return queue, since

    def waited(t: Ticket) -> float:
        return (T0 - queued_at.get(t.id, queue_of(t)[1])).total_seconds()

    def next_of(agent_id: str) -> Ticket | None:
        agent = by_id[agent_id]
        profile = profile_of(agent)
        assert profile is not None
        options = []
        for t in tickets:
            queue, rule = queue_of(t)[0], t.category or "sales"
            for entry in profile.queues:
                if (
                    entry.queue == queue
                    and t.id not in taken
                    and waited(t) >= entry.delay
                    and t.channel in agent.channels
                    and load[agent_id] + 1 <= agent.capacity
                    and (rule != "billing" or t.language in agent.languages)
                ):
                    options.append((entry.priority, -waited(t), t.id, t))
        return min(options)[3] if options else None

    working = turn
    while working:
        acted: set[str] = set()
        for agent_id in working:
            while agent_id not in acted:
                t = next_of(agent_id)
                if t is None:
                    break
                claimants = [b for b in working if b not in acted and next_of(b) is t]
                rule = t.category or "sales"
                if rule == "vip" and "a1" in claimants:
                    pick = "a1"
                elif rule == "vip":
                    level = {b: by_id[b].skills.get("english", -1) for b in claimants}
                    pick = next(b for b in claimants if level[b] == max(level.values()))
                elif rule == "support":
                    pick = min(claimants, key=lambda b: (load[b], b))
                else:
                    pick = claimants[0]
                taken[t.id] = pick
                load[pick] += 1
                acted.add(pick)
        working = [a for a in working if a in acted]
    return taken


Scenario = tuple[list[Ticket], list[Agent], list[RoutingProfile], dict[str, datetime], Steps]


@st.composite
def scenarios(draw: st.DrawFn, shared: bool = False) -> Scenario:
    """Tickets, agents, profiles and queue entries; ``shared``: one profile with every queue
    that every agent works (online), so that a ticket is often the next one of several agents
    and the choice among them (preferred agent, order_by, strategy) decides."""
    tickets = [
        attrs.evolve(
            ticket(
                f"T{i}",
                draw(st.sampled_from(QUEUES)),
                draw(st.integers(0, 60)),
                draw(st.sampled_from(["email", "chat"])),
            ),
            language=draw(st.sampled_from([None, "en", "es"])),
        )
        for i in range(draw(st.integers(1, 8)))
    ]
    # Some tickets entered their queue after their creation (the caller says when).
    queued_at = {
        t.id: t.created_at + timedelta(seconds=draw(st.integers(0, (T0 - t.created_at).seconds)))
        for t in tickets
        if draw(st.booleans())
    }
    profiles = []
    for i in range(1 if shared else draw(st.integers(1, 3))):
        queues = (
            list(QUEUES)
            if shared
            else draw(st.lists(st.sampled_from(QUEUES), min_size=1, max_size=4, unique=True))
        )
        profiles.append(
            RoutingProfile(
                name=f"p{i}",
                teams={f"t{i}"},
                agents={f"a{i}"} if draw(st.booleans()) else set(),
                queues=[
                    ProfileQueue(
                        queue=q,
                        priority=draw(st.integers(1, 3)),
                        delay=draw(st.sampled_from([0, 0, 10, 30, 45])),
                    )
                    for q in queues
                ],
            )
        )
    agents = [
        Agent(
            id=f"a{i}",
            team="t0" if shared else draw(st.sampled_from(["t0", "t0", "t1", "t2", "other"])),
            capacity=draw(st.sampled_from([1, 2, 3] if shared else [0, 1, 1, 2, 3])),
            active_tickets=draw(st.integers(0, 1)),
            channels=draw(
                st.sampled_from([{"email"}, {"chat"}, {"email", "chat"}, {"email", "chat"}])
            ),
            status="online" if shared else draw(st.sampled_from(["online"] * 3 + ["away"])),
            last_assigned_at=draw(
                st.one_of(st.none(), st.integers(1, 4).map(lambda m: T0 - timedelta(minutes=m)))
            ),
            languages=draw(st.sampled_from([set(), {"en"}, {"es"}, {"en", "es"}])),
            skills=draw(st.sampled_from([{}, {"english": 1}, {"english": 3}])),
        )
        for i in range(draw(st.integers(2 if shared else 1, 6)))
    ]
    # Steps that move a sales ticket, restate its queue or set none; two queues make restating
    # the queue in force (sales from the start, or support after a move) common.
    afters = sorted(set(draw(st.lists(st.integers(1, 60), max_size=3))))
    steps = [(after, draw(st.sampled_from([None, "sales", "support"]))) for after in afters]
    return tickets, agents, profiles, queued_at, steps


@given(st.one_of(scenarios(), scenarios(shared=True)))
def test_assign_with_profiles_agrees_with_a_brute_force(scenario: Scenario) -> None:
    tickets, agents, profiles, queued_at, steps = scenario
    rules = load_rules(semantics_doc(steps))
    rules = RuleSet(rules=rules.rules, default=rules.default, profiles=profiles)
    result = Router(rules=rules).assign(tickets, agents, now=T0, queued_at=queued_at)
    assert dict(result.assignments) == brute_force(tickets, agents, profiles, queued_at, steps)
    assert len(result.decisions) == len(tickets)
