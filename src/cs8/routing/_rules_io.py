"""Rule documents in and out: :func:`load_rules` checks and compiles a JSON document into a
:class:`RuleSet`; :func:`dump_rules` and :func:`dumps_rules` write one back, normalized.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias

from cs8._enums import Priority
from cs8.exceptions import InvalidValueError, RuleError
from cs8.routing._actions import EscalationStep, RuleActions
from cs8.routing._agent_filter import AgentFilter, compile_agent_filter, team_filter, team_of
from cs8.routing._conditions import (
    ALWAYS,
    CompiledCondition,
    compile_condition,
)
from cs8.routing._order_by import AgentOrder, compile_order_by
from cs8.routing._profiles import DELAY_RANGE, PRIORITY_RANGE, ProfileQueue, RoutingProfile
from cs8.routing._rules import BUILTIN_STRATEGY_NAMES, RoutingRule, Rule, RuleSet, rule_queues
from cs8.routing._schema import (
    JsonValue,
    Loc,
    RuleLimits,
    check_document,
    describe,
    format_duration,
    parse_duration,
    parse_text,
)

if TYPE_CHECKING:
    from cs8.routing._plugins import RuleRegistry, Strategy

__all__ = ["FORMAT_VERSION", "dump_actions", "dump_rules", "dumps_rules", "load_rules"]

FORMAT_VERSION = 1
"""The version of the rule document format this module reads and writes."""


# --------------------------------------------------------------------------------------------------
# Loading


_TOP_KEYS = frozenset({"$schema", "version", "rules", "default", "profiles"})
_PROFILE_KEYS = frozenset({"name", "queues", "agents", "teams"})
_PROFILE_QUEUE_KEYS = frozenset({"queue", "priority", "delay"})
_RULE_KEYS = frozenset({"name", "description", "when", "actions", "plugin", "continue"})
_ACTION_KEYS = frozenset(
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
    }
)
_STEP_KEYS = frozenset(
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
    }
)

Document: TypeAlias = "str | bytes | os.PathLike[str] | Mapping[str, JsonValue]"


def _object(value: object, loc: Loc, keys: frozenset[str], what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise loc.error(f"{what} must be an object, got {describe(value)}")
    for key in value:
        if key not in keys:
            raise loc.key(key).error(
                f"unknown key {key!r} in {what}; expected {', '.join(sorted(keys))}"
            )
    return value


def _text(value: object, loc: Loc, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise loc.error(f"{what} must be a non-empty string, got {describe(value)}")
    return value


def _int(value: object, loc: Loc, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise loc.error(f"expected an integer in {low}..{high}, got {describe(value)}")
    return value


def _priority(value: object, loc: Loc) -> Priority:
    names = ", ".join(p.value for p in Priority)
    if not isinstance(value, str):
        raise loc.error(f"expected a priority ({names}), got {describe(value)}")
    try:
        return Priority(value)
    except ValueError:
        raise loc.error(f"{describe(value)} is not a priority ({names})") from None


def _string_list(value: object, loc: Loc, limits: RuleLimits, what: str) -> list[str]:
    if not isinstance(value, list | tuple):
        raise loc.error(f"{what} must be an array of strings, got {describe(value)}")
    if len(value) > limits.max_list:
        raise loc.error(f"{what} has more than {limits.max_list} entries")
    out: list[str] = []
    for i, item in enumerate(value):
        text = _text(item, loc.index(i), "each entry")
        if text in out:
            raise loc.index(i).error(f"{describe(text)} is listed twice")
        out.append(text)
    return out


class _Loader:
    def __init__(self, registry: RuleRegistry | None, limits: RuleLimits) -> None:
        self.registry = registry
        self.limits = limits
        self.conditions = registry.conditions() if registry is not None else {}
        self.strategies = BUILTIN_STRATEGY_NAMES | (
            frozenset(registry.names("strategy")) if registry is not None else frozenset()
        )
        self.used: set[str] = set()  # the plugin strategies the document names

    def document(self, doc: object) -> RuleSet:
        root = Loc("")
        top = _object(doc, root, _TOP_KEYS, "a rule document")
        version = top.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise root.key("version").error(
                f"unsupported format version {describe(version)}; this cs8 reads {FORMAT_VERSION}"
            )
        if "$schema" in top and not isinstance(top["$schema"], str):
            raise root.key("$schema").error(f"must be a string, got {describe(top['$schema'])}")
        raw_rules = top.get("rules", [])
        loc = root.key("rules")
        if not isinstance(raw_rules, list | tuple):
            raise loc.error(f"'rules' must be an array, got {describe(raw_rules)}")
        if len(raw_rules) > self.limits.max_rules:
            raise loc.error(f"more than {self.limits.max_rules} rules")
        rules: list[RoutingRule] = []
        names: dict[str, int] = {}
        for i, raw in enumerate(raw_rules):
            rule = self.rule(raw, loc.index(i), i)
            if rule.name in names:
                raise (
                    loc.index(i)
                    .named(rule.name)
                    .key("name")
                    .error(f"the name {rule.name!r} is already used by rules[{names[rule.name]}]")
                )
            names[rule.name] = i
            rules.append(rule)
        default = (
            self.actions(top["default"], root.key("default")) if "default" in top else RuleActions()
        )
        plugins: dict[str, Strategy] = {}
        if self.registry is not None:
            plugins = {name: self.registry.strategy(name) for name in sorted(self.used)}
        profiles = self.profiles(top.get("profiles", []), root.key("profiles"), rules, default)
        return RuleSet(rules=rules, default=default, profiles=profiles, strategies=plugins)

    def profiles(
        self, raw: object, loc: Loc, rules: list[RoutingRule], default: RuleActions
    ) -> list[RoutingProfile]:
        """The ``profiles`` array; errors name the profile, the path, the field and the value."""
        if not isinstance(raw, list | tuple):
            raise loc.error(f"'profiles' must be an array, got {describe(raw)}")
        if len(raw) > self.limits.max_list:
            raise loc.error(f"more than {self.limits.max_list} profiles")
        known = rule_queues(rules, default)
        out: list[RoutingProfile] = []
        names: dict[str, int] = {}
        owner: dict[tuple[str, str], str] = {}
        for i, item in enumerate(raw):
            at = loc.index(i)
            obj = _object(item, at, _PROFILE_KEYS, "a routing profile")
            if "name" not in obj or "queues" not in obj:
                raise at.error("a routing profile needs 'name' and 'queues'")
            name = _text(obj["name"], at.key("name"), "name")
            if name in names:
                raise at.key("name").error(
                    f"profile {name!r}: the name is already used by profiles[{names[name]}]"
                )
            names[name] = i
            queues = self.profile_queues(obj["queues"], at.key("queues"), name, known)
            members: dict[str, list[str]] = {}
            for kind in ("agents", "teams"):
                where = at.key(kind)
                members[kind] = _string_list(obj.get(kind, []), where, self.limits, kind)
                for j, member in enumerate(members[kind]):
                    other = owner.setdefault((kind, member), name)
                    if other != name:
                        raise where.index(j).error(
                            f"profile {name!r}: {kind[:-1]} {member!r} is already in "
                            f"profile {other!r}"
                        )
            out.append(
                RoutingProfile(
                    name=name, queues=queues, agents=members["agents"], teams=members["teams"]
                )
            )
        return out

    def profile_queues(
        self, raw: object, loc: Loc, name: str, known: frozenset[str]
    ) -> list[ProfileQueue]:
        if not isinstance(raw, list | tuple) or not raw:
            raise loc.error(
                f"profile {name!r}: 'queues' must be a non-empty array, got {describe(raw)}"
            )
        out: list[ProfileQueue] = []
        for j, item in enumerate(raw):
            at = loc.index(j)
            obj = _object(item, at, _PROFILE_QUEUE_KEYS, "a profile queue")
            if "queue" not in obj:
                raise at.error(f"profile {name!r}: a profile queue needs 'queue'")
            queue = _text(obj["queue"], at.key("queue"), "queue")
            if queue not in known:
                raise at.key("queue").error(
                    f"profile {name!r}: {queue!r} is not a queue the rules send work to; "
                    f"known: {', '.join(sorted(known)) or 'none'}"
                )
            if any(q.queue == queue for q in out):
                raise at.key("queue").error(f"profile {name!r}: queue {queue!r} is listed twice")
            numbers: dict[str, int] = {}
            for key, (low, high), fallback in (
                ("priority", PRIORITY_RANGE, 1),
                ("delay", DELAY_RANGE, 0),
            ):
                value = obj.get(key, fallback)
                if (
                    not isinstance(value, int)
                    or isinstance(value, bool)
                    or not low <= value <= high
                ):
                    raise at.key(key).error(
                        f"profile {name!r}, queue {queue!r}: {key} must be an integer in "
                        f"{low}..{high}, got {describe(value)}"
                    )
                numbers[key] = value
            out.append(ProfileQueue(queue=queue, **numbers))
        return out

    def rule(self, raw: object, loc: Loc, index: int) -> RoutingRule:
        obj = _object(raw, loc, _RULE_KEYS, "a rule")
        if "plugin" in obj:
            for key in obj:
                if key != "plugin":
                    raise loc.key(key).error("a plugin rule takes only 'plugin'")
            name = _text(obj["plugin"], loc.key("plugin"), "the rule plugin's name")
            if self.registry is None:
                raise (
                    loc.named(name)
                    .key("plugin")
                    .error(f"rule plugin {name!r} needs load_rules(..., registry=...)")
                )
            try:
                return self.registry.rule(name)
            except KeyError:
                known = ", ".join(self.registry.names("rule")) or "none registered"
                raise (
                    loc.named(name)
                    .key("plugin")
                    .error(f"unknown rule plugin {name!r} (known: {known})")
                ) from None
        if "name" not in obj:
            raise loc.error(f"rule #{index} needs a 'name'")
        name = _text(obj["name"], loc.key("name"), "a rule's name")
        loc = loc.named(name)
        description = obj.get("description", "")
        if not isinstance(description, str):
            raise loc.key("description").error(f"must be a string, got {describe(description)}")
        when = compile_condition(
            obj.get("when", ALWAYS),
            conditions=self.conditions,
            limits=self.limits,
            loc=loc.key("when"),
        )
        if "actions" not in obj:
            raise loc.error("a rule needs 'actions'")
        actions = self.actions(obj["actions"], loc.key("actions"))
        go_on = obj.get("continue", False)
        if not isinstance(go_on, bool):
            raise loc.key("continue").error(f"must be true or false, got {describe(go_on)}")
        return Rule(name=name, when=when, actions=actions, description=description, continues=go_on)

    def actions(self, raw: object, loc: Loc) -> RuleActions:
        obj = _object(raw, loc, _ACTION_KEYS, "actions")
        queue = _text(obj["queue"], loc.key("queue"), "queue") if "queue" in obj else None
        priority = _priority(obj["priority"], loc.key("priority")) if "priority" in obj else None
        change = (
            _int(obj["priority_change"], loc.key("priority_change"), -3, 3)
            if "priority_change" in obj
            else 0
        )
        if priority is not None and "priority_change" in obj:
            raise loc.key("priority_change").error("give 'priority' or 'priority_change', not both")
        skills = self.skills(obj, loc)
        languages = (
            _string_list(obj["languages"], loc.key("languages"), self.limits, "languages")
            if "languages" in obj
            else []
        )
        preferred = (
            _string_list(
                obj["preferred_agents"],
                loc.key("preferred_agents"),
                self.limits,
                "preferred_agents",
            )
            if "preferred_agents" in obj
            else []
        )
        strategy = self.strategy(obj, loc)
        steps: list[EscalationStep] = []
        if "escalation" in obj:
            eloc = loc.key("escalation")
            raw_steps = obj["escalation"]
            if not isinstance(raw_steps, list | tuple):
                raise eloc.error(f"escalation must be an array of steps, got {describe(raw_steps)}")
            if len(raw_steps) > self.limits.max_list:
                raise eloc.error(f"more than {self.limits.max_list} escalation steps")
            for i, raw_step in enumerate(raw_steps):
                step = self.step(raw_step, eloc.index(i))
                if steps and step.after <= steps[-1].after:
                    raise (
                        eloc.index(i)
                        .key("after")
                        .error(
                            f"steps must come in strictly increasing 'after' order; "
                            f"{format_duration(step.after)} is not after "
                            f"{format_duration(steps[-1].after)}"
                        )
                    )
                steps.append(step)
        return RuleActions(
            queue=queue,
            priority=priority,
            priority_change=change,
            skills=skills,
            languages=languages,
            preferred_agents=preferred,
            strategy=strategy,
            escalation=steps,
            agent_filters=self.filters(obj, loc) or (),
            order_by=self.order_by(obj, loc) or (),
        )

    def skills(self, obj: Mapping[str, object], loc: Loc) -> dict[str, int]:
        skills: dict[str, int] = {}
        if "skills" in obj:
            sloc = loc.key("skills")
            raw_skills = obj["skills"]
            if not isinstance(raw_skills, Mapping):
                raise sloc.error(
                    f"skills must be an object of skill: minimum level, got {describe(raw_skills)}"
                )
            if len(raw_skills) > self.limits.max_list:
                raise sloc.error(f"more than {self.limits.max_list} skills")
            for skill, level in raw_skills.items():
                _text(skill, sloc, "a skill name")
                skills[skill] = _int(level, sloc.key(skill), 0, 1_000_000)
        return skills

    def strategy(self, obj: Mapping[str, object], loc: Loc) -> str | None:
        if "strategy" not in obj:
            return None
        strategy = _text(obj["strategy"], loc.key("strategy"), "strategy")
        if strategy not in BUILTIN_STRATEGY_NAMES:
            self.used.add(strategy)
        if strategy not in self.strategies:
            raise loc.key("strategy").error(
                f"unknown strategy {strategy!r}; expected one of "
                f"{', '.join(sorted(self.strategies))}"
            )
        return strategy

    def strings(self, obj: Mapping[str, object], loc: Loc, key: str) -> list[str] | None:
        if key not in obj:
            return None
        return _string_list(obj[key], loc.key(key), self.limits, key)

    def filters(self, obj: Mapping[str, object], loc: Loc) -> tuple[AgentFilter, ...] | None:
        """The ``team`` and ``agent_filter`` of actions or a step, as agent filters (the team's
        first): None when both are absent, () for a null ``agent_filter`` (a step)."""
        team = _text(obj["team"], loc.key("team"), "team") if "team" in obj else None
        if "agent_filter" not in obj and team is None:
            return None
        out: list[AgentFilter] = [] if team is None else [team_filter(team)]
        raw = obj.get("agent_filter")
        if raw is not None:
            out.append(
                compile_agent_filter(
                    raw, loc=loc.key("agent_filter"), max_depth=self.limits.max_depth
                )
            )
        return tuple(out)

    def order_by(
        self, obj: Mapping[str, object], loc: Loc, *, step: bool = False
    ) -> tuple[AgentOrder, ...] | None:
        """The ``order_by`` of actions or a step: None when absent; null only in a step, where
        it removes the ordering in force (() then)."""
        if "order_by" not in obj:
            return None
        raw = obj["order_by"]
        if raw is None and step:
            return ()
        if raw is None:
            raise loc.key("order_by").error("expected a list of order_by keys, got null")
        return compile_order_by(raw, loc=loc.key("order_by"))

    def step(self, raw: object, loc: Loc) -> EscalationStep:
        obj = _object(raw, loc, _STEP_KEYS, "an escalation step")
        if "after" not in obj:
            raise loc.error("an escalation step needs 'after'")
        after = parse_duration(obj["after"], loc.key("after"))
        queue = _text(obj["queue"], loc.key("queue"), "queue") if "queue" in obj else None
        priority = _priority(obj["priority"], loc.key("priority")) if "priority" in obj else None
        raised = (
            _int(obj["raise_priority"], loc.key("raise_priority"), 0, 3)
            if "raise_priority" in obj
            else 0
        )
        if priority is not None and "raise_priority" in obj:
            raise loc.key("raise_priority").error("give 'priority' or 'raise_priority', not both")
        relax = (
            _int(obj["relax_skills"], loc.key("relax_skills"), 0, 1_000_000)
            if "relax_skills" in obj
            else 0
        )
        drop = (
            _string_list(obj["drop_skills"], loc.key("drop_skills"), self.limits, "drop_skills")
            if "drop_skills" in obj
            else []
        )
        business = obj.get("business_hours", False)
        if not isinstance(business, bool):
            raise loc.key("business_hours").error(
                f"must be true or false, got {describe(business)}"
            )
        languages = obj.get("drop_languages", False)
        if not isinstance(languages, bool):
            raise loc.key("drop_languages").error(
                f"must be true or false, got {describe(languages)}"
            )
        filters = self.filters(obj, loc)
        skills = self.skills(obj, loc)
        strategy = self.strategy(obj, loc)
        spoken = self.strings(obj, loc, "languages")
        if spoken is not None and languages:
            raise loc.key("languages").error("give 'languages' or 'drop_languages', not both")
        preferred = self.strings(obj, loc, "preferred_agents")
        order = self.order_by(obj, loc, step=True)
        skip: str | None = None
        if "skip_if" in obj:  # null too is refused: the schema's const
            if obj["skip_if"] != "no_agent":
                raise loc.key("skip_if").error(
                    f"must be 'no_agent', got {describe(obj['skip_if'])}"
                )
            skip = "no_agent"
        changes = (raised, relax, drop, languages, skills)
        kept = (queue, priority, filters, spoken, preferred, strategy, order)
        if not any(changes) and all(value is None for value in kept):
            raise loc.error(
                "an escalation step must change something: queue, priority, raise_priority, "
                "relax_skills, drop_skills, drop_languages, agent_filter, team, skills, "
                "languages, preferred_agents, strategy or order_by"
            )
        return EscalationStep(
            after=after,
            queue=queue,
            priority=priority,
            raise_priority=raised,
            relax_skills=relax,
            drop_skills=drop,
            business_hours=business,
            drop_languages=languages,
            agent_filters=filters,
            skills=skills,
            languages=spoken,
            preferred_agents=preferred,
            strategy=strategy,
            order_by=order,
            skip_if=skip,
        )


def load_rules(
    document: Document,
    *,
    registry: RuleRegistry | None = None,
    limits: RuleLimits | None = None,
) -> RuleSet:
    """Check a rule document completely and compile it into a :class:`RuleSet`.

    Args:
        document: JSON text (``str`` or ``bytes``), the parsed document (a dict), or the path of
            a UTF-8 JSON file (a :class:`pathlib.Path`; error messages then start with it).
        registry: Where ``{"plugin": ...}`` conditions and rules, and non-built-in strategy
            names, are looked up. Without one, only built-in conditions and strategies load.
        limits: Size bounds (:class:`RuleLimits` defaults when omitted).

    Returns:
        The rules, in document order, and the default actions.

    Raises:
        RuleError: On anything malformed, naming the rule and the JSON path of the problem.

    Example:
        >>> load_rules({"rules": [{"name": "r", "when": {"all": [
        ...     {"field": "ticket.channel", "op": "equals", "value": "chat"},
        ...     {"field": "ticket.age", "op": "greater", "value": 60}]},
        ...     "actions": {"queue": "q"}}]})
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: rule 'r' at rules[0].when.all[1].op: operator 'greater' does not apply to ticket.age; expected one of equals, not_equals, in, not_in, lt, lte, gt, gte, between
    """
    limits = limits or RuleLimits()
    if isinstance(document, os.PathLike):
        path = os.fspath(document)
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_chars * 4 + 1)
        except OSError as exc:
            raise RuleError(f"{path}: cannot read the rule file: {exc}") from exc
        if len(data) > limits.max_chars * 4:
            raise RuleError(f"{path}: the rule file is larger than {limits.max_chars * 4} bytes")
        try:
            return load_rules(data, registry=registry, limits=limits)
        except RuleError as exc:
            raise RuleError(f"{path}: {exc}") from None
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Loc("").error(f"not UTF-8 text: {exc}") from exc
    parsed: object = parse_text(document, limits) if isinstance(document, str) else document
    check_document(parsed, limits)
    try:
        return _Loader(registry, limits).document(parsed)
    except RuleError:
        raise
    except (InvalidValueError, ValueError, TypeError, OverflowError) as exc:
        # Model validators are the last line of defence; the loader checks first.
        raise RuleError(f"at $: {exc}") from exc


# --------------------------------------------------------------------------------------------------
# Dumping


def _dump_filters(filters: tuple[AgentFilter, ...], out: dict[str, JsonValue], step: bool) -> None:
    """Write agent filters as ``team`` (a leading team filter) and ``agent_filter``."""
    team = team_of(filters[0]) if filters else None
    if team is not None:
        out["team"] = team
        filters = filters[1:]
    if len(filters) == 1:
        out["agent_filter"] = filters[0].to_json()
    elif filters:
        out["agent_filter"] = {"all": [f.to_json() for f in filters]}
    elif step and team is None:
        out["agent_filter"] = None


def _dump_step(step: EscalationStep) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = {"after": format_duration(step.after)}
    if step.queue is not None:
        out["queue"] = step.queue
    if step.priority is not None:
        out["priority"] = step.priority.value
    if step.raise_priority:
        out["raise_priority"] = step.raise_priority
    if step.relax_skills:
        out["relax_skills"] = step.relax_skills
    if step.drop_skills:
        out["drop_skills"] = sorted(step.drop_skills)
    if step.business_hours:
        out["business_hours"] = True
    if step.drop_languages:
        out["drop_languages"] = True
    if step.agent_filters is not None:
        _dump_filters(step.agent_filters, out, True)
    if step.skills:
        out["skills"] = dict(sorted(step.skills.items()))
    if step.languages is not None:
        out["languages"] = sorted(step.languages)
    if step.preferred_agents is not None:
        out["preferred_agents"] = list(step.preferred_agents)
    if step.strategy is not None:
        out["strategy"] = step.strategy
    if step.order_by is not None:
        out["order_by"] = [o.to_json() for o in step.order_by] or None
    if step.skip_if is not None:
        out["skip_if"] = step.skip_if
    return out


def dump_actions(actions: RuleActions) -> dict[str, JsonValue]:
    """Return the document form of ``actions`` (only fields that are set).

    Example:
        >>> dump_actions(RuleActions(queue="q", skills={"refunds": 2}))
        {'queue': 'q', 'skills': {'refunds': 2}}
    """
    out: dict[str, JsonValue] = {}
    if actions.queue is not None:
        out["queue"] = actions.queue
    if actions.priority is not None:
        out["priority"] = actions.priority.value
    if actions.priority_change:
        out["priority_change"] = actions.priority_change
    if actions.skills:
        out["skills"] = dict(sorted(actions.skills.items()))
    if actions.languages:
        out["languages"] = sorted(actions.languages)
    if actions.preferred_agents:
        out["preferred_agents"] = list(actions.preferred_agents)
    if actions.strategy is not None:
        out["strategy"] = actions.strategy
    if actions.escalation:
        out["escalation"] = [_dump_step(s) for s in actions.escalation]
    if actions.agent_filters:
        _dump_filters(actions.agent_filters, out, False)
    if actions.order_by:
        out["order_by"] = [o.to_json() for o in actions.order_by]
    return out


def dump_rules(rules: RuleSet) -> dict[str, JsonValue]:
    """Return the normalized document of a rule set; ``load_rules`` reads it back to an equal set.

    Rules that are not :class:`Rule` values (plugin rules) are written as ``{"plugin": name}``.

    Raises:
        RuleError: If a rule's condition was not compiled from a document (a hand-written
            Condition has no document form).

    Example:
        >>> rules = load_rules({"rules": [{"name": "slow", "when": {"field": "ticket.age",
        ...     "op": "gt", "value": "PT2H"}, "actions": {"escalation": [
        ...     {"after": 1800, "raise_priority": 1}]}}]})
        >>> dump_rules(rules)["rules"][0]["actions"]
        {'escalation': [{'after': 'PT30M', 'raise_priority': 1}]}
        >>> load_rules(dump_rules(rules)) == rules
        True
    """
    out_rules: list[JsonValue] = []
    for i, rule in enumerate(rules.rules):
        if not isinstance(rule, Rule):
            out_rules.append({"plugin": rule.name})
            continue
        item: dict[str, JsonValue] = {"name": rule.name}
        if rule.description:
            item["description"] = rule.description
        if not isinstance(rule.when, CompiledCondition):
            raise RuleError(
                f"rule {rule.name!r} at rules[{i}].when: a hand-written condition "
                f"({type(rule.when).__name__}) has no document form"
            )
        item["when"] = rule.when.to_json()
        item["actions"] = dump_actions(rule.actions)
        if getattr(rule, "continues", False):
            item["continue"] = True
        out_rules.append(item)
    doc: dict[str, JsonValue] = {"version": FORMAT_VERSION, "rules": out_rules}
    default = dump_actions(rules.default)
    if default:
        doc["default"] = default
    if rules.profiles:
        doc["profiles"] = [_dump_profile(profile) for profile in rules.profiles]
    return doc


def _dump_profile(profile: RoutingProfile) -> dict[str, JsonValue]:
    queues: list[JsonValue] = [
        {"queue": q.queue, "priority": q.priority, "delay": q.delay} for q in profile.queues
    ]
    out: dict[str, JsonValue] = {"name": profile.name, "queues": queues}
    if profile.agents:
        out["agents"] = sorted(profile.agents)
    if profile.teams:
        out["teams"] = sorted(profile.teams)
    return out


def dumps_rules(rules: RuleSet, *, indent: int | None = 2) -> str:
    """Return the normalized JSON text of a rule set.

    Example:
        >>> print(dumps_rules(RuleSet(default=RuleActions(queue="general")), indent=None))
        {"version": 1, "rules": [], "default": {"queue": "general"}}
    """
    return json.dumps(dump_rules(rules), indent=indent, ensure_ascii=False)
