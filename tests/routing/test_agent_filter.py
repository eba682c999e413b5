"""Agent filters: the documented semantics, errors naming the path, and the router's choice with
filters on top of the pool's index checked against a brute-force scan of every agent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Customer, Ticket
from cs8.exceptions import RuleError
from cs8.routing import (
    AgentFilter,
    AgentPool,
    Router,
    RoutingContext,
    Rule,
    RuleActions,
    RuleSet,
    compile_agent_filter,
    load_rules,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def ctx(**kw: object) -> RoutingContext:
    attributes = kw.pop("attributes", {})
    customer = kw.pop("customer", None)
    ticket = Ticket(
        id="T1", customer_id="C1", channel="email", created_at=T0, attributes=attributes, **kw
    )  # type: ignore[arg-type]
    return RoutingContext(ticket=ticket, now=T0, customer=customer)  # type: ignore[arg-type]


def passes(doc: object, agent: Agent, context: RoutingContext) -> bool:
    return compile_agent_filter(doc).bind(context)(agent)


def test_languages_has_the_tickets_language() -> None:
    doc = {"field": "agent.languages", "op": "has", "value_from": "ticket.language"}
    assert passes(doc, Agent(id="a", languages={"en", "es"}), ctx(language="es"))
    assert not passes(doc, Agent(id="a", languages={"en"}), ctx(language="es"))
    # A missing ticket field compares false: no agent passes.
    assert not passes(doc, Agent(id="a", languages={"en"}), ctx())


def test_team_equals_a_ticket_attribute_and_the_customers_language() -> None:
    doc = {"field": "agent.team", "op": "equals", "value_from": "ticket.attributes.team"}
    assert passes(doc, Agent(id="a", team="t2"), ctx(attributes={"team": "t2"}))
    assert not passes(doc, Agent(id="a", team="t1"), ctx(attributes={"team": "t2"}))
    assert not passes(doc, Agent(id="a"), ctx(attributes={"team": "t2"}))  # agent without team
    lang = {"field": "agent.languages", "op": "has", "value_from": "customer.language"}
    assert passes(
        lang, Agent(id="a", languages={"vi"}), ctx(customer=Customer(id="C1", language="vi"))
    )


def test_skills_ids_and_combinators() -> None:
    level = {"field": "agent.skills.refunds", "op": "gte", "value": 2}
    assert passes(level, Agent(id="a", skills={"refunds": 2}), ctx())
    assert not passes(level, Agent(id="a", skills={"refunds": 1}), ctx())
    assert not passes(level, Agent(id="a"), ctx())  # a missing skill compares false
    ids = {"field": "agent.id", "op": "in", "value_from": "ticket.attributes.preferred"}
    assert passes(ids, Agent(id="b"), ctx(attributes={"preferred": ["a", "b"]}))
    assert not passes(ids, Agent(id="c"), ctx(attributes={"preferred": ["a", "b"]}))
    either = {"any": [level, {"not": {"field": "agent.team", "op": "equals", "value": "x"}}]}
    assert passes(either, Agent(id="a", team="y"), ctx())
    assert not passes(either, Agent(id="a", team="x"), ctx())
    some = {"field": "agent.languages", "op": "has_any", "value": ["fr", "de"]}
    assert passes(some, Agent(id="a", languages={"de"}), ctx())


def test_filters_are_values() -> None:
    doc = {"field": "agent.team", "op": "equals", "value": "t"}
    assert compile_agent_filter(doc) == compile_agent_filter(dict(reversed(doc.items())))
    assert isinstance(compile_agent_filter(doc), AgentFilter)
    assert compile_agent_filter(doc).to_json() == doc


@pytest.mark.parametrize(
    ("doc", "path", "problem"),
    [
        ({"field": "agent.age", "op": "equals", "value": 1}, "agent_filter.field", "unknown agent"),
        ({"field": "agent.team", "op": "gt", "value": "x"}, "agent_filter.op", "does not apply"),
        ({"field": "agent.team", "op": "equals"}, "agent_filter", "exactly one of"),
        (
            {"field": "agent.team", "op": "equals", "value_from": "ticket.nope"},
            "agent_filter.value_from",
            "ticket or customer field",
        ),
        ({"field": "agent.skills.x", "op": "gt", "value": "high"}, "agent_filter.value", "number"),
        ({"any": []}, "agent_filter.any", "non-empty"),
    ],
)
def test_errors_name_the_path(doc: object, path: str, problem: str) -> None:
    with pytest.raises(RuleError, match=path) as info:
        compile_agent_filter(doc)
    assert problem in str(info.value)


def test_load_rules_names_the_rule_and_path() -> None:
    with pytest.raises(RuleError, match=r"rule 'r' at rules\[0\]\.actions\.agent_filter\.op"):
        load_rules(
            {
                "rules": [
                    {
                        "name": "r",
                        "actions": {
                            "agent_filter": {"field": "agent.id", "op": "has", "value": "a"}
                        },
                    }
                ]
            }
        )


# -- the router's choice against a brute-force oracle ---------------------------------------------

TEAMS = ["t1", "t2", None]
LANGS = ["en", "fr", "vi"]

agents_st = st.lists(
    st.builds(
        lambda i, team, langs, load, level, status: Agent(
            id=f"a{i}",
            team=team,
            languages=langs,
            active_tickets=load,
            skills={"refunds": level} if level is not None else {},
            status=status,
            capacity=3,
        ),
        st.integers(0, 10**6),
        st.sampled_from(TEAMS),
        st.frozensets(st.sampled_from(LANGS)),
        st.integers(0, 4),
        st.none() | st.integers(0, 3),
        st.sampled_from(["online", "online", "away"]),
    ),
    max_size=25,
    unique_by=lambda a: a.id,
)

filters_st = st.sampled_from(
    [
        {"field": "agent.languages", "op": "has", "value_from": "ticket.language"},
        {"field": "agent.team", "op": "equals", "value_from": "ticket.attributes.team"},
        {"field": "agent.skills.refunds", "op": "gte", "value": 2},
        {
            "any": [
                {"field": "agent.team", "op": "equals", "value": "t1"},
                {"not": {"field": "agent.languages", "op": "has", "value": "vi"}},
            ]
        },
    ]
)


@given(
    agents=agents_st,
    doc=filters_st,
    language=st.sampled_from(LANGS),
    team=st.sampled_from(["t1", "t2"]),
    skill=st.none() | st.integers(0, 2),
    tickets=st.integers(1, 6),
)
def test_the_router_agrees_with_a_brute_force_scan(
    agents: list[Agent],
    doc: dict[str, object],
    language: str,
    team: str,
    skill: int | None,
    tickets: int,
) -> None:
    actions = RuleActions(
        agent_filters=(compile_agent_filter(doc),),
        skills={"refunds": skill} if skill is not None else {},
    )
    rules = RuleSet(rules=[Rule(name="r", actions=actions)])
    work = [
        Ticket(
            id=f"T{i}",
            customer_id="C",
            channel="email",
            created_at=T0,
            language=language,
            attributes={"team": team},
        )
        for i in range(tickets)
    ]
    context = RoutingContext(ticket=work[0], now=T0)
    test = compile_agent_filter(doc).bind(context)
    for explain in (True, False):
        router = Router(rules=rules, explain=explain)
        # One decision: the least busy passing agent (ties by id) among online agents with room.
        decision = router.route(work[0], AgentPool(agents), now=T0)
        ok = [
            a
            for a in agents
            if a.status.value == "online"
            and a.active_tickets < a.capacity
            and (skill is None or a.skills.get("refunds", -1) >= skill)
            and test(a)
        ]
        best = min(ok, key=lambda a: (a.active_tickets, a.id), default=None)
        assert decision.agent_id == (None if best is None else best.id)
        # A backlog: loads as the oracle gives them, one ticket after another.
        loads = {a.id: a.active_tickets for a in agents}
        expected = []
        for _ in work:
            ok = [a for a in ok if loads[a.id] < a.capacity]
            pick = min(ok, key=lambda a: (loads[a.id], a.id), default=None)
            expected.append(None if pick is None else pick.id)
            if pick is not None:
                loads[pick.id] += 1
        got = router.assign(work, AgentPool(agents), now=T0).decisions
        assert sorted(d.agent_id or "" for d in got) == sorted(e or "" for e in expected)
