"""A model class's trusted constructor: set the fields of values already checked, nothing else.

A model's ``__init__`` runs every field's converter and validators and its
``__attrs_post_init__`` check, one value at a time. A loader that has checked a whole column at
once (``cs8.io``'s columnar path) would pay for the same checks a second time per row; it builds
its records through :func:`trusted_constructor` instead. The constructor it returns takes every
field positionally, in the class's field order, and stores the values as given: **it checks
nothing**, so it is internal, and a caller must only pass values the class's own converters
would return unchanged and its validators and post-init check would accept (the columnar path
establishes this per column, and a property test compares its records with ``__init__``'s).

The object is made with ``object.__new__`` and each slot is set through the class's own slot
descriptor (or ``object.__setattr__`` for a class without slots): the class is not swapped, no
validator is copied, and the result is an ordinary instance, equal to one built by ``__init__``.

Building thousands of records at once, a loader wraps the work in :func:`paused_collection`,
which keeps the cyclic garbage collector from running in the middle of it (see its docstring).

Example:
    >>> from cs8 import Customer, CustomerSegment
    >>> make = trusted_constructor(Customer)
    >>> def default(f):
    ...     return f.default.factory() if isinstance(f.default, attrs.Factory) else f.default
    >>> values = {f.name: default(f) for f in attrs.fields(Customer)}
    >>> values.update(id="C1", segment=CustomerSegment.VIP)
    >>> made = make(*values.values())
    >>> made == Customer(id="C1", segment="vip")
    True
"""

from __future__ import annotations

import collections
import gc
import itertools
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import attrs

__all__ = ["paused_collection", "trusted_builder", "trusted_constructor"]

T = TypeVar("T")


def trusted_constructor(cls: type[T], fields: Sequence[str] | None = None) -> Callable[..., T]:
    """Return a function that builds a ``cls`` from its field values, positionally, unchecked.

    Args:
        cls: An attrs class without ``__attrs_pre_init__``.
        fields: The fields to set, by name, in this order (default: every field, in field
            order). A field left out is left unset: only for a slotted class whose descriptor
            for that field builds its value when it is first read.

    Returns:
        ``make(*values) -> cls``, one value per field of ``attrs.fields(cls)`` (or of
        ``fields``), in that order.

    Raises:
        TypeError: If ``cls`` is not an attrs class, or has a pre-init hook.

    Example:
        >>> from cs8 import Customer
        >>> make = trusted_constructor(Customer)
        >>> make.__name__
        'make_Customer'
    """
    names = _names(cls, fields)
    env: dict[str, Any] = {"new": object.__new__, "cls": cls}
    params = ", ".join(f"v{i}" for i in range(len(names)))
    body = [f"def make_{cls.__name__}({params}):", "    o = new(cls)"]
    for i, name in enumerate(names):
        slot = _slot(cls, name)
        if slot is not None:
            env[f"s{i}"] = slot.__set__
            body.append(f"    s{i}(o, v{i})")
        else:
            env["setattr"] = object.__setattr__
            body.append(f"    setattr(o, {name!r}, v{i})")
    body.append("    return o")
    exec("\n".join(body), env)  # generated, as attrs generates __init__: no loop per value
    make: Callable[..., T] = env[f"make_{cls.__name__}"]
    return make


def trusted_builder(
    cls: type[T], fields: Sequence[str] | None = None
) -> Callable[[Sequence[Iterable[Any]], int], list[T]]:
    """Return a function that builds many ``cls`` at once from their field values, by column.

    The same contract as :func:`trusted_constructor` (nothing is checked), for a block of
    records: ``build(columns, count)`` takes one iterable per field, in the class's field order
    (or ``fields``'), each giving ``count`` values (a list, a ``map`` over the rows, or
    ``itertools.repeat(value, count)`` for a value all share), and returns the ``count``
    instances. The instances are made first, then each field's
    slot is filled down the column by C loops (``map`` over the slot's setter): per row and field
    one call, with no Python frame per row. About 10 % faster than mapping
    :func:`trusted_constructor` over the rows; a class without slots is built row by row.

    Args:
        cls: An attrs class without ``__attrs_pre_init__``.
        fields: The fields to set, as for :func:`trusted_constructor`.

    Returns:
        ``build(columns, count) -> list[cls]``.

    Raises:
        TypeError: As :func:`trusted_constructor`.

    Example:
        >>> import itertools
        >>> from cs8 import Customer, CustomerSegment
        >>> from cs8._frozen import FrozenDict
        >>> # id, segment, name, timezone, language, acquired_at, churned_at, attributes
        >>> columns = [["C1", "C2"], [CustomerSegment.VIP, CustomerSegment.REPEAT]]
        >>> columns += [itertools.repeat(None, 2) for _ in range(5)] + [[FrozenDict(), FrozenDict()]]
        >>> made = trusted_builder(Customer)(columns, 2)
        >>> made == [Customer(id="C1", segment="vip"), Customer(id="C2", segment="repeat")]
        True
    """
    make = trusted_constructor(cls, fields)  # refuses what it refuses
    slots = [_slot(cls, name) for name in _names(cls, fields)]
    new = object.__new__
    consume = collections.deque

    def build_rows(columns: Sequence[Iterable[Any]], count: int) -> list[T]:
        _check_lengths(columns, count)
        return list(map(make, *columns))

    if any(slot is None for slot in slots):
        return build_rows
    setters = [typing.cast(types.MemberDescriptorType, slot).__set__ for slot in slots]

    def build(columns: Sequence[Iterable[Any]], count: int) -> list[T]:
        _check_lengths(columns, count)
        made: list[T] = list(map(new, itertools.repeat(cls, count)))
        for set_slot, column in zip(setters, columns, strict=True):
            consume(map(set_slot, made, column), maxlen=0)
        return made

    return build


def _names(cls: type, fields: Sequence[str] | None) -> list[str]:
    """The fields a trusted constructor or builder of ``cls`` sets; refuses what it cannot build."""
    if not attrs.has(cls):
        raise TypeError(f"{cls!r} is not an attrs class")
    if hasattr(cls, "__attrs_pre_init__"):
        raise TypeError(f"{cls.__name__} has __attrs_pre_init__: build it with its __init__")
    return [f.name for f in attrs.fields(cls)] if fields is None else list(fields)


def _check_lengths(columns: Sequence[Iterable[Any]], count: int) -> None:
    # A short column would leave slots unset: lists are checked (repeat() is the caller's count).
    for column in columns:
        if isinstance(column, list) and len(column) != count:
            raise ValueError(f"a column of {len(column)} values for {count} records")


def _slot(cls: type, name: str) -> types.MemberDescriptorType | None:
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if isinstance(found, types.MemberDescriptorType):
            return found
    return None


@contextmanager
def paused_collection(*, lasting: bool = True) -> Iterator[None]:
    """Keep the cyclic garbage collector from running automatically inside the ``with`` block,
    and move a large block's new objects to the oldest generation in one pass when it ends.

    Each object an attrs slotted class makes is tracked by the collector, and every 700 new
    tracked objects start a collection; building a block of 10,000 records starts about 14
    young collections, which promote the records, and the growing list of records is then walked
    again and again by the full collections that follow (a quarter to a third of a million-row
    load's CPU time: see ``docs/performance.md``). Records are not cyclic garbage, so pausing the
    automatic runs while a block is built changes nothing but the time.

    On leaving a ``lasting`` block (its objects are kept, as a loaded file's records are), if the
    block made more new tracked objects than the youngest generation's threshold (a young
    collection would start at the next allocation), the middle generation is collected once
    (``gc.collect(1)``): the block's objects are examined once and go straight to the oldest
    generation. Left to the automatic runs they would be examined twice, by a young collection
    and, about ten young collections later, by a middle one. A small block (one routing
    decision) is left to the automatic runs, and so is one that is not ``lasting`` (a streamed
    chunk's records, let go soon): objects moved to the oldest generation count towards the
    collector's rule for full collections (those that survived middle collections since the last
    full one must number a quarter of the oldest generation), so promoting short-lived ones
    would start full collections of the application's whole heap more often. Nothing of the
    collector's configuration changes (thresholds, frozen objects), and a threshold of 0
    (automatic collection off) is respected.

    Args:
        lasting: Whether the block's new objects are kept after it (default ``True``).

    The collector's switch is process-wide (:func:`gc.disable`). This pauses it only if it is
    enabled, and enables it again on leaving, exceptions included; if it was already disabled
    (by the application, or by another thread inside this block) it is left alone and nothing is
    collected. While one thread is inside the block, other threads' allocations do not start
    collections either (a block lasts milliseconds); an application that disables the collector
    from another thread during that window finds it enabled again when the block ends. The
    collection on leaving runs in the leaving thread, holding the GIL as any collection does.
    :func:`gc.freeze` was measured as fast but moves every object of the process, the
    application's included, out of the collector's reach until :func:`gc.unfreeze`: not a
    library's decision to make.

    Example:
        >>> import gc
        >>> with paused_collection():
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        limit = gc.get_threshold()[0]
        if lasting and limit and gc.get_count()[0] > limit:  # one pass instead of two
            gc.collect(1)
