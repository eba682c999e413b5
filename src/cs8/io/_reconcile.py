"""cs8's per-ticket figures next to the vendor's own, and why they differ.

Some exports carry the vendor's own numbers per ticket: Zendesk's ticket metrics (reply time,
resolution times in calendar and business minutes, reopens, replies), Intercom's conversation
``statistics``, Chatwoot's ``reporting_events`` and Jira Service Management's SLA cycles. The
readers keep them (:attr:`Dataset.vendor_metrics`, :attr:`Dataset.sla_cycles`);
:func:`reconcile` computes cs8's figure for each, says whether the two agree (durations within a
tolerance, since vendors round to minutes) and, where they do not, names the definition choice
that explains it (:data:`REASONS`).

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Message, Ticket
    >>> from cs8.io import Dataset
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> t = Ticket(id="1", customer_id="c", channel="email", created_at=t0,
    ...            events=[Message(at=t0 + timedelta(hours=2), author="agent")])
    >>> ds = Dataset(tickets=[t], vendor_metrics={"1": {"first_reply": timedelta(hours=1)}})
    >>> r = reconcile(ds)
    >>> r.agree, r.differ, r.rows[0].reason
    (0, 1, 'earlier_reply')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs

from cs8._display import DictsReprMixin
from cs8._frozen import FrozenDict
from cs8._ticket import Ticket
from cs8.exceptions import InvalidValueError
from cs8.io._dataset import Dataset
from cs8.sla import (
    BusinessCalendar,
    JsmGoal,
    OngoingCycle,
    SlaCycle,
    SlaPolicy,
    SlaState,
    compare_cycles,
    compare_ongoing,
)

__all__ = ["REASONS", "VENDOR_METRICS", "Reconciliation", "ReconciliationRow", "reconcile"]

VENDOR_METRICS: Mapping[str, str] = FrozenDict(
    {
        "first_reply": "creation to the first public agent reply, calendar time",
        "first_reply_business": "the same in business time",
        "first_resolution": "creation to the first solve, calendar time",
        "first_resolution_business": "the same in business time",
        "full_resolution": "creation to the last solve, calendar time",
        "full_resolution_business": "the same in business time",
        "reopens": "moves from solved or closed back to an open status",
        "replies": "public agent replies",
        "made_sla": (
            "whether every SLA target met its goal (ServiceNow made_sla); cs8's from the policy "
            "given to reconcile (else the export's), evaluated at the ticket's last event"
        ),
        "updates_missing": (
            "updates the vendor made that the export's history lacks (gaps in ServiceNow's "
            "sys_mod_count); not compared, it names the reason of other differences"
        ),
        "sla:<name>": (
            "a vendor SLA's first completed cycle, elapsed time on its own clock; with a "
            "JsmGoal of that name, every completed cycle and the ongoing one against cs8's "
            "(one row per cycle)"
        ),
    }
)
"""The metric names of :attr:`Dataset.vendor_metrics` and what cs8 computes for each."""

REASONS: Mapping[str, str] = FrozenDict(
    {
        "no_reply_in_events": "the vendor counts a reply that is not in the export's events",
        "no_solve_in_events": "the vendor counts a solve that is not in the export's events",
        "earlier_reply": (
            "the vendor counts an earlier reply than cs8's first public agent reply (a private "
            "note, a bot or an automated message, which cs8 does not count)"
        ),
        "later_reply": (
            "the vendor skips the reply cs8 counts (a channel, author or reply kind it leaves out)"
        ),
        "business_vs_calendar": (
            "the vendor's figure is business time: cs8's equals it on the export's calendar"
        ),
        "no_calendar": (
            "not compared: a business-time figure, and the export has no single business calendar"
        ),
        "vendor_clock": (
            "a vendor SLA clock counts on its own calendar and pauses in its own statuses"
        ),
        "resolution_definition": (
            "first or last solve, solved or closed: the vendor dates the resolution elsewhere"
        ),
        "reopen_definition": (
            "cs8 counts moves from solved or closed back to an open status; the vendor counts "
            "its own reopen events (a reply to a closed chat, a status set twice)"
        ),
        "reply_definition": "cs8 counts public agent messages; the vendor counts its own replies",
        "updates_not_in_events": (
            "the export's history lacks some of the vendor's updates (gaps in ServiceNow's "
            "sys_mod_count): a solve or reopen the vendor counted is not in cs8's events"
        ),
        "sla_definition": (
            "the vendor's made_sla comes from its own SLA definitions (the SLA attached then, its "
            "schedule and pause conditions), not the policy cs8 evaluated"
        ),
        "no_policy": "not compared: no SLA policy, or none of its targets applies to the ticket",
        "cycle_missing": "the vendor has an SLA cycle that the goal's conditions do not start",
        "cycle_extra": "the goal's conditions start an SLA cycle the vendor does not have",
        "cycle_started_at": "an SLA cycle starts at another instant (the goal's start condition)",
        "cycle_completed_at": "an SLA cycle stops at another instant (the goal's stop condition)",
        "cycle_elapsed": (
            "an SLA cycle counts other time (the goal's pause statuses or its calendar)"
        ),
        "cycle_state": "an SLA cycle is breached on one side only",
        "cycle_paused": (
            "an ongoing SLA cycle is paused on one side only (the goal's pause statuses)"
        ),
    }
)
"""Definition choices that explain a difference, by name (the ``reason`` of a row)."""


@attrs.frozen(kw_only=True)
class ReconciliationRow:
    """One vendor figure of one ticket next to cs8's.

    Attributes:
        ticket_id: The ticket.
        metric: The metric (a key of :data:`VENDOR_METRICS`, or ``sla:<the SLA's name>``).
        cycle: For an SLA compared cycle by cycle (a :class:`~cs8.sla.JsmGoal` given), the
            cycle's index (0 is the first); else ``None``.
        vendor: The vendor's figure (``None`` when it has none).
        cs8: cs8's figure (``None`` when the events give none).
        agrees: Whether the two agree (durations within the tolerance); ``None`` when they
            cannot be compared (a business-time figure and no calendar).
        reason: Why they differ or were not compared (a key of :data:`REASONS`), ``None`` when
            they agree.
        ongoing: Whether the row compares an SLA cycle still running (JSM's ``ongoingCycle``
            against :meth:`~cs8.sla.JsmGoal.ongoing`).
    """

    ticket_id: str
    metric: str
    vendor: timedelta | int | None
    cs8: timedelta | int | None
    agrees: bool | None
    reason: str | None = None
    cycle: int | None = None
    ongoing: bool = False

    def to_dict(self) -> dict[str, object]:
        """The row as a dict, with the reason explained.

        A duration figure is in ``vendor``/``cs8``, a count in ``vendor_count``/``cs8_count``,
        so that each dataframe column has one type (durations a duration dtype).

        Example:
            >>> row = ReconciliationRow(ticket_id="1", metric="reopens", vendor=1, cs8=0,
            ...                         agrees=False, reason="reopen_definition")
            >>> row.to_dict()["vendor_count"], row.to_dict()["vendor"]
            (1, None)
        """
        count = isinstance(self.vendor, int) or isinstance(self.cs8, int)
        return {
            "ticket_id": self.ticket_id,
            "metric": self.metric,
            "cycle": self.cycle,
            "ongoing": self.ongoing,
            "vendor": None if count else self.vendor,
            "cs8": None if count else self.cs8,
            "vendor_count": self.vendor if count else None,
            "cs8_count": self.cs8 if count else None,
            "agrees": self.agrees,
            "reason": self.reason,
            "explanation": None if self.reason is None else REASONS[self.reason],
        }


@attrs.frozen(kw_only=True, repr=False)
class Reconciliation(DictsReprMixin):
    """cs8's figures against the vendor's, one row per ticket and metric.

    Attributes:
        rows: Every comparison, by ticket then metric.
        tolerance: How far two durations may be apart and still agree.
    """

    __repr__ = DictsReprMixin._short_repr

    rows: tuple[ReconciliationRow, ...]
    tolerance: timedelta

    @property
    def agree(self) -> int:
        """How many comparisons agree."""
        return sum(1 for r in self.rows if r.agrees is True)

    @property
    def differ(self) -> int:
        """How many comparisons differ."""
        return sum(1 for r in self.rows if r.agrees is False)

    @property
    def not_compared(self) -> int:
        """How many vendor figures cs8 could not compute (business time without a calendar)."""
        return sum(1 for r in self.rows if r.agrees is None)

    @property
    def differences(self) -> tuple[ReconciliationRow, ...]:
        """The rows that differ."""
        return tuple(r for r in self.rows if r.agrees is False)

    def by_reason(self) -> dict[str, int]:
        """How many differences each reason explains."""
        out: dict[str, int] = {}
        for row in self.differences:
            key = row.reason or ""
            out[key] = out.get(key, 0) + 1
        return out

    def to_dicts(self) -> list[dict[str, object]]:
        """Every row as a dict (see :meth:`ReconciliationRow.to_dict`)."""
        return [r.to_dict() for r in self.rows]

    _durations: ClassVar[frozenset[str]] = frozenset({"vendor", "cs8"})

    def _title(self) -> str:
        return (
            f"reconcile: {self.agree} agree, {self.differ} differ, {self.not_compared} not compared"
        )


def _span(ticket: Ticket, end: Any) -> timedelta | None:
    return None if end is None else end - ticket.created_at


def _business(calendar: BusinessCalendar | None, ticket: Ticket, end: Any) -> timedelta | None:
    if calendar is None or end is None:
        return None
    return calendar.business_duration(ticket.created_at, end)


_Figure = Callable[[Ticket, BusinessCalendar | None], timedelta | int | None]

_FIGURES: Mapping[str, _Figure] = FrozenDict(
    {
        "first_reply": lambda t, c: _span(t, t.first_reply_at),
        "first_reply_business": lambda t, c: _business(c, t, t.first_reply_at),
        "first_resolution": lambda t, c: _span(t, t.solved_at),
        "first_resolution_business": lambda t, c: _business(c, t, t.solved_at),
        "full_resolution": lambda t, c: _span(t, t.last_solved_at),
        "full_resolution_business": lambda t, c: _business(c, t, t.last_solved_at),
        "reopens": lambda t, c: t.reopen_count,
        "replies": lambda t, c: t.public_agent_replies,
    }
)


def _sla_figure(name: str, ticket: Ticket) -> timedelta | None:
    """cs8's calendar figure for a JSM SLA, by its name (first response or resolution)."""
    low = name.lower()
    if "first response" in low or "first reply" in low:
        return _span(ticket, ticket.first_reply_at)
    if "resolution" in low:
        return _span(ticket, ticket.solved_at)
    return None


def _made_sla(policy: SlaPolicy | None, ticket: Ticket, now: datetime | None) -> bool | None:
    """Whether every target of ``policy`` met its goal on ``ticket`` (``None`` without one)."""
    if policy is None:
        return None
    at = now or max([ticket.created_at, *(e.at for e in ticket.events)])
    results = policy.evaluate(ticket, now=at)
    if not results:
        return None
    return not any(r.state is SlaState.BREACHED or r.breached_cycles for r in results)


def _reason(
    metric: str,
    vendor: Any,
    cs8: Any,
    ticket: Ticket,
    calendar: BusinessCalendar | None,
    gaps: bool = False,
) -> str:
    if metric.startswith("sla:"):
        return "vendor_clock"
    if gaps and metric in ("reopens", "made_sla"):
        return "updates_not_in_events"
    if metric == "made_sla":
        return "sla_definition"
    if metric == "reopens":
        return "reopen_definition"
    if metric == "replies":
        return "reply_definition"
    reply = metric.startswith("first_reply")
    if vendor is None:
        return "later_reply" if reply else "resolution_definition"
    if cs8 is None:
        return "no_reply_in_events" if reply else "no_solve_in_events"
    if not metric.endswith("_business") and calendar is not None:
        end = ticket.created_at + cs8
        business = calendar.business_duration(ticket.created_at, end)
        if abs(business - vendor) <= timedelta(minutes=1):
            return "business_vs_calendar"
    if reply:
        return "earlier_reply" if vendor < cs8 else "later_reply"
    return "resolution_definition"


def _cycle_rows(
    ticket: Ticket,
    name: str,
    goal: JsmGoal,
    theirs: Sequence[SlaCycle],
    running: OngoingCycle | None,
    tolerance: timedelta,
    now: datetime | None,
) -> list[ReconciliationRow]:
    """One row per cycle of a vendor SLA against ``goal``'s cycles, naming the first difference;
    the ongoing cycle last."""
    if now is None:
        now = max(
            [
                ticket.created_at,
                *(e.at for e in ticket.events),
                *(c.completed_at for c in theirs),
                *(() if running is None else (running.started_at,)),
            ]
        )
    elif running is not None:
        running = attrs.evolve(running, as_of=now)
    ours = goal.cycles(ticket, now=now)
    differences = compare_cycles(ours, theirs, tolerance=tolerance)
    rows = []
    for index in range(max(len(ours), len(theirs))):
        first = next((d for d in differences if d.cycle == index), None)
        rows.append(
            ReconciliationRow(
                ticket_id=ticket.id,
                metric=f"sla:{name}",
                cycle=index,
                vendor=theirs[index].elapsed if index < len(theirs) else None,
                cs8=ours[index].elapsed if index < len(ours) else None,
                agrees=first is None,
                reason=None if first is None else f"cycle_{first.field}",
            )
        )
    mine = goal.ongoing(ticket, now=now)
    if mine is not None or running is not None:
        index = len(theirs) if running is not None else len(ours)
        found = compare_ongoing(mine, running, cycle=index, tolerance=tolerance)
        rows.append(
            ReconciliationRow(
                ticket_id=ticket.id,
                metric=f"sla:{name}",
                cycle=index,
                vendor=None if running is None else running.elapsed,
                cs8=None if mine is None else mine.elapsed,
                agrees=not found,
                reason=f"cycle_{found[0].field}" if found else None,
                ongoing=True,
            )
        )
    return rows


def reconcile(
    dataset: Dataset,
    *,
    tolerance: timedelta = timedelta(minutes=1),
    goals: Iterable[JsmGoal] = (),
    now: datetime | None = None,
    policy: SlaPolicy | None = None,
) -> Reconciliation:
    """Compare cs8's per-ticket figures with the vendor's own figures in ``dataset``.

    Args:
        dataset: A vendor reader's result (:attr:`Dataset.vendor_metrics` and
            :attr:`Dataset.sla_cycles` hold the vendor's figures; business times use
            :attr:`Dataset.calendar`).
        tolerance: How far two durations may be apart and still agree (vendors round to whole
            minutes; at least zero).
        goals: JSM SLA goals (:class:`~cs8.sla.JsmGoal`): a vendor SLA named as a goal is
            compared cycle by cycle with the cycles cs8 computes under the goal (start, stop,
            elapsed time and breach, each within ``tolerance``), one row per cycle whose
            ``reason`` names the first field that differs (``cycle_started_at`` ...). The
            vendor's ongoing cycle (:attr:`Dataset.ongoing_cycles`) is compared with the
            goal's (:meth:`~cs8.sla.JsmGoal.ongoing`) in a last row (``ongoing=True``): start
            and pause always, elapsed time and breach when ``now`` is given or both are
            paused (:func:`~cs8.sla.compare_ongoing`).
        policy: The SLA policy behind the vendor's ``made_sla`` (ServiceNow), for cs8's own
            figure; default :attr:`Dataset.policy`. Without one ``made_sla`` is not compared.
        now: When the export was taken: JSM measures its ongoing cycles then, and ``made_sla``
            is evaluated then (default: each ticket's last event). ``None``: the
            ticket's last instant (its last event or vendor cycle), and a running vendor
            cycle's elapsed time and breach are not compared.

    Returns:
        A :class:`Reconciliation`: one row per ticket and vendor figure, with the reason for
        each difference.

    Raises:
        InvalidValueError: If ``tolerance`` is negative.

    Example:
        >>> from cs8.io import Dataset
        >>> reconcile(Dataset()).rows
        ()
    """
    if not isinstance(tolerance, timedelta) or tolerance < timedelta(0):
        raise InvalidValueError(
            f"tolerance must be a timedelta of at least zero, got {tolerance!r}"
        )
    calendar = dataset.calendar
    policy = policy if policy is not None else dataset.policy
    by_name = {goal.name: goal for goal in goals}
    rows: list[ReconciliationRow] = []
    for ticket in dataset.tickets:
        pairs: list[tuple[str, Any, Any]] = []
        figures: Mapping[str, timedelta | int | None] = dataset.vendor_metrics.get(ticket.id, {})
        gaps = bool(figures.get("updates_missing"))
        for metric, vendor in sorted(figures.items()):
            figure = _FIGURES.get(metric)
            if figure is not None:
                pairs.append((metric, vendor, figure(ticket, calendar)))
            elif metric == "made_sla":
                pairs.append((metric, vendor, _made_sla(policy, ticket, now)))
        by_cycle: list[ReconciliationRow] = []
        for name, cycles in sorted(dataset.sla_cycles.get(ticket.id, {}).items()):
            goal = by_name.get(name)
            if goal is not None:
                by_sla = dataset.ongoing_cycles.get(ticket.id)
                running = None if by_sla is None else by_sla.get(name)
                by_cycle.extend(_cycle_rows(ticket, name, goal, cycles, running, tolerance, now))
            elif cycles:
                pairs.append((f"sla:{name}", cycles[0].elapsed, _sla_figure(name, ticket)))
        for metric, vendor, cs8 in pairs:
            agrees: bool | None
            reason: str | None
            if metric.endswith("_business") and calendar is None:
                agrees, reason = None, "no_calendar"
            elif metric == "made_sla" and cs8 is None:
                agrees, reason = None, "no_policy"
            else:
                if isinstance(vendor, timedelta) and isinstance(cs8, timedelta):
                    agrees = abs(vendor - cs8) <= tolerance
                else:
                    agrees = vendor == cs8
                reason = None if agrees else _reason(metric, vendor, cs8, ticket, calendar, gaps)
            rows.append(
                ReconciliationRow(
                    ticket_id=ticket.id,
                    metric=metric,
                    vendor=vendor,
                    cs8=cs8,
                    agrees=agrees,
                    reason=reason,
                )
            )
        rows.extend(by_cycle)
    return Reconciliation(rows=tuple(rows), tolerance=tolerance)
