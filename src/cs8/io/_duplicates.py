"""The duplicate-id rule every reader applies: reject every copy, keep the first or keep the last.

One id read several times (a CSV file with a repeated row, an incremental export that repeats an
updated ticket) is settled here, for the CSV and JSON Lines readers (:class:`~cs8.io._rows.Collector`)
and for the vendor readers (:meth:`~cs8.io._dataset.VendorLoad.unique`) alike.

Example:
    >>> settle("keep_last", [2, 5, 9])
    (2, [(0, 'kept line 9'), (1, 'kept line 9')])
    >>> settle("reject", [2, 5], unit="object")
    (None, [(0, 'objects 2, 5'), (1, 'objects 2, 5')])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cs8.exceptions import LoadError
from cs8.io._source import escape

__all__ = ["DUPLICATES", "check_rule", "kept", "settle"]

DUPLICATES = ("reject", "keep_first", "keep_last")
"""The values of a reader's ``duplicates=`` option."""


def check_rule(rule: object) -> str:
    """Return ``rule`` if it is one of :data:`DUPLICATES`.

    Raises:
        LoadError: If it is not.

    Example:
        >>> check_rule("keep_first")
        'keep_first'
    """
    if rule not in DUPLICATES:
        raise LoadError(
            f"duplicates must be one of {', '.join(DUPLICATES)}, got {escape(repr(rule), 80)}"
        )
    return str(rule)


def kept(line: int, unit: str = "line") -> str:
    """The detail of a dropped copy's rejection: which copy was kept.

    Example:
        >>> kept(3, "object")
        'kept object 3'
    """
    return f"kept {unit} {line}"


def settle(
    rule: str,
    lines: Sequence[int],
    *,
    order: Sequence[Any] | None = None,
    unit: str = "line",
) -> tuple[int | None, list[tuple[int, str]]]:
    """Settle the copies of one id.

    Args:
        rule: One of :data:`DUPLICATES`.
        lines: Where each copy was read (line or object position), in read order.
        order: With ``"keep_last"``, a sort key per copy saying which is the latest (Zendesk's
            ``updated_at``); the last of the latest in read order wins a tie. ``None`` means
            read order.
        unit: ``"line"`` or ``"object"``, for the rejection's detail.

    Returns:
        The index of the copy kept (``None`` with ``"reject"``) and ``(index, detail)`` for each
        copy dropped, in read order.

    Example:
        >>> settle("keep_last", [1, 2, 3], order=["b", "c", "a"], unit="object")
        (1, [(0, 'kept object 2'), (2, 'kept object 2')])
    """
    if rule == "reject":
        shown = f"{unit}s {', '.join(str(n) for n in lines)}"
        return None, [(i, shown) for i in range(len(lines))]
    if rule == "keep_first":
        keep = 0
    elif order is None:
        keep = len(lines) - 1
    else:
        keep = max(range(len(lines)), key=lambda i: (order[i], i))
    detail = kept(lines[keep], unit)
    return keep, [(i, detail) for i in range(len(lines)) if i != keep]
