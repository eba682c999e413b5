"""Instants and durations at the edges of cs8: validation and conversion to stdlib values.

cs8 keeps pendulum at the edges. Models store stdlib :class:`datetime.datetime` values so that
arithmetic in hot paths costs what stdlib arithmetic costs.

Example:
    >>> from datetime import datetime, timezone
    >>> to_epoch(datetime(1970, 1, 1, 0, 1, tzinfo=timezone.utc))
    60
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cs8.exceptions import InvalidValueError, NaiveDatetimeError

__all__ = [
    "UTC",
    "as_stdlib",
    "check_aware",
    "from_epoch",
    "require_aware",
    "to_epoch",
]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def as_stdlib(value: Any) -> Any:
    """Return a plain :class:`datetime` for a datetime subclass (such as pendulum's); others as is.

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
    """attrs validator: the value is an aware datetime (``None`` passes for optional fields)."""
    if value is None:
        return
    require_aware(value, f"{type(instance).__name__}.{attribute.name}", _describe(instance))


def check_duration(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: the value is a non-negative :class:`timedelta`."""
    name = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, timedelta):
        raise InvalidValueError(f"{name} must be a timedelta, got {value!r}{where(instance)}")
    if value < timedelta(0):
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
