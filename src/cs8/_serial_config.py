"""The converter hooks of cs8's configuration and state objects (internal to
:mod:`cs8.serialization`): business calendars, SLA policies, rule sets, strategies, routers,
routing state, agent pools and routing decisions.

Each object is written as plain JSON data and read back through its own constructor, so reading
checks exactly what building checks; a value with no data form (a strategy plugin, a hand-written
rule condition, a clock that is not a :class:`~cs8.sla.BusinessCalendar`) raises
:class:`~cs8.SerializationError` naming it rather than writing something that cannot be read back.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

from cs8._fields import freeze_json
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError, SerializationError, SlaError

__all__ = ["json_data", "json_value", "plain", "register_config_hooks"]


def json_value(value: Any, where: str = "value") -> Any:
    """Check that ``value`` is JSON data (finite numbers, string keys) and return it frozen.

    Lists become tuples and objects :class:`~cs8._frozen.FrozenDict` values, as the models'
    free-form ``attributes`` hold them.

    Raises:
        InvalidValueError: For a key that is not a string, a NaN or infinite number, or a value
            that is not JSON; the message gives the path.

    Example:
        >>> json_value({"skus": ["A", "B"]})
        FrozenDict({'skus': ('A', 'B')})
        >>> json_value({"x": float("nan")}, "attributes")
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: attributes['x'] must be a finite number, got nan
    """
    _check_json(value, where)
    return freeze_json(value)


def _check_json(value: Any, where: str) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"{where} must be a finite number, got {value!r}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidValueError(f"{where} keys must be strings, got {key!r}")
            _check_json(item, f"{where}[{key!r}]")
        return
    raise InvalidValueError(f"{where} must be a JSON value, got {value!r}")


def json_data(value: Any, where: str = "value") -> Any:
    """Return JSON data (tuples and FrozenDicts included) as lists and dicts, checking every value.

    Enum keys and values are written as their values; anything else that JSON cannot hold (a
    datetime, a set, NaN) raises: a free-form value is never turned into text silently.

    Raises:
        SerializationError: For a value that is not JSON data.

    Example:
        >>> json_data(FrozenDict({"skus": ("A", "B")}))
        {'skus': ['A', 'B']}
    """
    return _walk(value, where, lenient=False)


def plain(value: Any, where: str = "value") -> Any:
    """Return ``value`` as JSON-ready data: mappings as dicts (keys as text), sequences and sets
    as lists (sets sorted), dates and datetimes in ISO 8601, durations in seconds, enums as their
    values.

    Raises:
        SerializationError: For a value with no JSON form, or a NaN or infinite number.

    Example:
        >>> from datetime import date
        >>> plain({date(2026, 9, 2): (("08:00", "12:00"),)})
        {'2026-09-02': [['08:00', '12:00']]}
    """
    return _walk(value, where, lenient=True)


def _walk(value: Any, where: str, *, lenient: bool) -> Any:
    """JSON data for ``value``; ``lenient`` also writes dates, durations and sets."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SerializationError(f"{where} is {value!r}, which JSON cannot hold")
        return value
    if isinstance(value, Mapping):
        return {
            _key(k, where): _walk(v, f"{where}[{k!r}]", lenient=lenient) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_walk(v, f"{where}[{i}]", lenient=lenient) for i, v in enumerate(value)]
    if lenient:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, timedelta):
            seconds = value.total_seconds()
            return int(seconds) if not value.microseconds else seconds
        if isinstance(value, frozenset | set):
            return sorted((_walk(v, where, lenient=True) for v in value), key=str)
    raise SerializationError(
        f"{where} holds a {type(value).__name__} ({value!r}), which is not JSON data"
    )


def _key(key: Any, where: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, enum.Enum):
        return str(key.value)
    if isinstance(key, date):
        return key.isoformat()
    raise SerializationError(f"{where} has a key with no JSON form: {key!r}")


def _fields_data(obj: Any, where: str) -> dict[str, Any]:
    """The init fields of an attrs value, as JSON data, by their constructor names."""
    return {
        field.alias: plain(getattr(obj, field.name), f"{where}.{field.name}")
        for field in attrs.fields(type(obj))
        if field.init
    }


def _mapping(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidValueError(f"{what} must be an object (mapping), got {data!r}")
    return dict(data)


def register_config_hooks(conv: cattrs.Converter) -> None:
    """Teach ``conv`` the configuration and state objects (see the module docstring).

    Example:
        >>> from cs8.serialization import make_converter
        >>> from cs8.sla import BusinessCalendar
        >>> conv = make_converter()
        >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]},
        ...                        holidays=["2026-01-01"])
        >>> conv.unstructure(cal)["holidays"]
        ['2026-01-01']
    """
    from cs8.routing import (
        Ageing,
        AgentPool,
        BusinessClock,
        ChannelWeights,
        LeastBusy,
        LongestIdle,
        MostSkilled,
        PriorityAdjustments,
        PriorityMatrix,
        RoundRobin,
        Router,
        RoutingDecision,
        RuleSet,
        Weighted,
        dump_rules,
        load_rules,
    )
    from cs8.routing._decision import VALUE_FIELDS
    from cs8.routing._strategies import BUILTIN_STRATEGIES, BuiltinStrategy
    from cs8.serialization import parse_datetime, parse_duration
    from cs8.sla import BusinessCalendar, SlaClock, SlaPolicy, dump_policy, load_policy

    # ---------------------------------------------------------------- calendars and clocks

    def calendar_data(cal: BusinessCalendar) -> dict[str, Any]:
        return _fields_data(cal, "BusinessCalendar")

    def structure_calendar(data: Any, _: Any) -> BusinessCalendar:
        fields = _mapping(data, "BusinessCalendar")
        closures = fields.get("closures")
        if isinstance(closures, list):
            fields["closures"] = [
                [parse_datetime(b, f"BusinessCalendar.closures[{i}]") for b in pair]
                if isinstance(pair, list)
                else pair
                for i, pair in enumerate(closures)
            ]
        return BusinessCalendar(**fields)

    def clock_data(clock: object) -> dict[str, Any]:
        if isinstance(clock, BusinessCalendar):
            return calendar_data(clock)
        raise SerializationError(
            f"only a BusinessCalendar has a data form, not a {type(clock).__name__} ({clock!r})"
        )

    conv.register_unstructure_hook(BusinessCalendar, calendar_data)
    conv.register_structure_hook(BusinessCalendar, structure_calendar)
    for protocol in (SlaClock, BusinessClock):
        conv.register_unstructure_hook(protocol, clock_data)
        conv.register_structure_hook(protocol, structure_calendar)

    # ---------------------------------------------------------------- SLA policies

    # One data form for a policy: the SLA document operations staff edit (cs8.sla.dump_policy).
    def policy_data(policy: SlaPolicy) -> Any:
        try:
            return dump_policy(policy)
        except SlaError as exc:
            raise SerializationError(f"the SLA policy has no data form: {exc}") from exc

    conv.register_unstructure_hook(SlaPolicy, policy_data)
    conv.register_structure_hook(
        SlaPolicy, lambda data, _: load_policy(_mapping(data, "SlaPolicy"))
    )

    # ---------------------------------------------------------------- fraction or duration

    # SLA warnings and escalations are a fraction of the target (a number) or a time before due
    # (an ISO 8601 duration text: a number would read as a fraction).
    threshold = float | timedelta

    def threshold_data(value: float | timedelta) -> float | str:
        if isinstance(value, timedelta):
            from cs8.routing._schema import format_duration

            return format_duration(value)
        return plain(value, "threshold")  # type: ignore[no-any-return]

    def structure_threshold(value: Any, _: Any) -> float | timedelta:
        if isinstance(value, str):
            return parse_duration(value, "threshold")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise InvalidValueError(
            f"a threshold must be a fraction (number) or a duration text, got {value!r}"
        )

    conv.register_unstructure_hook_func(lambda t: t == threshold, threshold_data)
    conv.register_structure_hook_func(lambda t: t == threshold, structure_threshold)

    # ---------------------------------------------------------------- rules and strategies

    def rules_data(rules: RuleSet) -> Any:
        try:
            return dump_rules(rules)
        except InvalidValueError as exc:
            raise SerializationError(f"the rule set has no data form: {exc}") from exc

    conv.register_unstructure_hook(RuleSet, rules_data)
    conv.register_structure_hook(RuleSet, lambda data, _: load_rules(_mapping(data, "RuleSet")))

    strategy_tags = {
        LeastBusy: "least_busy",
        LongestIdle: "longest_idle",
        RoundRobin: "round_robin",
        MostSkilled: "most_skilled",
        Weighted: "weighted",
    }
    configure_tagged_union(
        BuiltinStrategy,
        conv,
        tag_generator=lambda cls: strategy_tags[cls],
        tag_name="type",
    )

    def strategy_data(value: object, where: str) -> Any:
        if not isinstance(value, tuple(strategy_tags)):
            raise SerializationError(
                f"{where} is a strategy plugin ({type(value).__name__}), which has no data form; "
                "pass it to the Router again after reading"
            )
        return conv.unstructure(value, BuiltinStrategy)

    # ---------------------------------------------------------------- routers

    def matrix_data(matrix: PriorityMatrix) -> list[list[str]]:
        return [[i, u, p.value] for (i, u), p in sorted(matrix.table.items())]

    def structure_matrix(data: Any, _: Any) -> PriorityMatrix:
        if not isinstance(data, list) or not all(
            isinstance(row, list) and len(row) == 3 for row in data
        ):
            raise InvalidValueError(
                f"PriorityMatrix must be a list of [impact, urgency, priority] rows, got {data!r}"
            )
        return PriorityMatrix(table={(row[0], row[1]): row[2] for row in data})

    conv.register_unstructure_hook(PriorityMatrix, matrix_data)
    conv.register_structure_hook(PriorityMatrix, structure_matrix)

    def zone_name(zone: tzinfo) -> str:
        key = getattr(zone, "key", None)
        if isinstance(key, str):
            return key
        if zone.utcoffset(None) == timedelta(0):
            return "UTC"
        raise SerializationError(f"Router.timezone {zone!r} is not an IANA zone")

    def router_data(router: Router) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rules": rules_data(router.rules),
            "strategy": strategy_data(router.strategy, "Router.strategy"),
        }
        extra = {
            name: strategy_data(s, f"Router.strategies[{name!r}]")
            for name, s in router.strategies.items()
            if BUILTIN_STRATEGIES.get(name) != s
        }
        if extra:
            out["strategies"] = extra
        out["weights"] = conv.unstructure(router.weights)
        out["away_fallback"] = router.away_fallback
        for name in ("matrix", "adjustments", "ageing", "calendar"):
            value = getattr(router, name)
            out[name] = None if value is None else conv.unstructure(value)
        out["timezone"] = zone_name(router.timezone)
        out["explain"] = router.explain
        return out

    def structure_router(data: Any, _: Any) -> Router:
        fields = _mapping(data, "Router")
        kinds: dict[str, Any] = {
            "rules": RuleSet,
            "strategy": BuiltinStrategy,
            "weights": ChannelWeights,
            "matrix": PriorityMatrix,
            "adjustments": PriorityAdjustments,
            "ageing": Ageing,
            "calendar": BusinessCalendar,
        }
        for name, kind in kinds.items():
            if fields.get(name) is not None:
                fields[name] = conv.structure(fields[name], kind)
        if fields.get("strategies") is not None:
            fields["strategies"] = {
                name: conv.structure(s, BuiltinStrategy)  # type: ignore[arg-type]
                for name, s in _mapping(fields["strategies"], "Router.strategies").items()
            }
        return Router(**fields)

    conv.register_unstructure_hook(Router, router_data)
    conv.register_structure_hook(Router, structure_router)

    # ---------------------------------------------------------------- decisions and pools

    decision_fields = VALUE_FIELDS

    def decision_data(decision: RoutingDecision) -> dict[str, Any]:
        out = {name: plain(getattr(decision, name), name) for name in decision_fields}
        out["state"] = conv.unstructure(decision.state)
        return out

    def structure_decision(data: Any, _: Any) -> RoutingDecision:
        from cs8 import Priority
        from cs8.routing import RoutingState

        fields = _mapping(data, "RoutingDecision")
        unknown = set(fields) - {*decision_fields, "state"}
        if unknown:
            raise InvalidValueError(f"RoutingDecision has no field(s) {sorted(unknown)}")
        trace = fields.get("trace", ())
        if not isinstance(trace, list | tuple) or not all(isinstance(x, str) for x in trace):
            raise InvalidValueError(f"RoutingDecision.trace must be a list of lines, got {trace!r}")
        fields["trace"] = tuple(trace)
        fields["priority"] = Priority(fields.get("priority", "normal"))
        if fields.get("due_at") is not None:
            fields["due_at"] = parse_datetime(fields["due_at"], "RoutingDecision.due_at")
        fields["skills"] = FrozenDict(_mapping(fields.get("skills") or {}, "skills"))
        fields["languages"] = frozenset(fields.get("languages") or ())
        if "state" in fields:
            fields["state"] = conv.structure(fields["state"], RoutingState)
        return RoutingDecision(**fields)

    conv.register_unstructure_hook(RoutingDecision, decision_data)
    conv.register_structure_hook(RoutingDecision, structure_decision)

    from cs8 import Agent

    def pool_data(pool: AgentPool) -> dict[str, Any]:
        with pool.lock:
            return {
                "weights": conv.unstructure(pool.weights),
                "agents": [conv.unstructure(agent) for agent in pool.agents],
                "channel_loads": {
                    agent_id: json_data(counts)
                    for agent_id, counts in pool.channel_loads.items()
                    if counts
                },
            }

    def structure_pool(data: Any, _: Any) -> AgentPool:
        fields = _mapping(data, "AgentPool")
        unknown = set(fields) - {"weights", "agents", "channel_loads"}
        if unknown:
            raise InvalidValueError(f"AgentPool has no field(s) {sorted(unknown)}")
        loads = _mapping(fields.get("channel_loads") or {}, "AgentPool.channel_loads")
        channel_loads: dict[str, Mapping[Any, int]] = {
            k: _mapping(v, f"AgentPool.channel_loads[{k!r}]") for k, v in loads.items()
        }
        return AgentPool(
            conv.structure(fields.get("agents", []), list[Agent]),
            weights=conv.structure(fields.get("weights", {}), ChannelWeights),
            channel_loads=channel_loads,
        )

    conv.register_unstructure_hook(AgentPool, pool_data)
    conv.register_structure_hook(AgentPool, structure_pool)
