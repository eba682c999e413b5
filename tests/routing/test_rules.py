"""Rules as data: the routing context, conditions, actions, escalation, loading and dumping."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

import attrs
import pytest

from cs8 import Customer, PriorityChange, Ticket
from cs8._enums import Priority
from cs8.exceptions import (
    InvalidValueError,
    NaiveDatetimeError,
    RuleError,
    UnknownFieldError,
)
from cs8.routing import (
    FIELDS,
    EscalationStep,
    RoutingContext,
    Rule,
    RuleActions,
    RuleLimits,
    RuleSet,
    SlaSnapshot,
    compile_condition,
    dump_rules,
    dumps_rules,
    load_rules,
    resolve_field,
    rules_schema,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def make_ctx(
    *,
    channel: str = "email",
    priority: str = "normal",
    category: str | None = None,
    tags: frozenset[str] = frozenset(),
    attributes: dict[str, object] | None = None,
    customer: Customer | None = None,
    now: datetime = T0 + timedelta(hours=1),
    sla: dict[str, object] | None = None,
    timezone: str = "UTC",
) -> RoutingContext:
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel=channel,
        created_at=T0,
        priority=priority,
        category=category,
        tags=tags,
        attributes=attributes or {},
    )
    return RoutingContext(ticket=ticket, now=now, customer=customer, sla=sla, timezone=timezone)


def cond(field: str, op: str, value: object) -> dict[str, object]:
    return {"field": field, "op": op, "value": value}


def holds(spec: object, ctx: RoutingContext) -> bool:
    return compile_condition(spec)(ctx)


# --------------------------------------------------------------------------------------------------
# The context and its fields


def test_context_age_is_seconds_since_creation() -> None:
    assert make_ctx(now=T0 + timedelta(hours=1)).age_seconds == 3600.0


def test_context_reads_hour_and_weekday_in_its_time_zone() -> None:
    # 2026-03-01 23:30 UTC is Monday 06:30 in Ho Chi Minh City (UTC+7).
    ctx = make_ctx(now=datetime(2026, 3, 1, 23, 30, tzinfo=UTC), timezone="Asia/Ho_Chi_Minh")
    assert (resolve_field(ctx, "time.hour"), resolve_field(ctx, "time.weekday")) == (6, "mon")


def test_context_refuses_naive_now() -> None:
    with pytest.raises(NaiveDatetimeError):
        make_ctx(now=datetime(2026, 3, 2, 9))


def test_context_refuses_unknown_time_zone() -> None:
    with pytest.raises(InvalidValueError, match="Mars/Olympus"):
        make_ctx(timezone="Mars/Olympus")


def test_context_reads_sla_from_mapping_with_timedelta() -> None:
    ctx = make_ctx(sla={"first_reply": {"state": "BREACHED", "remaining": timedelta(minutes=-5)}})
    assert SlaSnapshot(state="breached", remaining=-300) == ctx.sla["first_reply"]


class _Metric(Enum):
    RESOLUTION = "resolution"


class _State(Enum):
    ACTIVE = "active"


@attrs.frozen
class _FakeSlaResult:
    metric: _Metric
    state: _State
    remaining: timedelta


def test_context_reads_sla_from_sla_results() -> None:
    results = (_FakeSlaResult(_Metric.RESOLUTION, _State.ACTIVE, timedelta(hours=2)),)
    ctx = RoutingContext(ticket=make_ctx().ticket, now=T0, sla=results)
    assert (
        resolve_field(ctx, "sla.resolution.remaining"),
        resolve_field(ctx, "sla.resolution.state"),
    ) == (7200.0, "active")


def test_context_refuses_unknown_sla_state() -> None:
    with pytest.raises(InvalidValueError, match="late"):
        make_ctx(sla={"first_reply": {"state": "late", "remaining": 0}})


def test_ticket_priority_field_follows_priority_changes() -> None:
    ticket = Ticket(
        id="T1",
        customer_id="C1",
        channel="email",
        created_at=T0,
        events=(PriorityChange(at=T0 + timedelta(minutes=5), priority="urgent"),),
    )
    ctx = RoutingContext(ticket=ticket, now=T0 + timedelta(hours=1))
    assert resolve_field(ctx, "ticket.priority") == "urgent"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("ticket.channel", "chat"),
        ("ticket.category", "refund"),
        ("ticket.priority", "high"),
        ("ticket.status", "new"),
        ("ticket.age", 3600.0),
        ("ticket.tags", frozenset({"a", "b"})),
        ("ticket.assignee", None),
        ("ticket.language", None),
        ("ticket.attributes.order", "O-1"),
        ("ticket.attributes.absent", None),
        ("customer.segment", "vip"),
        ("customer.language", "vi"),
        ("customer.attributes.plan", "gold"),
        ("sla.first_reply.state", "active"),
        ("sla.first_reply.remaining", 600.0),
        ("sla.resolution.state", None),
        ("time.hour", 10),
        ("time.weekday", "mon"),
    ],
)
def test_each_documented_field_resolves(field: str, expected: object) -> None:
    ctx = make_ctx(
        channel="chat",
        priority="high",
        category="refund",
        tags=frozenset({"a", "b"}),
        attributes={"order": "O-1"},
        customer=Customer(id="C1", segment="vip", language="vi", attributes={"plan": "gold"}),
        sla={"first_reply": {"state": "active", "remaining": 600}},
    )
    assert expected == resolve_field(ctx, field)


def test_customer_fields_are_missing_without_customer() -> None:
    assert None is resolve_field(make_ctx(), "customer.segment")


@pytest.mark.parametrize(
    "field",
    ["ticket.__class__", "ticket", "ticket.events", "customer.id", "sla.first_reply", "time.now"],
)
def test_undocumented_fields_are_refused(field: str) -> None:
    with pytest.raises(UnknownFieldError):
        resolve_field(make_ctx(), field)


def test_field_table_lists_every_resolvable_field_pattern() -> None:
    expected = {
        "ticket.channel",
        "ticket.category",
        "ticket.priority",
        "ticket.status",
        "ticket.age",
        "ticket.tags",
        "ticket.assignee",
        "ticket.language",
        "ticket.sentiment",
        "ticket.intent",
        "ticket.urgency",
        "ticket.attributes.<key>",
        "customer.segment",
        "customer.language",
        "customer.attributes.<key>",
        "sla.<metric>.state",
        "sla.<metric>.remaining",
        "time.hour",
        "time.weekday",
        "time.date",
        "time.holiday",
        "desk.open",
    }
    assert expected == set(FIELDS)


# --------------------------------------------------------------------------------------------------
# Operators


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (cond("ticket.channel", "equals", "CHAT"), True),
        (cond("ticket.channel", "not_equals", "chat"), False),
        (cond("ticket.channel", "in", ["phone", "chat"]), True),
        (cond("ticket.channel", "not_in", ["phone", "chat"]), False),
        (cond("ticket.priority", "gte", "high"), True),
        (cond("ticket.priority", "gt", "high"), False),
        (cond("ticket.priority", "lt", "urgent"), True),
        (cond("ticket.priority", "lte", "normal"), False),
        (cond("ticket.priority", "between", ["normal", "high"]), True),
        (cond("ticket.category", "contains", "fun"), True),
        (cond("ticket.category", "in", ["refund", "complaint"]), True),
        (cond("ticket.tags", "has", "vip"), True),
        (cond("ticket.tags", "has", ["vip", "angry"]), True),
        (cond("ticket.tags", "has", ["vip", "calm"]), False),
        (cond("ticket.age", "gt", "PT59M"), True),
        (cond("ticket.age", "gt", 3600), False),
        (cond("ticket.age", "between", ["PT30M", "PT1H"]), True),
        (cond("ticket.attributes.amount", "gte", 100), True),
        (cond("ticket.attributes.amount", "equals", 250.0), True),
        (cond("ticket.attributes.amount", "equals", "250"), False),
        (cond("ticket.attributes.rush", "equals", True), True),
        (cond("ticket.attributes.rush", "equals", 1), False),
        (cond("ticket.attributes.city", "contains", "Chi"), True),
        (cond("ticket.attributes.city", "between", ["A", "I"]), True),
        (cond("time.hour", "between", [9, 17]), True),
        (cond("time.weekday", "in", ["sat", "sun"]), False),
        (cond("time.weekday", "lte", "fri"), True),
    ],
)
def test_operator_semantics(spec: dict[str, object], expected: bool) -> None:
    ctx = make_ctx(
        channel="chat",
        priority="high",
        category="refund",
        tags=frozenset({"vip", "angry"}),
        attributes={"amount": 250, "rush": True, "city": "Ho Chi Minh"},
    )
    assert expected == holds(spec, ctx)


@pytest.mark.parametrize(
    "spec",
    [
        cond("ticket.attributes.absent", "equals", "x"),
        cond("ticket.attributes.absent", "not_equals", "x"),
        cond("ticket.attributes.absent", "in", ["x"]),
        cond("ticket.attributes.absent", "not_in", ["x"]),
        cond("ticket.attributes.absent", "lt", 1),
        cond("ticket.attributes.absent", "gte", 1),
        cond("ticket.attributes.absent", "between", [0, 1]),
        cond("ticket.attributes.absent", "contains", "x"),
        cond("ticket.category", "not_equals", "refund"),
        cond("ticket.category", "not_in", ["refund"]),
        cond("customer.segment", "not_equals", "vip"),
        cond("sla.first_reply.remaining", "lt", 0),
        cond("sla.first_reply.state", "not_in", ["breached"]),
    ],
)
def test_comparison_with_missing_field_is_false(spec: dict[str, object]) -> None:
    assert False is holds(spec, make_ctx())


def test_not_of_missing_field_comparison_is_true() -> None:
    spec = {"not": cond("customer.segment", "equals", "vip")}
    assert True is holds(spec, make_ctx())


def test_null_attribute_is_missing() -> None:
    ctx = make_ctx(attributes={"x": None})
    assert False is holds(cond("ticket.attributes.x", "not_equals", "y"), ctx)


def test_attribute_of_other_type_compares_false_for_ordering() -> None:
    ctx = make_ctx(attributes={"amount": "high"})
    assert False is holds(cond("ticket.attributes.amount", "gt", 10), ctx)


def test_empty_all_holds_and_empty_any_does_not() -> None:
    ctx = make_ctx()
    assert (holds({"all": []}, ctx), holds({"any": []}, ctx)) == (True, False)


def test_condition_name_reads_as_the_rule() -> None:
    spec = {"all": [cond("ticket.channel", "equals", "chat"), {"not": cond("time.hour", "lt", 9)}]}
    assert compile_condition(spec).name == "all(ticket.channel equals 'chat', not time.hour lt 9)"


def test_compiled_condition_pickles() -> None:
    compiled = compile_condition({"any": [cond("ticket.tags", "has", "vip")]})
    restored = pickle.loads(pickle.dumps(compiled))
    ctx = make_ctx(tags=frozenset({"vip"}))
    assert (compiled, True) == (restored, restored(ctx))


# --------------------------------------------------------------------------------------------------
# Rule sets

DOC = {
    "rules": [
        {
            "name": "vip",
            "when": cond("customer.segment", "equals", "vip"),
            "actions": {"queue": "vip", "priority": "high"},
        },
        {
            "name": "chat",
            "when": cond("ticket.channel", "equals", "chat"),
            "actions": {"queue": "chat"},
        },
    ],
    "default": {"queue": "general"},
}


# Twilio, "Lifecycle of a Task: Workflows and Assignment",
# https://www.twilio.com/docs/taskrouter/lifecycle-task-workflows-and-assignment: a workflow
# "evaluates linearly from the top to the bottom" and a task takes the first filter that matches;
# "the default_filter is only invoked if a Task doesn't match any filters".
def test_first_matching_rule_wins() -> None:
    rules = load_rules(DOC)
    ctx = make_ctx(channel="chat", customer=Customer(id="C1", segment="vip"))
    assert rules.first_match(ctx).name == "vip"  # type: ignore[union-attr]


def test_later_rule_matches_when_earlier_does_not() -> None:
    rules = load_rules(DOC)
    assert rules.first_match(make_ctx(channel="chat")).name == "chat"  # type: ignore[union-attr]


def test_default_applies_when_no_rule_matches() -> None:
    rule, actions = load_rules(DOC).select(make_ctx(channel="phone"))
    assert (rule, actions.queue) == (None, "general")


def test_rule_without_when_always_matches() -> None:
    rules = load_rules({"rules": [{"name": "all", "actions": {"queue": "q"}}]})
    assert rules.rules[0].matches(make_ctx())


def test_rule_set_refuses_duplicate_names() -> None:
    with pytest.raises(InvalidValueError, match="two rules named 'a'"):
        RuleSet(rules=[Rule(name="a"), Rule(name="a")])


def test_rule_accepts_hand_written_condition() -> None:
    class Weekend:
        name = "weekend"

        def __call__(self, ctx: RoutingContext) -> bool:
            return ctx.local_weekday in ("sat", "sun")

    rule = Rule(name="w", when=Weekend(), actions=RuleActions(queue="weekend"))
    assert False is rule.matches(make_ctx())


def test_dump_refuses_hand_written_condition() -> None:
    rules = RuleSet(rules=[Rule(name="w", when=lambda ctx: True)])  # type: ignore[arg-type]
    with pytest.raises(RuleError, match=r"rule 'w' at rules\[0\]\.when"):
        dump_rules(rules)


def test_loaded_rules_round_trip_through_json_text() -> None:
    rules = load_rules(DOC)
    assert rules == load_rules(dumps_rules(rules))


def test_loaded_rules_pickle() -> None:
    rules = load_rules(DOC)
    assert rules == pickle.loads(pickle.dumps(rules))


def test_dump_normalizes_enum_case_and_durations() -> None:
    doc = {
        "rules": [
            {
                "name": "r",
                "when": cond("ticket.age", "gte", "PT1H30M"),
                "actions": {"priority": "URGENT", "escalation": [{"after": 90, "queue": "l2"}]},
            }
        ]
    }
    dumped = dump_rules(load_rules(doc))
    rule = dumped["rules"][0]  # type: ignore[index]
    assert (
        rule["when"]["value"],  # type: ignore[index]
        rule["actions"]["priority"],  # type: ignore[index]
        rule["actions"]["escalation"][0]["after"],  # type: ignore[index]
    ) == (5400, "urgent", "PT1M30S")


# --------------------------------------------------------------------------------------------------
# Actions and escalation


def test_priority_change_is_clamped() -> None:
    assert RuleActions(priority_change=3).priority_for(Priority.HIGH) == Priority.URGENT


def test_actions_refuse_both_priority_forms() -> None:
    with pytest.raises(InvalidValueError, match="priority or priority_change"):
        RuleActions(priority="high", priority_change=1)


def test_actions_refuse_negative_skill_level() -> None:
    with pytest.raises(InvalidValueError, match="non-negative"):
        RuleActions(skills={"refunds": -1})


def test_escalation_step_without_priority_inherits_priority() -> None:
    actions = RuleActions(
        priority="high",
        escalation=[EscalationStep(after=timedelta(minutes=10), queue="l2")],
    )
    assert (actions.escalated(1).priority, actions.escalated(1).queue) == (Priority.HIGH, "l2")


def test_escalation_raises_relative_priority_change() -> None:
    actions = RuleActions(
        priority_change=1,
        escalation=[EscalationStep(after=timedelta(minutes=10), raise_priority=1)],
    )
    assert actions.escalated(1).priority_for(Priority.NORMAL) == Priority.URGENT


def test_escalation_relaxes_skills_step_by_step() -> None:
    step = EscalationStep(after=timedelta(minutes=10), relax_skills=1)
    actions = RuleActions(
        skills={"refunds": 3, "vat": 1},
        escalation=[step, attrs.evolve(step, after=timedelta(minutes=20))],
    )
    levels = [dict(actions.escalated(n).skills) for n in range(3)]
    assert levels == [
        {"refunds": 3, "vat": 1},
        {"refunds": 2, "vat": 0},
        {"refunds": 1, "vat": 0},
    ]


def test_escalation_drops_skills() -> None:
    step = EscalationStep(after=timedelta(minutes=10), drop_skills={"vat"})
    actions = RuleActions(skills={"refunds": 3, "vat": 1}, escalation=[step])
    assert dict(actions.escalated(1).skills) == {"refunds": 3}


# Twilio (same page): a task waits in each routing step for its timeout, then moves to the next.
def test_steps_due_counts_steps_whose_time_has_come() -> None:
    actions = (
        load_rules(
            {
                "rules": [
                    {
                        "name": "r",
                        "actions": {
                            "escalation": [
                                {"after": "PT10M", "raise_priority": 1},
                                {"after": "PT20M", "queue": "l2"},
                            ]
                        },
                    }
                ]
            }
        )
        .rules[0]
        .actions
    )
    waits = [timedelta(minutes=m) for m in (0, 10, 19, 20, 90)]
    assert [actions.steps_due(w) for w in waits] == [0, 1, 1, 2, 2]


def test_escalation_steps_must_increase() -> None:
    step = EscalationStep(after=timedelta(minutes=10), queue="l2")
    with pytest.raises(InvalidValueError, match="later than the step before"):
        RuleActions(escalation=[step, step])


def test_escalation_step_refuses_priority_and_raise() -> None:
    with pytest.raises(InvalidValueError, match="priority or raise_priority"):
        EscalationStep(after=timedelta(0), priority="high", raise_priority=1)


# --------------------------------------------------------------------------------------------------
# Errors name the rule and the JSON path


def _rule(**parts: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "r1", "actions": {"queue": "q"}}
    base.update(parts)
    return {"rules": [{"name": "r0", "actions": {}}, base]}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            _rule(
                when={
                    "all": [
                        cond("ticket.channel", "equals", "chat"),
                        {"field": "ticket.age", "op": "eq", "value": 1},
                    ]
                }
            ),
            "rule 'r1' at rules[1].when.all[1].op: operator 'eq' does not apply",
        ),
        (_rule(when=cond("ticket.subject", "equals", "x")), "rule 'r1' at rules[1].when.field"),
        (_rule(when=cond("ticket.channel", "equals", "fax")), "rule 'r1' at rules[1].when.value"),
        (_rule(when=cond("ticket.channel", "in", [])), "rule 'r1' at rules[1].when.value"),
        (_rule(when=cond("ticket.tags", "has", ["a", 3])), "rule 'r1' at rules[1].when.value[1]"),
        (_rule(when=cond("ticket.age", "between", [60, 30])), "low <= high"),
        (_rule(when={"not": {"any": [{"nope": 1}]}}), "rule 'r1' at rules[1].when.not.any[0]"),
        (_rule(when={"all": [], "any": []}), "rule 'r1' at rules[1].when.any: unexpected key"),
        (
            _rule(actions={"skills": {"refunds": -1}}),
            "rule 'r1' at rules[1].actions.skills.refunds",
        ),
        (
            _rule(actions={"skills": {"refunds": 1.5}}),
            "rule 'r1' at rules[1].actions.skills.refunds",
        ),
        (_rule(actions={"priority": "critical"}), "rule 'r1' at rules[1].actions.priority"),
        (_rule(actions={"strategy": "fastest"}), "rule 'r1' at rules[1].actions.strategy"),
        (_rule(actions={"queue": ""}), "rule 'r1' at rules[1].actions.queue"),
        (_rule(actions={"qeue": "x"}), "rule 'r1' at rules[1].actions.qeue: unknown key"),
        (
            _rule(actions={"escalation": [{"after": "P1M", "queue": "x"}]}),
            "rule 'r1' at rules[1].actions.escalation[0].after",
        ),
        (
            _rule(
                actions={
                    "escalation": [{"after": "PT1H", "queue": "a"}, {"after": 60, "queue": "b"}]
                }
            ),
            "rule 'r1' at rules[1].actions.escalation[1].after",
        ),
        (
            _rule(actions={"escalation": [{"after": "PT1H"}]}),
            "rule 'r1' at rules[1].actions.escalation[0]: an escalation step must change",
        ),
        (
            _rule(actions={"escalation": [{"after": 60, "raise_priority": 4}]}),
            "rule 'r1' at rules[1].actions.escalation[0].raise_priority",
        ),
        (_rule(name="r0"), "rule 'r0' at rules[1].name: the name 'r0' is already used"),
        ({"rules": [{"actions": {}}]}, "at rules[0]: rule #0 needs a 'name'"),
        ({"rules": {}}, "at rules: 'rules' must be an array"),
        ({"version": 2, "rules": []}, "at version"),
        ({"rules": [], "extra": 1}, "at extra: unknown key"),
        (
            {"rules": [], "default": {"priority": "high", "priority_change": 1}},
            "at default.priority_change",
        ),
        ([], "at $: a rule document must be an object"),
    ],
)
def test_malformed_document_error_names_rule_and_path(doc: object, message: str) -> None:
    with pytest.raises(RuleError) as info:
        load_rules(doc)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_invalid_json_text_is_a_rule_error() -> None:
    with pytest.raises(RuleError, match="not valid JSON"):
        load_rules('{"rules": [}')


def test_duplicate_json_keys_are_refused() -> None:
    with pytest.raises(RuleError, match="duplicate key 'rules'"):
        load_rules('{"rules": [], "rules": []}')


def test_deeply_nested_json_text_is_a_rule_error() -> None:
    with pytest.raises(RuleError):
        load_rules('{"rules": [' + "[" * 100_000 + "]" * 100_000 + "]}")


def test_condition_nesting_beyond_limit_is_refused() -> None:
    spec: dict[str, object] = cond("ticket.channel", "equals", "chat")
    for _ in range(5):
        spec = {"not": spec}
    doc = {"rules": [{"name": "deep", "when": spec, "actions": {}}]}
    with pytest.raises(RuleError, match="nest more than 3 levels"):
        load_rules(doc, limits=RuleLimits(max_depth=3))


def test_condition_nesting_within_limit_loads() -> None:
    spec: dict[str, object] = cond("ticket.channel", "equals", "chat")
    for _ in range(2):
        spec = {"not": spec}
    doc = {"rules": [{"name": "deep", "when": spec, "actions": {}}]}
    assert len(load_rules(doc, limits=RuleLimits(max_depth=3))) == 1


def test_too_long_text_is_refused() -> None:
    text = json.dumps(DOC)
    with pytest.raises(RuleError, match="characters"):
        load_rules(text, limits=RuleLimits(max_chars=len(text) - 1))


def test_too_many_values_are_refused() -> None:
    doc = {"rules": [], "default": {"languages": [f"l{i}" for i in range(50)]}}
    with pytest.raises(RuleError, match="more than 20 values"):
        load_rules(doc, limits=RuleLimits(max_nodes=20))


def test_too_many_rules_are_refused() -> None:
    doc = {"rules": [{"name": f"r{i}", "actions": {}} for i in range(3)]}
    with pytest.raises(RuleError, match="more than 2 rules"):
        load_rules(doc, limits=RuleLimits(max_rules=2))


def test_non_json_python_values_are_refused() -> None:
    doc = {"rules": [{"name": "r", "actions": {"languages": {"vi"}}}]}
    with pytest.raises(RuleError, match=r"rules\[0\]\.actions\.languages: not a JSON value"):
        load_rules(doc)


def test_nan_is_refused() -> None:
    doc = {"rules": [{"name": "r", "when": cond("time.hour", "lt", float("nan")), "actions": {}}]}
    with pytest.raises(RuleError, match="not a JSON value"):
        load_rules(doc)


def test_attribute_keys_are_data_lookups_not_attribute_access() -> None:
    ctx = make_ctx()
    assert False is holds(cond("ticket.attributes.__class__", "equals", "Ticket"), ctx)


# --------------------------------------------------------------------------------------------------
# The shipped schema


def test_schema_is_shipped_in_the_package() -> None:
    schema = rules_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_lists_the_same_actions_and_step_keys_as_the_loader() -> None:
    defs = rules_schema()["$defs"]
    assert (
        {
            "queue",
            "priority",
            "priority_change",
            "skills",
            "languages",
            "preferred_agents",
            "strategy",
            "escalation",
            "agent_filter",
            "team",
            "order_by",
        },
        {
            "after",
            "queue",
            "priority",
            "raise_priority",
            "relax_skills",
            "drop_skills",
            "business_hours",
            "drop_languages",
            "agent_filter",
            "skills",
            "languages",
            "preferred_agents",
            "strategy",
            "team",
            "order_by",
            "skip_if",
        },
    ) == (
        set(defs["actions"]["properties"]),  # type: ignore[index]
        set(defs["step"]["properties"]),  # type: ignore[index]
    )


def test_schema_covers_every_field() -> None:
    comparisons = rules_schema()["$defs"]["comparison"]["oneOf"]  # type: ignore[index]
    described = {c["description"].split(":")[0] for c in comparisons}
    assert set(FIELDS) == described


def test_sla_state_equals_matches_state_built_at_run_time() -> None:
    state = "".join(["ach", "ieved"])  # not the interned literal
    ctx = make_ctx(sla={"first_reply": {"state": state, "remaining": 0}})
    assert holds(cond("sla.first_reply.state", "equals", "achieved"), ctx) is True


def test_explain_shows_each_outcome_and_value_read() -> None:
    spec = {
        "any": [
            cond("ticket.channel", "equals", "phone"),
            cond("ticket.tags", "has", "vip"),
        ]
    }
    explained = compile_condition(spec).explain(make_ctx(tags=frozenset({"vip", "b"})))
    expected = (
        "any(ticket.channel equals 'phone' [no: 'email'], "
        "ticket.tags has 'vip' [yes: ['b', 'vip']]) [yes]"
    )
    assert explained == expected


def test_rule_set_pickles_after_use() -> None:
    rules = load_rules(DOC)
    rules.first_match(make_ctx(channel="chat"))
    restored = pickle.loads(pickle.dumps(rules))
    assert restored.first_match(make_ctx(channel="chat")).name == "chat"  # type: ignore[union-attr]


def test_schema_allows_the_same_operators_per_field_as_the_loader() -> None:
    from cs8.routing._conditions import OPERATORS

    comparisons = rules_schema()["$defs"]["comparison"]["oneOf"]  # type: ignore[index]
    in_schema = {
        c["description"].split(":")[0]: {b["properties"]["op"]["const"] for b in c["anyOf"]}
        for c in comparisons
    }
    assert in_schema == {name: set(OPERATORS[spec.kind]) for name, spec in FIELDS.items()}


@pytest.mark.parametrize(
    "spec",
    [
        cond("time.hour", "lt", 10**400),
        cond("ticket.attributes.x", "between", [-(10**400), 10**400]),
    ],
)
def test_huge_integers_compare_exactly(spec: dict[str, object]) -> None:
    assert holds(spec, make_ctx(attributes={"x": 5})) is True


def test_huge_duration_is_rule_error() -> None:
    doc = {"rules": [{"name": "r", "when": cond("ticket.age", "gt", 10**400), "actions": {}}]}
    with pytest.raises(RuleError, match=r"rules\[0\]\.when\.value: duration out of range"):
        load_rules(doc)


def test_rules_load_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(DOC), encoding="utf-8")
    assert load_rules(path) == load_rules(DOC)


def test_error_in_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"rules": [{"name": "r", "actions": {"queue": 3}}]}', encoding="utf-8")
    with pytest.raises(RuleError, match=r"rules\.json: rule 'r' at rules\[0\]\.actions\.queue"):
        load_rules(path)


def test_missing_file_is_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read the rule file"):
        load_rules(tmp_path / "absent.json")
