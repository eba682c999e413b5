"""Validators and converters shared by the domain model's classes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from cs8._enums import (
    Channel,
)
from cs8._frozen import FrozenDict
from cs8._time import where as _where
from cs8.exceptions import InvalidValueError

AttributeValue: TypeAlias = (
    "str | int | float | bool | tuple[AttributeValue, ...] | FrozenDict[str, AttributeValue] | None"
)
"""A free-form attribute's value: a JSON value, with lists frozen to tuples and objects to
:class:`~cs8._frozen.FrozenDict` (so the model holding it stays immutable and hashable)."""


def _non_empty(instance: object, attribute: Any, value: Any) -> None:
    name = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"{name} must be a non-empty string, got {value!r}{_where(instance)}"
        )


def _optional_non_empty(instance: object, attribute: Any, value: Any) -> None:
    if value is not None:
        _non_empty(instance, attribute, value)


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
    return frozenset(str(v) for v in _iter_values(values))


def _channel_set(values: Iterable[Channel | str] | str | None) -> frozenset[Channel]:
    return frozenset(Channel(v) for v in _iter_values(values))


def _opt_channel(value: Channel | str | None) -> Channel | None:
    return None if value is None else Channel(value)


def _int_pair(value: Iterable[int]) -> tuple[int, int]:
    items = tuple(value)
    if len(items) != 2:
        raise InvalidValueError(f"SurveyResponse.scale must be (low, high), got {items!r}")
    return items[0], items[1]
