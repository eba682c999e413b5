"""Protocols shared by several subpackages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["BusinessClock"]


@runtime_checkable
class BusinessClock(Protocol):
    """**Protocol:** anything that counts business time between two instants.

    :class:`cs8.sla.BusinessCalendar` is one. KPIs (:mod:`cs8.kpi`) and routing (:mod:`cs8.routing`)
    accept any object with this method, so they run on a custom clock too.

    Example:
        >>> from datetime import datetime, timedelta
        >>> class HalfTime:
        ...     def business_duration(self, start: datetime, end: datetime) -> timedelta:
        ...         return (end - start) / 2
        >>> isinstance(HalfTime(), BusinessClock)
        True
    """

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        """Return the business time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        ...
