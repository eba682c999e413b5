"""SLA policies as JSON documents: :func:`load_policy`, :func:`dump_policy` and the schema.

The document mirrors the constructors (``SlaPolicy``, ``SlaTarget``, ``BusinessCalendar``); durations
are seconds or ISO 8601 text (``"PT1H"``), a target's ``when`` is a condition in the routing rules'
language, and a calendar may be effective-dated (``{"periods": [{"from": date, "calendar": ...}]}``).
``sla_policy.schema.json`` (JSON Schema draft 2020-12), shipped beside this module, describes it.

Example:
    >>> policy = load_policy({"name": "std", "targets": [
    ...     {"metric": "first_reply", "within": "PT4H", "priority": ["high", "urgent"]}]})
    >>> policy.targets[0].within
    datetime.timedelta(seconds=14400)
    >>> load_policy(dump_policy(policy)) == policy
    True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from cs8.exceptions import Cs8Error, SlaError
from cs8.sla._calendar import BusinessCalendar
from cs8.sla._calendar_periods import DatedCalendar
from cs8.sla._policy import SlaPolicy
from cs8.sla._targets import SlaEscalation, SlaTarget

__all__ = ["dump_policy", "dumps_policy", "load_policy", "policy_schema"]

JsonValue = Any
_VERSION = 1
_POLICY_KEYS = {"version", "name", "calendar", "schedule", "pause_statuses", "targets"}
_TARGET_KEYS = {
    "metric",
    "within",
    "priority",
    "segment",
    "category",
    "channel",
    "group",
    "when",
    "on_reopen",
    "reply_clock_start",
    "business_hours",
    "pause_statuses",
    "warnings",
    "escalations",
}
_CALENDAR_KEYS = {"timezone", "hours", "cycle_start", "holidays", "overrides", "closures", "clock"}


def _fail(path: str, message: str) -> SlaError:
    return SlaError(f"SLA policy document at {path}: {message}")


def _object(value: object, path: str, keys: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path, f"expected an object, got {value!r}")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _fail(path, f"unknown key {unknown[0]!r}; expected one of {', '.join(sorted(keys))}")
    return value


def _build(path: str, make: Callable[..., Any], /, **kwargs: Any) -> Any:
    try:
        return make(**kwargs)
    except Cs8Error as error:
        raise _fail(path, str(error)) from None
    except (TypeError, ValueError) as error:
        raise _fail(path, str(error)) from None


def _duration(value: object, path: str) -> timedelta:
    from cs8.serialization import parse_duration

    if isinstance(value, bool):
        raise _fail(path, f"expected seconds or an ISO 8601 duration, got {value!r}")
    return _build(path, lambda: parse_duration(value, path))  # type: ignore[no-any-return]


def _threshold(value: object, path: str) -> float | timedelta:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _duration(value, path)
    raise _fail(path, f"expected a fraction of the target or an ISO 8601 duration, got {value!r}")


def _instant(value: object, path: str) -> datetime:
    from cs8.serialization import parse_datetime

    return _build(path, lambda: parse_datetime(value, path))  # type: ignore[no-any-return]


def _calendar(value: object, path: str) -> BusinessCalendar | DatedCalendar:
    if isinstance(value, Mapping) and "periods" in value:
        doc = _object(value, path, {"periods"})
        periods = doc["periods"]
        if not isinstance(periods, list) or not periods:
            raise _fail(f"{path}.periods", "expected a non-empty list of periods")
        pairs: list[tuple[object, BusinessCalendar]] = []
        for i, item in enumerate(periods):
            where = f"{path}.periods[{i}]"
            entry = _object(item, where, {"from", "calendar"})
            if "from" not in entry or "calendar" not in entry:
                raise _fail(where, "a period needs 'from' (a date) and 'calendar'")
            cal = _calendar(entry["calendar"], f"{where}.calendar")
            if not isinstance(cal, BusinessCalendar):
                raise _fail(f"{where}.calendar", "periods cannot nest")
            pairs.append((entry["from"], cal))
        return _build(path, lambda: BusinessCalendar.from_periods(pairs))  # type: ignore[arg-type, no-any-return]
    doc = _object(value, path, _CALENDAR_KEYS)
    kwargs: dict[str, Any] = {k: v for k, v in doc.items() if k not in ("closures", "cycle_start")}
    if "cycle_start" in doc:
        kwargs["cycle_start"] = _build(
            f"{path}.cycle_start", lambda: date.fromisoformat(str(doc["cycle_start"]))
        )
    if "closures" in doc:
        closures = doc["closures"]
        if not isinstance(closures, list):
            raise _fail(f"{path}.closures", "expected a list of [start, end] pairs")
        pairs_c = []
        for i, pair in enumerate(closures):
            where = f"{path}.closures[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise _fail(where, f"expected a [start, end] pair, got {pair!r}")
            pairs_c.append((_instant(pair[0], f"{where}[0]"), _instant(pair[1], f"{where}[1]")))
        kwargs["closures"] = pairs_c
    if "timezone" not in doc or "hours" not in doc:
        raise _fail(path, "a calendar needs 'timezone' and 'hours'")
    return _build(path, lambda: BusinessCalendar(**kwargs))  # type: ignore[no-any-return]


def _target(value: object, path: str) -> SlaTarget:
    doc = _object(value, path, _TARGET_KEYS)
    if "metric" not in doc or "within" not in doc:
        raise _fail(path, "a target needs 'metric' and 'within'")
    kwargs: dict[str, Any] = {
        k: v for k, v in doc.items() if k not in ("within", "when", "warnings", "escalations")
    }
    kwargs["within"] = _duration(doc["within"], f"{path}.within")
    if "when" in doc:
        from cs8.routing import compile_condition
        from cs8.routing._schema import Loc

        kwargs["condition"] = _build(
            f"{path}.when", lambda: compile_condition(doc["when"], loc=Loc(f"{path}.when"))
        )
    if "warnings" in doc:
        items = doc["warnings"] if isinstance(doc["warnings"], list) else [doc["warnings"]]
        kwargs["warnings"] = [_threshold(w, f"{path}.warnings[{i}]") for i, w in enumerate(items)]
    if "escalations" in doc:
        if not isinstance(doc["escalations"], list):
            raise _fail(f"{path}.escalations", "expected a list of {level, at} objects")
        escalations = []
        for i, item in enumerate(doc["escalations"]):
            where = f"{path}.escalations[{i}]"
            esc = _object(item, where, {"level", "at"})
            if "level" not in esc or "at" not in esc:
                raise _fail(where, "an escalation needs 'level' and 'at'")
            at = _threshold(esc["at"], f"{where}.at")
            level = esc["level"]
            escalations.append(_build(where, SlaEscalation, level=level, at=at))
        kwargs["escalations"] = escalations
    return _build(path, lambda: SlaTarget(**kwargs))  # type: ignore[no-any-return]


def _read(document: object) -> tuple[object, str]:
    if isinstance(document, Path):
        try:
            return json.loads(document.read_text("utf-8")), f"{document}: "
        except (OSError, ValueError) as error:
            raise SlaError(f"{document}: cannot read an SLA policy document: {error}") from None
    if isinstance(document, str | bytes):
        try:
            return json.loads(document), ""
        except ValueError as error:
            raise SlaError(f"SLA policy document is not valid JSON: {error}") from None
    return document, ""


def load_policy(document: Mapping[str, Any] | str | bytes | Path) -> SlaPolicy:
    """Check an SLA policy document and build the :class:`SlaPolicy` it describes.

    Args:
        document: The parsed document (a dict), JSON text, or the path of a UTF-8 JSON file.

    Raises:
        SlaError: On anything malformed, naming the JSON path (``targets[1].within``) of the
            problem; an error in a ``when`` condition keeps the routing layer's message.

    Example:
        >>> load_policy({"name": "std", "targets": [{"metric": "first_reply", "within": -5}]})
        Traceback (most recent call last):
        ...
        cs8.exceptions.SlaError: SLA policy document at targets[0]: SlaTarget.within must be a positive timedelta, got datetime.timedelta(days=-1, seconds=86395) (target for first_reply)
    """
    raw, prefix = _read(document)
    try:
        doc = _object(raw, "(root)", _POLICY_KEYS)
        version = doc.get("version", _VERSION)
        if version != _VERSION:
            raise _fail("version", f"unsupported version {version!r}; this cs8 reads version 1")
        if "name" not in doc:
            raise _fail("(root)", "a policy needs a 'name'")
        targets = doc.get("targets", [])
        if not isinstance(targets, list):
            raise _fail("targets", "expected a list of targets")
        kwargs: dict[str, Any] = {
            "name": doc["name"],
            "targets": [_target(t, f"targets[{i}]") for i, t in enumerate(targets)],
        }
        if doc.get("calendar") is not None:
            kwargs["calendar"] = _calendar(doc["calendar"], "calendar")
        for key in ("schedule", "pause_statuses"):
            if key in doc:
                kwargs[key] = doc[key]
        return _build("(root)", lambda: SlaPolicy(**kwargs))  # type: ignore[no-any-return]
    except SlaError as error:
        if prefix:
            raise SlaError(f"{prefix}{error}") from None
        raise


# -- writing -------------------------------------------------------------------------------------


def _duration_text(value: timedelta) -> str:
    from cs8.routing._schema import format_duration  # the rule documents' canonical form

    return format_duration(value)


def _values(values: frozenset[Any] | None) -> list[str] | None:
    if values is None:
        return None
    return sorted(v.value if hasattr(v, "value") else str(v) for v in values)


def _dump_calendar(calendar: object) -> dict[str, JsonValue]:
    if isinstance(calendar, DatedCalendar):
        return {
            "periods": [
                {"from": day.isoformat(), "calendar": _dump_calendar(cal)}
                for day, cal in calendar.periods
            ]
        }
    if not isinstance(calendar, BusinessCalendar):
        raise SlaError(
            f"dump_policy: the calendar {calendar!r} is not a BusinessCalendar and has no "
            "document form"
        )

    def week(pattern: Mapping[str, Any]) -> dict[str, JsonValue]:
        return {day: [list(i) for i in intervals] for day, intervals in pattern.items()}

    out: dict[str, JsonValue] = {"timezone": calendar.timezone}
    weeks = calendar.weeks
    out["hours"] = week(weeks[0]) if len(weeks) == 1 else [week(w) for w in weeks]
    if calendar.cycle_start is not None:
        out["cycle_start"] = calendar.cycle_start.isoformat()
    if calendar.holidays:
        out["holidays"] = [d.isoformat() for d in calendar.holidays]
    if calendar.overrides:
        out["overrides"] = {
            d.isoformat(): [list(i) for i in v] for d, v in calendar.overrides.items()
        }
    if calendar.closures:
        out["closures"] = [[a.isoformat(), b.isoformat()] for a, b in calendar.closures]
    if calendar.clock != "elapsed":
        out["clock"] = calendar.clock
    return out


def _threshold_json(value: float | timedelta) -> JsonValue:
    return _duration_text(value) if isinstance(value, timedelta) else value


def _dump_target(target: SlaTarget) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = {
        "metric": target.metric.value,
        "within": _duration_text(target.within),
    }
    for key in ("priority", "segment", "category", "channel", "group"):
        values = _values(getattr(target, key))
        if values is not None:
            out[key] = values
    if target.condition is not None:
        out["when"] = target.condition.to_json()
    if target.on_reopen != "complete":
        out["on_reopen"] = target.on_reopen
    if target.reply_clock_start != "created":
        out["reply_clock_start"] = target.reply_clock_start
    if not target.business_hours:
        out["business_hours"] = False
    if target.pause_statuses is not None:
        out["pause_statuses"] = _values(target.pause_statuses)
    if target.warnings:
        out["warnings"] = [_threshold_json(w) for w in target.warnings]
    if target.escalations:
        out["escalations"] = [
            {"level": e.level, "at": _threshold_json(e.at)} for e in target.escalations
        ]
    return out


def dump_policy(policy: SlaPolicy) -> dict[str, JsonValue]:
    """Return the document of a policy; :func:`load_policy` reads it back to an equal policy.

    Raises:
        SlaError: If the calendar is a custom clock (not a ``BusinessCalendar``), which has no
            document form.

    Example:
        >>> from datetime import timedelta
        >>> dump_policy(SlaPolicy(name="std", targets=[
        ...     SlaTarget(metric="resolution", within=timedelta(days=1), warnings=0.75)]))
        {'version': 1, 'name': 'std', 'pause_statuses': ['on_hold', 'pending'], 'targets': [{'metric': 'resolution', 'within': 'P1D', 'warnings': [0.75]}]}
    """
    out: dict[str, JsonValue] = {"version": _VERSION, "name": policy.name}
    if policy.calendar is not None:
        out["calendar"] = _dump_calendar(policy.calendar)
    if policy.schedule != "in_force":
        out["schedule"] = policy.schedule
    out["pause_statuses"] = _values(policy.pause_statuses)
    out["targets"] = [_dump_target(t) for t in policy.targets]
    return out


def dumps_policy(policy: SlaPolicy, *, indent: int | None = 2) -> str:
    """Return the JSON text of a policy's document.

    Example:
        >>> print(dumps_policy(SlaPolicy(name="empty", pause_statuses=[]), indent=None))
        {"version": 1, "name": "empty", "pause_statuses": [], "targets": []}
    """
    return json.dumps(dump_policy(policy), indent=indent, ensure_ascii=False)


def policy_schema() -> dict[str, JsonValue]:
    """Return the JSON Schema (draft 2020-12) of SLA policy documents.

    Example:
        >>> policy_schema()["title"]
        'cs8 SLA policy'
    """
    text = resources.files("cs8.sla").joinpath("sla_policy.schema.json").read_text("utf-8")
    schema: dict[str, JsonValue] = json.loads(text)
    return schema
