"""Routing plugins: the registry, entry points, plugin conditions/strategies/rules in documents."""

from __future__ import annotations

import importlib.metadata
import pickle
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Agent, Customer, Ticket
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError, PluginLoadError, RuleError, UnknownFieldError
from cs8.routing import (
    RoutingContext,
    RoutingRule,
    Rule,
    RuleActions,
    RuleRegistry,
    RuleSet,
    Strategy,
    StrategyChoice,
    StrategyState,
    dump_rules,
    load_rules,
)
from tests.routing.test_rules_fuzz import random_json

EXAMPLE_SRC = Path(__file__).parent / "example_plugin" / "src"
MONDAY_10 = datetime(2026, 3, 2, 10, tzinfo=UTC)
SUNDAY_10 = datetime(2026, 3, 1, 10, tzinfo=UTC)


def ctx_at(now: datetime, *, segment: str = "one_time") -> RoutingContext:
    ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=SUNDAY_10)
    return RoutingContext(ticket=ticket, now=now, customer=Customer(id="C1", segment=segment))


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch) -> object:
    """The example plugin's module, importable from its source folder."""
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    import cs8_example_plugin

    return cs8_example_plugin


def write_distribution(root: Path, name: str, entry_points: dict[str, str], group: str) -> None:
    """Make ``root`` hold an installed-looking distribution advertising ``entry_points``."""
    info = root / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = [f"[{group}]"] + [f"{k} = {v}" for k, v in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


class FirstById:
    name = "first_by_id"

    def choose(
        self,
        candidates: list[Agent],
        ctx: RoutingContext,
        actions: RuleActions,
        state: StrategyState,
        /,
    ) -> StrategyChoice:
        best = min(candidates, key=lambda a: a.id, default=None)
        return StrategyChoice(best, state, "lowest agent id")


# --------------------------------------------------------------------------------------------------
# The registry


def test_register_then_lookup_returns_the_object() -> None:
    registry = RuleRegistry()
    strategy = FirstById()
    registry.register("strategy", "first_by_id", strategy)
    assert registry.strategy("first_by_id") is strategy


def test_registries_are_independent() -> None:
    one, two = RuleRegistry(), RuleRegistry()
    one.register("condition", "c", lambda: None)
    assert two.names("condition") == ()


def test_register_refuses_taken_name() -> None:
    registry = RuleRegistry()
    registry.register("condition", "c", lambda: None)
    with pytest.raises(InvalidValueError, match="already registered"):
        registry.register("condition", "c", lambda: None)


def test_register_replaces_when_asked() -> None:
    registry = RuleRegistry()
    registry.register("condition", "c", len)
    registry.register("condition", "c", abs, replace=True)
    assert registry.condition("c") is abs


@pytest.mark.parametrize(
    ("kind", "name", "obj", "message"),
    [
        ("widget", "x", len, "plugin kind"),
        ("condition", "", len, "plugin name"),
        ("condition", "has space", len, "plugin name"),
        ("condition", "c", 42, "must be a factory"),
        ("strategy", "s", object(), "choose"),
        ("strategy", "least_busy", FirstById(), "built-in"),
        ("strategy", "other", FirstById(), "calls itself 'first_by_id'"),
        ("rule", "r", object(), "matches"),
        ("rule", "r", Rule(name="other"), "calls itself 'other'"),
    ],
)
def test_register_refuses_what_does_not_fit(
    kind: str, name: str, obj: object, message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message):
        RuleRegistry().register(kind, name, obj)  # type: ignore[arg-type]


def test_lookup_of_unknown_name_is_unknown_field_error() -> None:
    with pytest.raises(UnknownFieldError, match="no rule plugin named 'x'"):
        RuleRegistry().rule("x")


def test_unregister_removes() -> None:
    registry = RuleRegistry()
    registry.register("rule", "r", Rule(name="r"))
    registry.unregister("rule", "r")
    assert registry.names("rule") == ()


def test_protocols_accept_structural_implementations(example: object) -> None:
    sticky = example.StickyAgent()  # type: ignore[attr-defined]
    rule = example.vip_first()  # type: ignore[attr-defined]
    assert (isinstance(sticky, Strategy), isinstance(rule, RoutingRule)) == (True, True)


# --------------------------------------------------------------------------------------------------
# Plugins in rule documents


def _registry(example: object) -> RuleRegistry:
    registry = RuleRegistry()
    registry.register("condition", "business_hours_only", example.business_hours_only)  # type: ignore[attr-defined]
    registry.register("strategy", "sticky_agent", example.StickyAgent())  # type: ignore[attr-defined]
    registry.register("rule", "vip_first", example.vip_first())  # type: ignore[attr-defined]
    return registry


HOURS_DOC = {
    "rules": [
        {
            "name": "office",
            "when": {"plugin": "business_hours_only", "args": {"start": 8, "end": 18}},
            "actions": {"queue": "office", "strategy": "sticky_agent"},
        }
    ],
    "default": {"queue": "after-hours"},
}


def test_plugin_condition_holds_inside_hours(example: object) -> None:
    rules = load_rules(HOURS_DOC, registry=_registry(example))
    assert rules.select(ctx_at(MONDAY_10))[1].queue == "office"


def test_plugin_condition_fails_outside_hours(example: object) -> None:
    rules = load_rules(HOURS_DOC, registry=_registry(example))
    assert rules.select(ctx_at(SUNDAY_10))[1].queue == "after-hours"


def test_plugin_condition_name_shows_its_arguments(example: object) -> None:
    rules = load_rules(HOURS_DOC, registry=_registry(example))
    assert rules.rules[0].when.name == "business_hours_only(end=18, start=8)"  # type: ignore[attr-defined]


def test_plugin_condition_without_registry_is_rule_error() -> None:
    with pytest.raises(RuleError, match=r"rule 'office' at rules\[0\]\.when\.plugin: unknown"):
        load_rules(HOURS_DOC)


def test_plugin_strategy_name_without_registry_is_rule_error() -> None:
    doc = {"rules": [{"name": "r", "actions": {"strategy": "sticky_agent"}}]}
    with pytest.raises(RuleError, match=r"rules\[0\]\.actions\.strategy"):
        load_rules(doc)


def test_plugin_arguments_rejected_by_factory_name_the_path(example: object) -> None:
    doc = {
        "rules": [
            {
                "name": "night",
                "when": {"plugin": "business_hours_only", "args": {"start": 20, "end": 8}},
                "actions": {},
            }
        ]
    }
    with pytest.raises(RuleError, match=r"rule 'night' at rules\[0\]\.when\.args: .*start"):
        load_rules(doc, registry=_registry(example))


def test_unexpected_plugin_argument_is_rule_error(example: object) -> None:
    doc = {
        "rules": [
            {
                "name": "r",
                "when": {"plugin": "business_hours_only", "args": {"lunch": 1}},
                "actions": {},
            }
        ]
    }
    with pytest.raises(RuleError, match=r"rules\[0\]\.when\.args"):
        load_rules(doc, registry=_registry(example))


def test_rule_plugin_takes_its_place_in_the_order(example: object) -> None:
    doc = {
        "rules": [{"plugin": "vip_first"}, {"name": "rest", "actions": {"queue": "general"}}],
    }
    rules = load_rules(doc, registry=_registry(example))
    picked = [rules.select(ctx_at(MONDAY_10, segment=s))[1].queue for s in ("vip", "repeat")]
    assert picked == ["vip", "general"]


def test_rule_plugin_dumps_as_a_reference(example: object) -> None:
    registry = _registry(example)
    rules = load_rules({"rules": [{"plugin": "vip_first"}]}, registry=registry)
    assert rules == load_rules(dump_rules(rules), registry=registry)


def test_unknown_rule_plugin_is_rule_error(example: object) -> None:
    with pytest.raises(RuleError, match=r"rule 'nope' at rules\[0\]\.plugin"):
        load_rules({"rules": [{"plugin": "nope"}]}, registry=_registry(example))


def test_rules_with_plugin_conditions_round_trip_and_pickle(example: object) -> None:
    registry = _registry(example)
    rules = load_rules(HOURS_DOC, registry=registry)
    assert (rules, rules) == (
        load_rules(dump_rules(rules), registry=registry),
        pickle.loads(pickle.dumps(rules)),
    )


def test_sticky_strategy_returns_previous_agent(example: object) -> None:
    sticky = example.StickyAgent()  # type: ignore[attr-defined]
    agents = [Agent(id="a1", active_tickets=0), Agent(id="a2", active_tickets=3)]
    choice = sticky.choose(agents, ctx_at(MONDAY_10), RuleActions(), FrozenDict({"C1": "a2"}))
    assert choice.agent.id == "a2"


def test_sticky_strategy_falls_back_to_least_busy_and_remembers(example: object) -> None:
    sticky = example.StickyAgent()  # type: ignore[attr-defined]
    agents = [Agent(id="a2", active_tickets=1), Agent(id="a1", active_tickets=1)]
    choice = sticky.choose(agents, ctx_at(MONDAY_10), RuleActions(), FrozenDict({"C1": "gone"}))
    assert (choice.agent.id, dict(choice.state)) == ("a1", {"C1": "a1"})


# --------------------------------------------------------------------------------------------------
# Entry points


def test_importing_cs8_routing_loads_no_plugin() -> None:
    code = (
        "import sys, cs8, cs8.routing; "
        "print('cs8_example_plugin' in sys.modules, 'importlib.metadata' in sys.modules)"
    )
    src = str(Path(__file__).parents[2] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src},
    ).stdout.split()
    assert out[:1] == ["False"]


def test_entry_points_load_from_a_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: object
) -> None:
    write_distribution(
        tmp_path,
        "cs8-example-copy",
        {
            "condition.business_hours_only": "cs8_example_plugin:business_hours_only",
            "strategy.sticky_agent": "cs8_example_plugin:StickyAgent",
            "rule.vip_first": "cs8_example_plugin:vip_first",
        },
        group="cs8.routing.test-good",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = RuleRegistry()
    loaded = registry.load_entry_points("cs8.routing.test-good")
    assert loaded == (
        "condition.business_hours_only",
        "rule.vip_first",
        "strategy.sticky_agent",
    )


def test_installed_example_plugin_loads_through_entry_points() -> None:
    try:
        importlib.metadata.distribution("cs8-example-plugin")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("run `pip install -e tests/routing/example_plugin` first")
    registry = RuleRegistry()
    registry.load_entry_points()
    rules = load_rules(
        {"rules": [{"plugin": "vip_first"}, HOURS_DOC["rules"][0]]},  # type: ignore[index]
        registry=registry,
    )
    assert [r.name for r in rules] == ["vip_first", "office"]


@pytest.mark.parametrize(
    ("entry_points", "message"),
    [
        (
            {"condition.broken": "cs8_no_such_module:factory"},
            "routing plugin 'condition.broken' from broken-routing-plugin 1.0 failed to load: "
            "ModuleNotFoundError",
        ),
        (
            {"strategy.lenient": "builtins:len"},
            "routing plugin 'strategy.lenient' from broken-routing-plugin 1.0 failed to load",
        ),
        (
            {"gadget.thing": "builtins:len"},
            "routing plugin 'gadget.thing' from broken-routing-plugin 1.0: entry points",
        ),
    ],
)
def test_broken_entry_point_is_plugin_load_error_naming_plugin_and_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry_points: dict[str, str], message: str
) -> None:
    write_distribution(
        tmp_path, "broken-routing-plugin", entry_points, group="cs8.routing.test-bad"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginLoadError) as info:
        RuleRegistry().load_entry_points("cs8.routing.test-bad")
    assert message in str(info.value)


def test_failed_load_registers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: object
) -> None:
    write_distribution(
        tmp_path,
        "half-broken",
        {
            "condition.business_hours_only": "cs8_example_plugin:business_hours_only",
            "rule.zzz": "cs8_no_such_module:rule",
        },
        group="cs8.routing.test-half",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = RuleRegistry()
    with pytest.raises(PluginLoadError):
        registry.load_entry_points("cs8.routing.test-half")
    assert registry.names("condition") == ()


def test_plugin_load_error_is_an_import_error() -> None:
    assert issubclass(PluginLoadError, ImportError)


@given(args=st.dictionaries(st.sampled_from(["start", "end", "days", "x"]), random_json))
def test_random_plugin_arguments_give_rule_set_or_rule_error(args: dict[str, object]) -> None:
    sys.path.insert(0, str(EXAMPLE_SRC))
    try:
        import cs8_example_plugin
    finally:
        sys.path.remove(str(EXAMPLE_SRC))
    registry = RuleRegistry()
    registry.register("condition", "business_hours_only", cs8_example_plugin.business_hours_only)
    when = {"plugin": "business_hours_only", "args": args}
    try:
        result: RuleSet | None = load_rules(
            {"rules": [{"name": "r", "when": when, "actions": {}}]}, registry=registry
        )
    except RuleError:
        result = None
    assert result is None or isinstance(result, RuleSet)


def test_loading_entry_points_again_is_a_no_op(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: object
) -> None:
    write_distribution(
        tmp_path,
        "cs8-example-again",
        {"strategy.sticky_agent": "cs8_example_plugin:StickyAgent"},
        group="cs8.routing.test-again",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = RuleRegistry()
    first = registry.load_entry_points("cs8.routing.test-again")
    strategy = registry.strategy("sticky_agent")
    second = registry.load_entry_points("cs8.routing.test-again")
    assert (first, second, True) == (
        ("strategy.sticky_agent",),
        (),
        registry.strategy("sticky_agent") is strategy,
    )


def test_entry_point_does_not_replace_a_hand_registered_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: object
) -> None:
    write_distribution(
        tmp_path,
        "cs8-example-clash",
        {"condition.business_hours_only": "cs8_example_plugin:business_hours_only"},
        group="cs8.routing.test-clash",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = RuleRegistry()
    registry.register("condition", "business_hours_only", len)
    with pytest.raises(PluginLoadError, match="already registered"):
        registry.load_entry_points("cs8.routing.test-clash")
