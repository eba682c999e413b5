"""Pieces the conversation-style vendor readers (Chatwoot, Intercom) share.

A chat vendor keeps a conversation's current state but not always the instant it reached it:
:func:`reach_status` adds the state at the conversation's last update when the events stop short
of it, and counts that choice in the warnings.

Example:
    >>> from datetime import datetime, timezone
    >>> from cs8 import Ticket, TicketStatus
    >>> from cs8.io._dataset import VendorLoad, VendorOptions
    >>> load = VendorLoad("x", VendorOptions(), {})
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> t = Ticket(id="1", customer_id="c", channel="chat", created_at=t0)
    >>> reach_status(load, t, TicketStatus.SOLVED, t0.replace(hour=10)).solved_at.hour
    10
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cs8._enums import TicketStatus
from cs8._ticket import StatusChange, Ticket
from cs8.exceptions import LoadError
from cs8.io._dataset import VendorLoad
from cs8.io._source import escape

__all__ = ["enum_value", "reach_status"]


def reach_status(
    load: VendorLoad, ticket: Ticket, status: TicketStatus, at: datetime | None
) -> Ticket:
    """``ticket`` with a change to ``status`` at ``at`` (never before its last event, and at it
    when ``at`` is unknown) when its events end in another status."""
    if status is ticket.status:
        return ticket
    last = ticket.events[-1].at if ticket.events else ticket.created_at
    load.note(
        "tickets whose events stop short of their current state: that state at the last update"
    )
    return ticket.with_event(StatusChange(at=last if at is None else max(at, last), status=status))


def enum_value(
    load: VendorLoad, field: str, raw: Any, table: Mapping[Any, Any], vendor: str
) -> Any:
    """``raw`` through the ``values=`` map for ``field``, else through the vendor's ``table``.

    Raises:
        LoadError: If neither knows it.
    """
    mapped = load.mapped(field, raw)
    if mapped is not None:
        return mapped
    try:
        return table[raw]
    except (KeyError, TypeError):
        raise LoadError(
            f"{field} {escape(repr(raw), 80)} is not a {vendor} {field} (map it with values=)"
        ) from None
