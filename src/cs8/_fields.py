"""Validators and converters shared by the domain model's classes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from cs8._enums import ActorKind, Channel, Direction
from cs8._frozen import FrozenDict
from cs8._time import where as _where
from cs8.exceptions import InvalidValueError

AttributeValue: TypeAlias = (
    "str | int | float | bool | tuple[AttributeValue, ...] | FrozenDict[str, AttributeValue] | None"
)
"""A free-form attribute's value: a JSON value, with lists frozen to tuples and objects to
:class:`~cs8._frozen.FrozenDict` (so the model holding it stays immutable and hashable)."""


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


def _json_value(item: Any) -> bool:
    if item is None or isinstance(item, str | int | float | bool):
        return True
    if isinstance(item, tuple):
        return all(_json_value(v) for v in item)
    if isinstance(item, FrozenDict):
        return all(isinstance(k, str) and _json_value(v) for k, v in item.items())
    return False


def _check_attributes(instance: object, attribute: Any, value: FrozenDict[Any, Any]) -> None:
    """attrs validator: string keys and JSON values (lists as tuples, objects as FrozenDicts)."""
    for key, item in value.items():
        if not isinstance(key, str) or not _json_value(item):
            raise InvalidValueError(
                f"{type(instance).__name__}.{attribute.name} must map strings to JSON values, "
                f"got {key!r}: {item!r}{_where(instance)}"
            )


def _frozen_map(value: Mapping[Any, Any] | None) -> FrozenDict[Any, Any]:
    if isinstance(value, FrozenDict):
        return value
    return FrozenDict(value or {})


def freeze_json(value: Any) -> Any:
    """Return ``value`` with every list (or tuple) as a tuple and every mapping as a FrozenDict.

    Example:
        >>> freeze_json({"skus": ["A", "B"], "n": 1})
        FrozenDict({'skus': ('A', 'B'), 'n': 1})
    """
    if isinstance(value, list | tuple):
        return tuple(freeze_json(v) for v in value)
    if isinstance(value, Mapping):
        return FrozenDict({k: freeze_json(v) for k, v in value.items()})
    return value


def _attribute_map(value: Mapping[str, Any] | None) -> FrozenDict[str, AttributeValue]:
    """Freeze free-form attributes (JSON values: lists become tuples, objects FrozenDicts)."""
    frozen: FrozenDict[str, AttributeValue] = freeze_json(value or {})
    return frozen


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
