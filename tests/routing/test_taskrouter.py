"""from_taskrouter: Twilio's documented workflow and example tasks, routed as Twilio describes.

Sources:
* The workflow and its walk-through: "Lifecycle of a Task: Workflows and Assignment",
  https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment ("Support Calls"
  target the "Just Support" queue for 15 s limited to ``worker.id IN task.preferred_agents``, then
  15 s more for anyone in it; "Sales Calls" go to "Just Sales"; other tasks to the default
  "Everyone" queue; filters are tried top to bottom, first match wins).
* The workflow document's structure and filter expressions ("customer_value == 'Gold' AND type ==
  'ticket'"): https://www.twilio.com/docs/taskrouter/workflow-configuration and
  https://www.twilio.com/docs/taskrouter/expression-syntax ("(skills HAS 'support') AND
  (languages HAS 'english')", "language IN [\"en\", \"es\"]", "(language == \"en\" OR language ==
  \"fr\") AND skill_rating >= 5.1").
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Agent, Ticket
from cs8.exceptions import RuleError
from cs8.routing import Router, RoutingContext, dump_rules, from_taskrouter, load_rules

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)

# The lifecycle page's workflow, with its queue placeholders (<Just Support> ...) as names.
LIFECYCLE = {
    "task_routing": {
        "filters": [
            {
                "expression": 'type=="Support"',
                "filter_friendly_name": "Support Calls",
                "targets": [
                    {
                        "queue": "Just Support",
                        "timeout": 15,
                        "expression": "worker.id IN task.preferred_agents",
                    },
                    {"timeout": 15},
                ],
            },
            {
                "expression": 'type=="Sales"',
                "filter_friendly_name": "Sales Calls",
                "targets": [{"queue": "Just Sales", "timeout": 15}],
            },
        ],
        "default_filter": {"queue": "Everyone"},
    }
}
# Who is in each queue (TaskQueue TargetWorkers; the page leaves them to the reader).
QUEUES = {"Just Support": "team == 'support'", "Just Sales": "team == 'sales'", "Everyone": "1==1"}

AGENTS = [
    Agent(id="alice", team="support"),
    Agent(id="bob", team="support", active_tickets=2),
    Agent(id="carol", team="sales", active_tickets=1),
]


def task(task_id: str, **attributes: object) -> Ticket:
    # Tasks as emails: an agent holds several at once (a call would fill an agent).
    return Ticket(
        id=task_id, customer_id="C", channel="email", created_at=T0, attributes=attributes
    )


@pytest.mark.parametrize("explain", [True, False])
def test_five_documented_example_tasks_route_as_twilio_describes(explain: bool) -> None:
    router = Router(rules=from_taskrouter(LIFECYCLE, queues=QUEUES), explain=explain)
    # 1. A support task whose preferred agent (bob) is available goes to bob in "Just Support",
    #    though alice is less busy: step one is limited to the preferred agents.
    one = router.route(task("1", type="Support", preferred_agents=["bob"]), AGENTS, now=T0)
    assert (one.queue, one.agent_id, one.rule) == ("Just Support", "bob", "Support Calls")
    # 2. Its preferred agent is not in the queue (carol works sales): it waits in step one ...
    two = task("2", type="Support", preferred_agents=["carol"])
    assert router.route(two, AGENTS, now=T0 + timedelta(seconds=14)).agent_id is None
    # 3. ... and after the 15 s timeout, step two offers it to anyone in "Just Support".
    late = router.route(two, AGENTS, now=T0 + timedelta(seconds=15))
    assert (late.queue, late.agent_id, late.escalation_step) == ("Just Support", "alice", 1)
    # 4. A sales task goes to "Just Sales" (carol, the only sales agent).
    four = router.route(task("4", type="Sales"), AGENTS, now=T0)
    assert (four.queue, four.agent_id, four.rule) == ("Just Sales", "carol", "Sales Calls")
    # 5. A task matching no filter goes to the default_filter's queue, "Everyone".
    five = router.route(task("5", type="Billing"), AGENTS, now=T0)
    assert (five.queue, five.agent_id, five.rule) == ("Everyone", "alice", None)


def test_the_import_is_a_plain_rule_document() -> None:
    rules = from_taskrouter(LIFECYCLE, queues=QUEUES)
    assert load_rules(dump_rules(rules)) == rules
    support = dump_rules(rules)["rules"][0]["actions"]  # type: ignore[index,call-overload]
    assert support["agent_filter"] == {
        "all": [
            {"field": "agent.team", "op": "equals", "value": "support"},
            {"field": "agent.id", "op": "in", "value_from": "ticket.attributes.preferred_agents"},
        ]
    }
    assert support["escalation"][0]["after"] == "PT15S"


def test_documented_filter_expressions() -> None:
    # workflow-configuration / expression-syntax pages' examples.
    workflow = {
        "task_routing": {
            "filters": [
                {
                    "filter_friendly_name": "Gold Tickets",
                    "expression": "customer_value == 'Gold' AND type == 'ticket'",
                    "targets": [{"queue": "gold", "priority": 2}],
                },
                {
                    "filter_friendly_name": "Languages",
                    "expression": '(language == "en" OR language == "fr") AND skill_rating >= 5.1',
                    "targets": [
                        {
                            "queue": "rated",
                            "expression": "(worker.skills HAS 'support') AND "
                            "(worker.languages HAS 'english')",
                        }
                    ],
                },
                {
                    "filter_friendly_name": "Listed",
                    "expression": 'language IN ["en", "es"]',
                    "targets": [{"queue": "listed"}],
                },
            ]
        }
    }
    rules = from_taskrouter(workflow)

    def first(**attributes: object) -> str | None:
        ctx = RoutingContext(ticket=task("t", **attributes), now=T0)
        rule = rules.first_match(ctx)
        return None if rule is None else rule.name

    assert first(customer_value="Gold", type="ticket") == "Gold Tickets"
    assert first(customer_value="Gold", type="lead") is None
    assert first(language="fr", skill_rating=6) == "Languages"
    assert first(language="fr", skill_rating=5) is None
    assert first(language="es") == "Listed"
    assert rules.rules[0].actions.priority.value == "urgent"  # type: ignore[union-attr]
    router = Router(rules=rules)
    ok = Agent(id="ok", skills={"support": 1}, languages={"english"}, channels={"email"})
    no = Agent(id="no", skills={"support": 1}, languages={"french"}, channels={"email"})
    decision = router.route(task("t", language="en", skill_rating=6), [no, ok], now=T0)
    assert decision.agent_id == "ok"


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ({"queue": "q", "known_worker_sid": "WK1"}, "'known_worker_sid' cannot be expressed"),
        ({"queue": "q", "order_by": "worker.x SIDEWAYS"}, "order_by clause"),
        ({"queue": "q", "order_by": "worker.a.b ASC"}, "order_by clause"),
        ({"queue": "q", "skip_if": "workers.available == 0"}, "last target"),
        ({"queue": "q", "expression": "task.a == task.b"}, "needs a worker attribute"),
        ({"queue": "q", "expression": "worker.languages == 'en'"}, "only HAS"),
        ({"queue": "q", "expression": "worker.x =="}, "ends too early"),
    ],
)
def test_what_cannot_be_expressed_is_named(target: dict[str, object], problem: str) -> None:
    workflow = {
        "task_routing": {
            "filters": [{"filter_friendly_name": "F", "expression": "1==1", "targets": [target]}]
        }
    }
    with pytest.raises(RuleError, match="filter 'F' targets\\[0\\]") as info:
        from_taskrouter(workflow)
    assert problem in str(info.value)


def test_a_task_attribute_holding_a_list_cannot_be_filtered_with_has() -> None:
    workflow = {
        "task_routing": {
            "filters": [{"expression": "tags HAS 'x'", "targets": [{"queue": "q"}]}],
        }
    }
    with pytest.raises(RuleError, match="filter 'filter-0' expression: tags HAS"):
        from_taskrouter(workflow)


def test_a_queues_target_workers_error_names_the_queue() -> None:
    with pytest.raises(RuleError, match="queue 'Just Sales' TargetWorkers: the expression ends"):
        from_taskrouter(LIFECYCLE, queues={"Just Sales": "skills HAS"})
