"""Turn every cs8 model into JSON-ready data and back, with a cs8-owned cattrs converter.

Formats:

- datetimes: ISO 8601 strings with their UTC offset (``"2026-03-02T09:00:00+07:00"``); a string
  without an offset raises :class:`~cs8.NaiveDatetimeError`.
- durations (:class:`~datetime.timedelta`): seconds as a number (an ``int`` when whole).
- :class:`~decimal.Decimal` amounts: strings, so no precision is lost.
- enums: their lowercase values; sets: sorted lists; mappings: objects.
- ticket events: a tagged union, ``{"type": "message", ...}``, ``"status_change"``,
  ``"priority_change"`` or ``"assignment"``.
- free-form ``attributes`` (tickets, customers) and plugin states: any JSON value; lists are held
  as tuples and objects as :class:`~cs8.FrozenDict` values, so the models stay immutable.
- configuration and state objects: :class:`~cs8.sla.BusinessCalendar` (holidays, overrides,
  closures), :class:`~cs8.sla.SlaPolicy` (its calendar inline; a warning or escalation threshold
  is a number when it is a fraction of the target and an ISO 8601 duration text when it is a time
  before due), :class:`~cs8.routing.RuleSet` (the document of :func:`~cs8.routing.dump_rules`),
  built-in strategies (``{"type": "weighted", ...}``), :class:`~cs8.routing.Router`,
  :class:`~cs8.routing.RoutingState`, :class:`~cs8.routing.ChannelWeights`,
  :class:`~cs8.routing.AgentPool` (its agents with their loads now) and
  :class:`~cs8.routing.RoutingDecision` (without its context and handoff, which are the inputs).

Reading goes through each class's own constructor, so it checks what building checks, and every
problem is a :class:`~cs8.SerializationError` naming the path. Writing never produces ``NaN`` or
a bare ``TypeError``: a value JSON cannot hold (a NaN, a datetime inside free-form attributes, a
strategy plugin, a hand-written rule condition) raises :class:`~cs8.SerializationError`.

The module-level functions use one default converter (like cattrs' global converter, it holds no
state that changes); :func:`make_converter` builds a fresh one to customise.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Message, StatusChange, Ticket
    >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0,
    ...                 events=[Message(at=t0), StatusChange(at=t0, status="solved")])
    >>> data = to_data(ticket)
    >>> data["events"][1]
    {'at': '2026-03-02T09:00:00+00:00', 'status': 'solved', 'type': 'status_change'}
    >>> from_data(data, Ticket) == ticket
    True
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union
from cattrs.v import format_exception

from cs8._frozen import FrozenDict
from cs8._models import (
    Assignment,
    Message,
    PriorityChange,
    StatusChange,
    TicketEvent,
)
from cs8._serial_config import json_data, json_value, register_config_hooks
from cs8._ticket import Handoff
from cs8._time import require_aware
from cs8.exceptions import Cs8Error, InvalidValueError, SerializationError

__all__ = [
    "EVENT_TAGS",
    "explain_error",
    "from_data",
    "from_json",
    "make_converter",
    "parse_datetime",
    "parse_duration",
    "to_data",
    "to_json",
]

T = TypeVar("T")

EVENT_TAGS: Mapping[type, str] = FrozenDict(
    {
        Message: "message",
        StatusChange: "status_change",
        PriorityChange: "priority_change",
        Assignment: "assignment",
        Handoff: "handoff",
    }
)
"""The tag written in the ``"type"`` key for each ticket event class."""

_ISO_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_datetime(value: object, field: str = "datetime", tz: str | None = None) -> datetime:
    """Parse an ISO 8601 string (or accept a datetime) into an aware stdlib datetime.

    Args:
        value: An ISO 8601 string or a datetime.
        field: The field's name, for error messages.
        tz: An IANA time zone to read timestamps written without an offset in; without it such a
            timestamp raises :class:`~cs8.NaiveDatetimeError`.

    Raises:
        NaiveDatetimeError: If the value has no offset and ``tz`` is not given.
        InvalidValueError: If the value is not a datetime or ISO 8601 string.

    Example:
        >>> parse_datetime("2026-03-02 09:00", tz="Asia/Ho_Chi_Minh").isoformat()
        '2026-03-02T09:00:00+07:00'
        >>> parse_datetime("2026-03-02T02:00:00Z").isoformat()
        '2026-03-02T02:00:00+00:00'
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidValueError(
                f"{field} must be an ISO 8601 date-time, got {value!r}"
            ) from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise InvalidValueError(f"{field} must be an ISO 8601 date-time, got {value!r}")
    if parsed.tzinfo is None and tz is not None:
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return require_aware(parsed, field)


def parse_duration(value: object, field: str = "duration") -> timedelta:
    """Parse seconds (a number or numeric string), ``H:MM:SS`` or an ISO 8601 duration.

    Example:
        >>> parse_duration(90), parse_duration("0:01:30"), parse_duration("PT1M30S")
        (datetime.timedelta(seconds=90), datetime.timedelta(seconds=90), datetime.timedelta(seconds=90))
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise InvalidValueError(f"{field} must be a duration, got {value!r}")
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return timedelta(seconds=float(text))
        except ValueError:
            pass
        parts = text.split(":")
        if len(parts) == 3 and all(p.replace(".", "", 1).isdigit() for p in parts):
            h, m, s = parts
            return timedelta(hours=int(h), minutes=int(m), seconds=float(s))
        match = _ISO_DURATION.match(text.upper())
        if match and text.upper() not in ("P", "PT"):
            sign = -1 if match["sign"] else 1
            return sign * timedelta(
                days=float(match["days"] or 0),
                hours=float(match["hours"] or 0),
                minutes=float(match["minutes"] or 0),
                seconds=float(match["seconds"] or 0),
            )
    raise InvalidValueError(
        f"{field} must be seconds, H:MM:SS or an ISO 8601 duration, got {value!r}"
    )


def _unstructure_timedelta(value: timedelta) -> int | float:
    seconds = value.total_seconds()
    return int(seconds) if seconds == int(seconds) and not value.microseconds else seconds


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise InvalidValueError(f"expected a decimal number, got {value!r}") from None


def _is_frozen_dict(t: Any) -> bool:
    return t is FrozenDict or typing.get_origin(t) is FrozenDict


def _structure_frozen_dict(value: Any, _: Any) -> FrozenDict[Any, Any]:
    if not isinstance(value, Mapping):
        raise InvalidValueError(f"expected an object (mapping), got {value!r}")
    frozen: FrozenDict[Any, Any] = json_value(value, "mapping")
    return frozen


def _is_frozenset(t: Any) -> bool:
    return t is frozenset or typing.get_origin(t) is frozenset


def _unstructure_set(value: frozenset[Any]) -> list[Any]:
    items = [getattr(v, "value", v) for v in value]
    return sorted(items, key=str)


def _structure_exact(value: Any, type_: Any) -> Any:
    # cattrs' own scalar hooks coerce (int(9.7) == 9, bool("false") is True, str(5) == "5"):
    # data from outside is taken as it is, so the models' validators see what was given.
    ok = (
        isinstance(value, str)
        if type_ is str
        else (isinstance(value, bool) if type_ is bool else not isinstance(value, bool))
    )
    if ok and isinstance(value, type_ if type_ is not float else (int, float)):
        return value
    raise InvalidValueError(f"expected {type_.__name__}, got {value!r}")


def _structure_set(conv: cattrs.Converter) -> Any:
    def structure(value: Any, type_: Any) -> frozenset[Any]:
        if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
            raise InvalidValueError(f"expected a list, got {value!r}")
        (item,) = typing.get_args(type_) or (Any,)
        return frozenset(conv.structure(v, item) for v in value)

    return structure


def make_converter(
    *, timezone: str | None = None, forbid_extra_keys: bool = True
) -> cattrs.Converter:
    """Return a new converter configured for every cs8 model.

    Args:
        timezone: IANA zone to read timestamps written without an offset in; without it such
            timestamps are rejected with :class:`~cs8.NaiveDatetimeError`.
        forbid_extra_keys: Reject objects with keys that are not fields of the model.

    Example:
        >>> from cs8 import Customer
        >>> make_converter().unstructure(Customer(id="C1", segment="vip"))["segment"]
        'vip'
    """
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    conv.register_unstructure_hook(datetime, lambda d: d.isoformat())
    conv.register_structure_hook(datetime, lambda v, _: parse_datetime(v, tz=timezone))
    conv.register_unstructure_hook(timedelta, _unstructure_timedelta)
    conv.register_structure_hook(timedelta, lambda v, _: parse_duration(v))
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook_func(_is_frozen_dict, json_data)
    conv.register_structure_hook_func(_is_frozen_dict, _structure_frozen_dict)
    conv.register_unstructure_hook_func(_is_frozenset, _unstructure_set)
    conv.register_structure_hook_func(_is_frozenset, _structure_set(conv))
    for scalar in (str, int, float, bool):
        conv.register_structure_hook(scalar, _structure_exact)
    register_config_hooks(conv)
    for event_type in EVENT_TAGS:  # an event's optional id is written only when it has one
        conv.register_unstructure_hook(
            event_type,
            make_dict_unstructure_fn(event_type, conv, id=override(omit_if_default=True)),
        )
    configure_tagged_union(
        TicketEvent,
        conv,
        tag_generator=lambda cls: EVENT_TAGS[cls],
        tag_name="type",
    )
    return conv


_CONVERTER = make_converter()


def to_data(obj: object) -> Any:
    """Return JSON-ready data (dicts, lists, strings, numbers) for a model or a list of models.

    Example:
        >>> from cs8 import Agent
        >>> to_data(Agent(id="a1", skills={"refunds": 2}))["skills"]
        {'refunds': 2}
    """
    return _CONVERTER.unstructure(obj)


def from_data(data: Any, cls: type[T]) -> T:
    """Build a model of type ``cls`` (or e.g. ``list[Ticket]``) from JSON-ready data.

    Raises:
        SerializationError: If the data does not describe a valid ``cls``; the message lists
            each problem with its path.

    Example:
        >>> from cs8 import Customer
        >>> from_data({"id": "C1", "segment": "VIP"}, Customer).segment
        CustomerSegment.VIP
        >>> from_data({"id": ""}, Customer)
        Traceback (most recent call last):
        ...
        cs8.exceptions.SerializationError: cannot build Customer: Customer.id must be a non-empty string, got ''
        >>> from_data({"id": "C1", "segment": "gold"}, Customer)
        Traceback (most recent call last):
        ...
        cs8.exceptions.SerializationError: cannot build Customer: 'gold' is not a valid CustomerSegment @ $.segment
        >>> from_data("C1", Customer)
        Traceback (most recent call last):
        ...
        cs8.exceptions.SerializationError: cannot build Customer: expected a JSON object, got str
    """
    if attrs.has(cls) and not isinstance(data, Mapping):
        # cattrs would call data.keys() and raise AttributeError (found by the fuzz test)
        raise SerializationError(
            f"cannot build {_name(cls)}: expected a JSON object, got {type(data).__name__}"
        )
    try:
        return _CONVERTER.structure(data, cls)
    except Cs8Error as exc:
        raise SerializationError(f"cannot build {_name(cls)}: {_shown(str(exc))}") from exc
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise SerializationError(
            f"cannot build {_name(cls)}: {_shown(explain_error(exc))}"
        ) from exc


def _shown(message: str) -> str:
    """``message`` with control characters escaped: cattrs names unknown keys as they are
    (``extra fields found (\x1b[2J)``), and a key from a file must not reach a terminal raw."""
    from cs8.io._source import escape  # cs8.io imports this module: imported when needed

    return escape(message, limit=4000)


def to_json(obj: object, *, indent: int | None = None) -> str:
    """Return a JSON string for a model (or a list of models).

    Example:
        >>> from cs8 import Customer
        >>> to_json(Customer(id="C1"))[:30]
        '{"id": "C1", "segment": "one_t'
    """
    data = to_data(obj)
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SerializationError(f"cannot write {_name(type(obj))} as JSON: {exc}") from exc


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Build a model of type ``cls`` from a JSON string.

    Raises:
        SerializationError: If the text is not JSON or does not describe a valid ``cls``.

    Example:
        >>> from cs8 import Customer
        >>> from_json('{"id": "C9"}', Customer).id
        'C9'
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SerializationError(f"not valid JSON: {exc}") from exc
    return from_data(data, cls)


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", None) or str(cls)


def _format_leaf(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, Cs8Error | ValueError) and str(exc):
        return str(exc)
    return format_exception(exc, type_)


def explain_error(exc: BaseException) -> str:
    """Return a readable one-line account of a structuring error, with the paths at fault.

    Example:
        >>> explain_error(ValueError("bad"))
        'bad'
    """
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc, format_exception=_format_leaf)
        return "; ".join(m.removesuffix(" @ $") for m in messages)
    return str(exc)
