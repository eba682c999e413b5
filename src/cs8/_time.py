"""Instants and durations at the edges of cs8: validation and conversion to stdlib values.

cs8 keeps pendulum at the edges. Models store stdlib :class:`datetime.datetime` values with a fixed
UTC offset, so that arithmetic in hot paths costs what stdlib arithmetic costs and is exact across
DST changes.

Example:
    >>> from datetime import datetime, timezone
    >>> to_epoch(datetime(1970, 1, 1, 0, 1, tzinfo=timezone.utc))
    60
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs

from cs8.exceptions import InvalidValueError, NaiveDatetimeError

__all__ = [
    "UTC",
    "as_instant",
    "as_stdlib",
    "check_aware",
    "fixed_offset",
    "from_epoch",
    "require_aware",
    "to_epoch",
]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@functools.lru_cache(maxsize=256)
def fixed_offset(offset: timedelta) -> timezone:
    """Return the fixed-offset :class:`datetime.timezone` for ``offset`` (UTC for zero).

    Example:
        >>> fixed_offset(timedelta(hours=7))
        datetime.timezone(datetime.timedelta(seconds=25200))
    """
    return UTC if not offset else timezone(offset)


def as_stdlib(value: Any) -> Any:
    """Return a plain :class:`datetime` for a datetime subclass (such as pendulum's); others as is.

    The time zone is kept. Use :func:`as_instant` for values that are stored and compared.

    Example:
        >>> import pendulum
        >>> type(as_stdlib(pendulum.datetime(2026, 1, 1))).__name__
        'datetime'
    """
    if isinstance(value, datetime) and type(value) is not datetime:
        return datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tzinfo=value.tzinfo,
            fold=value.fold,
        )
    return value


def as_instant(value: Any) -> Any:
    """Return an aware datetime as a plain :class:`datetime` with a fixed UTC offset; others as is.

    Stdlib datetimes that share one ``ZoneInfo`` compare and subtract by wall clock, which is
    wrong across a DST change (1:30 EDT and 1:30 EST of the same night compare equal). A fixed
    offset keeps the local wall time and offset the value was given with, and makes comparison and
    subtraction exact; the models store every instant this way. Pendulum datetimes become plain
    ones. Naive datetimes are returned as they are (validators reject them, naming the field).

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> ny = ZoneInfo("America/New_York")
        >>> first = datetime(2026, 11, 1, 1, 30, tzinfo=ny)           # EDT, UTC-4
        >>> second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ny)  # EST, UTC-5
        >>> second - first                                            # stdlib: wall clock
        datetime.timedelta(0)
        >>> as_instant(second) - as_instant(first)                    # cs8: elapsed time
        datetime.timedelta(seconds=3600)
        >>> as_instant(first).isoformat()
        '2026-11-01T01:30:00-04:00'
    """
    if not isinstance(value, datetime):
        return value
    tz = value.tzinfo
    if tz is None:
        return value
    if type(value) is datetime and (tz is UTC or type(tz) is timezone):
        return value
    offset = value.utcoffset()
    if offset is None:
        return value
    return datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=fixed_offset(offset),
    )


def require_aware(value: object, field: str, where: str = "") -> datetime:
    """Return ``value`` as a stdlib aware datetime, or raise an error naming ``field``.

    Args:
        value: The value to check.
        field: The field's name for the message, e.g. ``"Ticket.created_at"``.
        where: The record, e.g. ``"ticket 'T1'"``, appended to the message when given.

    Raises:
        NaiveDatetimeError: If ``value`` is a datetime without an offset.
        InvalidValueError: If ``value`` is not a datetime.

    Example:
        >>> from datetime import datetime
        >>> require_aware(datetime(2026, 1, 1), "Message.at")
        Traceback (most recent call last):
        ...
        cs8.exceptions.NaiveDatetimeError: Message.at must be an aware datetime (with a time zone), got datetime.datetime(2026, 1, 1, 0, 0)
    """
    suffix = f" ({where})" if where else ""
    if not isinstance(value, datetime):
        raise InvalidValueError(f"{field} must be a datetime, got {value!r}{suffix}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{field} must be an aware datetime (with a time zone), got {value!r}{suffix}"
        )
    return as_stdlib(value)  # type: ignore[no-any-return]


def check_aware(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: the value is an aware datetime (``None`` passes for optional fields, those
    with a default; a required instant may not be ``None``)."""
    if type(value) is datetime and type(value.tzinfo) is timezone:
        return  # the common case (as_instant's fixed offsets), without building a message
    if value is None and attribute.default is not attrs.NOTHING:
        return
    require_aware(value, f"{type(instance).__name__}.{attribute.name}", _describe(instance))


_ZERO = timedelta(0)


def check_duration(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: the value is a non-negative :class:`timedelta`."""
    if type(value) is timedelta and value >= _ZERO:
        return
    name = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, timedelta):
        raise InvalidValueError(f"{name} must be a timedelta, got {value!r}{where(instance)}")
    if value < _ZERO:
        raise InvalidValueError(f"{name} must not be negative, got {value!r}{where(instance)}")


def _describe(instance: object) -> str:
    ident = getattr(instance, "id", None)
    if isinstance(ident, str) and ident:
        return f"{type(instance).__name__.lower()} {ident!r}"
    return ""


def where(instance: object) -> str:
    """Return `` (kind 'id')`` naming the record for error messages, or ``""``."""
    described = _describe(instance)
    return f" ({described})" if described else ""


def to_epoch(value: datetime) -> int:
    """Return whole epoch seconds of an aware datetime (microseconds are dropped toward -inf).

    Example:
        >>> from datetime import datetime, timezone
        >>> to_epoch(datetime(2026, 1, 1, tzinfo=timezone.utc))
        1767225600
    """
    delta = value - _EPOCH
    return delta.days * 86400 + delta.seconds


def from_epoch(seconds: float, tz: Any = UTC) -> datetime:
    """Return the aware datetime at ``seconds`` after the epoch, in ``tz`` (UTC by default).

    Example:
        >>> from_epoch(60)
        datetime.datetime(1970, 1, 1, 0, 1, tzinfo=datetime.timezone.utc)
    """
    return datetime.fromtimestamp(seconds, tz)
