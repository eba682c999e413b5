"""Validators and converters shared by the domain model's classes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from cs8._enums import ActorKind, Channel, Direction
from cs8._frozen import FrozenDict
from cs8._time import where as _where
from cs8.exceptions import InvalidValueError

AttributeValue: TypeAlias = "str | int | float | bool | None"


# Converters to enum members that pass members through without the (slow) enum call; named
# functions, as the attrs mypy plugin needs.
def _channel(value: Channel | str) -> Channel:
    return value if type(value) is Channel else Channel(value)


def _direction(value: Direction | str) -> Direction:
    return value if type(value) is Direction else Direction(value)


def _actor(value: ActorKind | str) -> ActorKind:
    return value if type(value) is ActorKind else ActorKind(value)


def _non_empty(instance: object, attribute: Any, value: Any) -> None:
    name = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"{name} must be a non-empty string, got {value!r}{_where(instance)}"
        )


def _optional_non_empty(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _non_empty(instance, attribute, value)


def _optional_str(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: ``None`` or a string (a number is not silently made text)."""
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name} must be a string or None, "
            f"got {value!r}{_where(instance)}"
        )


def _bool(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: exactly ``True`` or ``False`` (the text ``"false"`` is not a bool)."""
    if value is not True and value is not False:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name} must be True or False, "
            f"got {value!r}{_where(instance)}"
        )


def _check_attributes(instance: object, attribute: Any, value: FrozenDict[Any, Any]) -> None:
    """attrs validator: string keys and JSON scalar values (str, int, float, bool or None)."""
    for key, item in value.items():
        if not isinstance(key, str) or (
            item is not None and not isinstance(item, str | int | float | bool)
        ):
            raise InvalidValueError(
                f"{type(instance).__name__}.{attribute.name} must map strings to str, int, "
                f"float, bool or None, got {key!r}: {item!r}{_where(instance)}"
            )


def _frozen_map(value: Mapping[Any, Any] | None) -> FrozenDict[Any, Any]:
    if isinstance(value, FrozenDict):
        return value
    return FrozenDict(value or {})


def _iter_values(values: Iterable[Any] | str | None) -> Iterable[Any]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return values


def _str_set(values: Iterable[str] | str | None) -> frozenset[str]:
    items = frozenset(_iter_values(values))
    for item in items:
        if not isinstance(item, str):
            raise InvalidValueError(f"expected a set of strings, got the element {item!r}")
    return items


def _channel_set(values: Iterable[Channel | str] | str | None) -> frozenset[Channel]:
    return frozenset(Channel(v) for v in _iter_values(values))


def _opt_channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else Channel(value)


def _int_pair(value: Iterable[int]) -> tuple[int, int]:
    items = tuple(value)
    if len(items) != 2:
        raise InvalidValueError(f"SurveyResponse.scale must be (low, high), got {items!r}")
    return items[0], items[1]
