"""Routing profiles honour the rules' semantics, and a queue's delay counts from queue entry.

Sources:

* Connect, RoutingProfileQueueConfig (https://docs.aws.amazon.com/connect/latest/APIReference/
  API_RoutingProfileQueueConfig.html): "Delay: The delay, in seconds, a contact should be in the
  queue before they are routed to an available agent."
* Connect, "How routing works" (https://docs.aws.amazon.com/connect/latest/adminguide/
  about-routing.html): contacts on hold are serviced in the order of "their time in queue, on a
  first-come, first-served basis"; "If multiple agents are ready for a contact, by default an
  inbound contact is routed to the agent who has been in the Available status for the longest
  time."
* Connect, "Queue priority and delay examples" (https://docs.aws.amazon.com/connect/latest/
  adminguide/concepts-routing-profiles-priority.html), example 2: Support at priority 1 with a
  30-second delay.
* Twilio TaskRouter, expression syntax (https://www.twilio.com/docs/taskrouter/expression-syntax):
  ``worker.languages HAS task.language``; "Ordering Workers"
  (https://www.twilio.com/docs/taskrouter/order-workers): ``order_by`` ranks the eligible workers.
* Zendesk (API.md): a reopened ticket goes back to its previous agent when available.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cs8 import Agent, Assignment, StatusChange, Ticket
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.routing import (
    Router,
    RoutingContext,
    RuleActions,
    RuleRegistry,
    StrategyChoice,
    StrategyState,
    load_rules,
)
from cs8.routing._profile_assign import queue_entry
from cs8.sla import BusinessCalendar

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def doc(actions: dict[str, Any] | None = None, delay: int = 0, **extra: Any) -> dict[str, Any]:
    """Tickets of category "l2" go to queue l2 at once (with ``actions``); the others go to l1
    and move to l2 after 10 minutes. Team t works l2 (priority 1, ``delay``)."""
    return {
        "rules": [
            {
                "name": "l2",
                "when": {"field": "ticket.category", "op": "equals", "value": "l2"},
                "actions": {"queue": "l2", **(actions or {})},
            }
        ],
        "default": {"queue": "l1", "escalation": [{"after": "PT10M", "queue": "l2"}]},
        "profiles": [
            {"name": "Tier 2", "teams": ["t"], "queues": [{"queue": "l2", "delay": delay}]}
        ],
        **extra,
    }


def ticket(ticket_id: str, age: timedelta, category: str | None = "l2", **kw: Any) -> Ticket:
    return Ticket(
        id=ticket_id,
        customer_id="C",
        channel="email",
        created_at=T0 - age,
        category=category,
        **kw,
    )


def taken(
    router: Router, tickets: Sequence[Ticket], agents: Sequence[Agent], **kw: Any
) -> dict[str, str]:
    return dict(router.assign(tickets, agents, now=T0, **kw).assignments)


def agent(agent_id: str, idle_minutes: int, **kw: Any) -> Agent:
    return Agent(id=agent_id, team="t", last_assigned_at=T0 - timedelta(minutes=idle_minutes), **kw)


# ------------------------------------------------------------------ the delay's start


def test_the_delay_counts_from_the_escalation_step_that_moved_the_ticket() -> None:
    # Connect: the delay is how long "a contact should be in the queue". Moved to l2 by the
    # step at 10 min, a ticket created 10 min 20 s ago has been in l2 for 20 s: under the
    # 30-second delay, although it is 620 s old.
    router = Router(rules=load_rules(doc(delay=30)))
    a1 = [agent("a1", 5)]
    young = ticket("young", timedelta(minutes=10, seconds=20), category=None)
    assert taken(router, [young], a1) == {}
    line = router.assign([young], a1, now=T0).decisions[0].trace[-1]
    assert line == (
        "routing profiles: no agent took it from queue 'l2' (since 2026-03-02T08:59:40+00:00 "
        "(escalation step 1), 20 s; in profiles 'Tier 2' (priority 1, delay 30 s)); waiting"
    )
    aged = ticket("aged", timedelta(minutes=10, seconds=31), category=None)
    assert taken(router, [aged], a1) == {"aged": "a1"}


def test_a_step_restating_the_queue_does_not_restart_the_delay() -> None:
    # Connect: the delay is how long "a contact should be in the queue" (RoutingProfileQueueConfig)
    # and contacts are served by "their time in queue" ("How routing works"): a step that only
    # raises the priority leaves the ticket where it was, so its time in l2 runs on.
    restated = {"after": "PT20M", "queue": "l2", "raise_priority": 1}
    rules = load_rules(
        doc(
            {"escalation": [{"after": "PT10M", "queue": "l2", "raise_priority": 1}]},
            delay=120,
            default={"queue": "l1", "escalation": [{"after": "PT10M", "queue": "l2"}, restated]},
        )
    )
    router = Router(rules=rules)
    # Rule l2 put it in l2 at its creation, 10 min 30 s ago; its step at 10 min restates l2.
    direct = ticket("direct", timedelta(minutes=10, seconds=30))
    # The default put it in l1; step 1 moved it to l2 at 10 min, step 2 restated l2 at 20 min:
    # 11 min in l2, not 1 min.
    moved = ticket("moved", timedelta(minutes=21), category=None)
    result = router.assign([direct, moved], [agent("a1", 5), agent("a2", 4)], now=T0)
    # Both past the 120-second delay; "moved" has been in l2 longer, so the longest idle agent
    # takes it first.
    assert dict(result.assignments) == {"moved": "a1", "direct": "a2"}
    moved_decision, direct_decision = result.decisions
    assert (moved_decision.escalation_step, direct_decision.escalation_step) == (2, 1)
    assert (
        "in queue 'l2' since 2026-03-02T08:49:00+00:00 (escalation step 1), 660 s"
        in (moved_decision.trace[-3])
    )
    assert (
        "in queue 'l2' since 2026-03-02T08:49:30+00:00 (created), 630 s"
        in (direct_decision.trace[-3])
    )


def test_a_queue_serves_its_tickets_by_time_in_the_queue() -> None:
    # Connect: "their time in queue, on a first-come, first-served basis". "moved" is older
    # but entered l2 20 min ago (its step at 10 min); "direct" has been in l2 for 25 min.
    router = Router(rules=load_rules(doc()))
    moved = ticket("moved", timedelta(minutes=30), category=None)
    direct = ticket("direct", timedelta(minutes=25))
    assert taken(router, [moved, direct], [agent("a1", 5, capacity=1)]) == {"direct": "a1"}


def test_queued_at_given_by_the_caller_is_the_entry() -> None:
    router = Router(rules=load_rules(doc(delay=30)))
    young = ticket("young", timedelta(minutes=10, seconds=20), category=None)
    given = {"young": T0 - timedelta(seconds=40)}
    result = router.assign([young], [agent("a1", 5)], now=T0, queued_at=given)
    assert dict(result.assignments) == {"young": "a1"}
    assert (
        "since 2026-03-02T08:59:20+00:00 (queued_at given), 40 s" in result.decisions[0].trace[-3]
    )


@pytest.mark.parametrize(
    ("instant", "error", "message"),
    [
        (datetime(2026, 3, 2, 8, 59), NaiveDatetimeError, "queued_at\\['young'\\]"),
        (
            T0 + timedelta(seconds=1),
            InvalidValueError,
            "queued_at\\['young'\\] is 2026-03-02T09:00:01\\+00:00, after now",
        ),
        (
            T0 - timedelta(hours=1),
            InvalidValueError,
            "queued_at\\['young'\\] is 2026-03-02T08:00:00\\+00:00, before the ticket was created",
        ),
    ],
)
def test_a_bad_queued_at_is_refused_naming_the_ticket(
    instant: datetime, error: type[Exception], message: str
) -> None:
    router = Router(rules=load_rules(doc()))
    young = ticket("young", timedelta(minutes=10))
    with pytest.raises(error, match=message):
        router.assign([young], [agent("a1", 5)], now=T0, queued_at={"young": instant})


def test_queued_at_without_profiles_is_refused() -> None:
    plain = doc()
    del plain["profiles"]
    with pytest.raises(InvalidValueError, match="queued_at is read by routing profiles"):
        Router(rules=load_rules(plain)).assign(
            [ticket("T", timedelta(0))], [agent("a1", 5)], now=T0, queued_at={"T": T0}
        )


# ------------------------------------------------------------------ the rules' semantics


def test_an_agent_filter_decides_which_tickets_an_agent_may_take() -> None:
    # TaskRouter: worker.languages HAS task.language. The Spanish ticket waited longest, but
    # a1 speaks English only: it takes the English one.
    has = {"field": "agent.languages", "op": "has", "value_from": "ticket.language"}
    router = Router(rules=load_rules(doc({"agent_filter": has})))
    spanish = ticket("es", timedelta(minutes=9), language="es")
    english = ticket("en", timedelta(minutes=1), language="en")
    a1 = agent("a1", 5, languages={"en"}, capacity=2)
    assert taken(router, [spanish, english], [a1]) == {"en": "a1"}
    a2 = agent("a2", 1, languages={"es"}, capacity=2)
    assert taken(router, [spanish, english], [a1, a2]) == {"en": "a1", "es": "a2"}


def test_order_by_ranks_the_agents_whose_next_ticket_it_is() -> None:
    # TaskRouter "Ordering Workers": the most fluent of the workers that may take the task.
    # Both agents' next ticket is T; a1's turn comes first (longest idle), a2 ranks first.
    order = [{"field": "agent.skills.english", "desc": True}]
    agents = [agent("a1", 9, skills={"english": 2}), agent("a2", 1, skills={"english": 5})]
    backlog = [ticket("T", timedelta(minutes=1))]
    assert taken(Router(rules=load_rules(doc())), backlog, agents) == {"T": "a1"}
    assert taken(Router(rules=load_rules(doc({"order_by": order}))), backlog, agents) == {"T": "a2"}


def test_a_named_strategy_chooses_among_the_agents_whose_next_ticket_it_is() -> None:
    # Connect's default is the longest idle agent; a rule naming least_busy chooses the least
    # loaded of the agents that would take the ticket.
    agents = [agent("a1", 9, active_tickets=2, capacity=3), agent("a2", 1, capacity=3)]
    backlog = [ticket("T", timedelta(minutes=1))]
    assert taken(Router(rules=load_rules(doc())), backlog, agents) == {"T": "a1"}
    least = Router(rules=load_rules(doc({"strategy": "least_busy"})))
    result = least.assign(backlog, agents, now=T0)
    assert dict(result.assignments) == {"T": "a2"}
    assert result.decisions[0].strategy == "least_busy"
    assert result.decisions[0].trace[-1] == (
        "strategy least_busy: chose a2; tie-break: fewest units of work, then agent id"
    )
    default = Router(rules=load_rules(doc())).assign(backlog, agents, now=T0).decisions[0]
    assert default.strategy == "profile_rounds"


def test_preferred_agents_come_first_among_the_claimants() -> None:
    router = Router(rules=load_rules(doc({"preferred_agents": ["a2"]})))
    agents = [agent("a1", 9), agent("a2", 1)]
    result = router.assign([ticket("T", timedelta(minutes=1))], agents, now=T0)
    assert dict(result.assignments) == {"T": "a2"}
    assert "preferred agent a2 is eligible" in result.decisions[0].trace


def test_a_reopened_ticket_goes_back_to_its_agent() -> None:
    # Zendesk: back to the previous agent when available, here through a routing profile.
    events = [
        Assignment(at=T0 - timedelta(hours=3), agent_id="a2"),
        StatusChange(at=T0 - timedelta(hours=2), status="solved"),
        StatusChange(at=T0 - timedelta(hours=1), status="open"),
    ]
    reopened = ticket("R", timedelta(hours=3), events=events)
    other = ticket("N", timedelta(minutes=1))
    agents = [agent("a1", 9, capacity=1), agent("a2", 1, capacity=1)]
    result = Router(rules=load_rules(doc())).assign([reopened, other], agents, now=T0)
    assert dict(result.assignments) == {"R": "a2", "N": "a1"}
    assert "reopened: previous agent a2 is eligible" in result.decisions[0].trace


class Flaky:
    """A strategy plugin that fails on tickets tagged "boom", else picks the last id."""

    name = "flaky"

    def choose(
        self,
        candidates: Sequence[Agent],
        ctx: RoutingContext,
        actions: RuleActions,
        state: StrategyState,
        /,
    ) -> StrategyChoice:
        if "boom" in ctx.ticket.tags:
            raise RuntimeError("boom")
        best = max(candidates, key=lambda a: a.id, default=None)
        return StrategyChoice(best, state, "largest agent id")


def test_a_failing_plugin_is_named_and_the_profile_order_decides() -> None:
    registry = RuleRegistry()
    registry.register("strategy", "flaky", Flaky())
    router = Router(rules=load_rules(doc({"strategy": "flaky"}), registry=registry))
    agents = [agent("a1", 9, capacity=1), agent("a2", 1, capacity=1)]
    fine = ticket("fine", timedelta(minutes=5))
    boom = ticket("boom", timedelta(minutes=1), tags={"boom"})
    result = router.assign([fine, boom], agents, now=T0)
    # "fine" is a1's next ticket and a2's: the plugin picks a2. "boom" then goes to a1 by
    # the profile order, and the trace names the rule, the plugin and the error.
    assert dict(result.assignments) == {"fine": "a2", "boom": "a1"}
    assert result.decisions[1].trace[-3:] == (
        "strategy plugin 'flaky' (rule 'l2') failed on this ticket: RuntimeError: boom; the "
        "routing profiles' order profile_rounds decides",
        "filters (online): agents 1 -> status online 1 -> channel email 1 -> spare capacity 1",
        "strategy profile_rounds: chose a1; tie-break: smallest key of profile_rounds, then "
        "agent id",
    )


def test_a_skipped_step_leaves_the_ticket_in_its_queue() -> None:
    # TaskRouter (https://www.twilio.com/docs/taskrouter/worker-presence): a target with
    # skip_if "workers.available == 0" is skipped; here the step to l2 needs French, so with no
    # French speaker online the ticket stays in l1 (since its creation) and a1 takes it there.
    rules = load_rules(
        {
            "default": {
                "queue": "l1",
                "escalation": [
                    {"after": "PT10M", "queue": "l2", "languages": ["fr"], "skip_if": "no_agent"}
                ],
            },
            "profiles": [
                {"name": "both", "teams": ["t"], "queues": [{"queue": "l1"}, {"queue": "l2"}]}
            ],
        }
    )
    old = ticket("old", timedelta(minutes=15), category=None)
    result = Router(rules=rules).assign([old], [agent("a1", 5)], now=T0)
    decision = result.decisions[0]
    assert (decision.queue, decision.agent_id) == ("l1", "a1")
    assert "in queue 'l1' since 2026-03-02T08:45:00+00:00 (created), 900 s" in decision.trace[-3]
    french = [agent("a1", 5), agent("a2", 1, languages={"fr"})]
    decision = Router(rules=rules).assign([old], french, now=T0).decisions[0]
    assert (decision.queue, decision.agent_id) == ("l2", "a2")


def test_the_step_after_a_skipped_one_enters_at_the_skipped_steps_instant() -> None:
    # Twilio, "Skipping based on Worker availability" (https://www.twilio.com/docs/taskrouter/
    # worker-presence): a skipped target's task goes to "the next routing step immediately",
    # i.e. when the skipped step's timeout passed. Step 1 (l2, French) is skipped at
    # 10 min with no French speaker online, so step 2 (l3, due at 30 min) moved the ticket then:
    # 5 min in l3 at 15 min old, not a wait counted from a step instant still to come.
    rules = load_rules(
        {
            "default": {
                "queue": "l1",
                "escalation": [
                    {"after": "PT10M", "queue": "l2", "languages": ["fr"], "skip_if": "no_agent"},
                    {"after": "PT30M", "queue": "l3"},
                ],
            },
            "profiles": [{"name": "l3", "teams": ["t"], "queues": [{"queue": "l3"}]}],
        }
    )
    old = ticket("old", timedelta(minutes=15), category=None)
    decision = Router(rules=rules).assign([old], [agent("a1", 5)], now=T0).decisions[0]
    assert (decision.queue, decision.agent_id, decision.escalation_step) == ("l3", "a1", 2)
    assert (
        "in queue 'l3' since 2026-03-02T08:55:00+00:00 (escalation step 2 (applied at once "
        "when skip_if skipped step 1)), 300 s"
    ) in decision.trace[-3]


def test_a_business_hours_step_enters_the_queue_when_its_business_time_has_passed() -> None:
    # The desk opens at 09:00 on Monday 2 March 2026; created at 08:00, the ticket's step
    # "after 1 h of business time" moved it at 10:00.
    desk = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    rules = load_rules(
        doc(
            default={
                "queue": "l1",
                "escalation": [{"after": "PT1H", "queue": "l2", "business_hours": True}],
            }
        )
    )
    now = T0 + timedelta(hours=1, seconds=20)
    created = ticket("T", timedelta(hours=1), category=None)
    _, plan = (
        Router(rules=rules, calendar=desk).planner().context_and_plan(created, now, None, None)
    )
    assert queue_entry(created, plan, desk) == (
        T0 + timedelta(hours=1),
        "escalation step 1 (business time)",
    )

    class HalfTime:
        """A clock that counts business time only (no add_business_time)."""

        def business_duration(self, start: datetime, end: datetime) -> timedelta:
            return (end - start) / 2

    _, plan = (
        Router(rules=rules, calendar=HalfTime())
        .planner()
        .context_and_plan(created, T0 + timedelta(hours=1), None, None)
    )
    assert queue_entry(created, plan, HalfTime()) == (
        T0 - timedelta(hours=1),
        "escalation step 1: the calendar cannot place it; counted from creation",
    )


def test_the_trace_names_three_claimants_then_how_many_more() -> None:
    least = Router(rules=load_rules(doc({"strategy": "least_busy"})))
    agents = [agent(f"a{i}", 10 - i) for i in range(5)]
    result = least.assign([ticket("T", timedelta(minutes=1))], agents, now=T0)
    line = result.decisions[0].trace[-3]
    assert line.endswith(
        "the next ticket of a0 (profile 'Tier 2' (team t): priority 1, delay 0 s), a1 (profile "
        "'Tier 2' (team t): priority 1, delay 0 s), a2 (profile 'Tier 2' (team t): priority 1, "
        "delay 0 s) and 2 more agents"
    )


def test_away_agents_take_nothing_even_with_away_fallback() -> None:
    # Connect routes contacts to agents in the Available status ("How routing works").
    away = [Agent(id="a1", team="t", status="away")]
    router = Router(rules=load_rules(doc()), away_fallback=True)
    assert taken(router, [ticket("T", timedelta(minutes=1))], away) == {}


def test_route_serves_one_ticket_through_the_profiles() -> None:
    # One contact, two Available agents of the profile: Connect routes it "to the agent who
    # has been in the Available status for the longest time"; under the queue's delay it waits.
    router = Router(rules=load_rules(doc(delay=30)))
    agents = [agent("a1", 1), agent("a2", 9), Agent(id="x", team="elsewhere")]
    aged = ticket("aged", timedelta(seconds=31))
    decision = router.route(aged, agents, now=T0)
    assert decision.agent_id == "a2"
    assert decision.trace == router.assign([aged], agents, now=T0).decisions[0].trace
    assert router.route(ticket("young", timedelta(seconds=29)), agents, now=T0).agent_id is None
