"""An SLA report over many tickets: attainment rates, breaches, and tickets at risk.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Message, Ticket
    >>> from cs8.sla import SlaPolicy, SlaTarget
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    >>> policy = SlaPolicy(name="std", targets=[
    ...     SlaTarget(metric="first_reply", within=timedelta(hours=1), business_hours=False)])
    >>> tickets = [
    ...     Ticket(id="T1", customer_id="C1", channel="email", created_at=t0,
    ...            events=[Message(at=t0 + timedelta(minutes=30), author="agent")]),
    ...     Ticket(id="T2", customer_id="C2", channel="chat", created_at=t0)]
    >>> report = sla_report(tickets, policy, now=t0 + timedelta(hours=2))
    >>> report.rate("first_reply").value, [b.ticket_id for b in report.breaches]
    (0.5, ['T2'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any, ClassVar, Literal, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from cs8._display import (
    DictsReprMixin,
    arrow_table,
    pandas_frame,
    polars_frame,
    record_fields,
)
from cs8._enums import Channel, CustomerSegment, Priority
from cs8._models import Customer, Ticket
from cs8._time import require_aware
from cs8.exceptions import SlaError
from cs8.sla._policy import SlaPolicy
from cs8.sla._targets import SlaMetric, SlaState

__all__ = ["SlaAtRisk", "SlaAttainment", "SlaBreach", "SlaReport", "sla_report"]

Period: TypeAlias = Literal["day", "week", "month"]
Dimension: TypeAlias = Literal["all", "priority", "segment", "channel", "period", "group"]
Table: TypeAlias = Literal["attainment", "breaches", "at_risk"]

_DIMENSIONS: tuple[Dimension, ...] = ("all", "priority", "segment", "channel", "period", "group")
_PERIODS = ("day", "week", "month")
_METRIC_ORDER = {metric: index for index, metric in enumerate(SlaMetric)}
_DIM_ORDER = {dim: index for index, dim in enumerate(_DIMENSIONS)}
_PRIORITY_ORDER = {p.value: p.rank for p in Priority}
_UNKNOWN = "unknown"

Cell: TypeAlias = "str | int | float | bool | datetime | timedelta | None"


_Z95 = 1.959963984540054


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson score interval at 95 % (Wilson 1927, JASA 22(158):209-212)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = _Z95 * _Z95
    denominator = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denominator
    half = _Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return (max(0.0, center - half), min(1.0, center + half))


@attrs.frozen(kw_only=True)
class SlaAttainment:
    """How many measured cycles of one metric met their target, within one group.

    Attributes:
        metric: The metric.
        by: The grouping: ``"all"``, ``"priority"``, ``"segment"``, ``"channel"``, ``"period"`` or
            ``"group"`` (the owning group of ``GROUP_OWNERSHIP`` cycles; other metrics have none).
        key: The group's value (``"high"``, ``"vip"``, ``"2026-W10"``; ``"all"`` for ``by="all"``).
        achieved: Completed cycles that met the target.
        breached: Cycles that breached it (completed or still running).

    Example:
        >>> a = SlaAttainment(metric=SlaMetric.FIRST_REPLY, by="all", key="all", achieved=3,
        ...                   breached=1)
        >>> a.n, a.value, round(a.ci_low, 3), round(a.ci_high, 3)
        (4, 0.75, 0.301, 0.954)
    """

    metric: SlaMetric
    by: Dimension
    key: str
    achieved: int
    breached: int

    @property
    def n(self) -> int:
        """Cycles whose outcome is known (``achieved + breached``)."""
        return self.achieved + self.breached

    @property
    def value(self) -> float:
        """The attainment rate ``achieved / n`` in [0, 1]."""
        return self.achieved / self.n if self.n else 0.0

    @property
    def ci_low(self) -> float:
        """Lower bound of the 95 % Wilson score interval of ``value``."""
        return _wilson(self.achieved, self.n)[0]

    @property
    def ci_high(self) -> float:
        """Upper bound of the 95 % Wilson score interval of ``value``."""
        return _wilson(self.achieved, self.n)[1]


@attrs.frozen(kw_only=True)
class SlaBreach:
    """One breached cycle.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> b = SlaBreach(ticket_id="T1", metric=SlaMetric.RESOLUTION, priority=Priority.HIGH,
        ...               segment=None, channel=Channel.EMAIL, started_at=t0,
        ...               breached_at=t0 + timedelta(hours=8), completed_at=None,
        ...               target=timedelta(hours=8), elapsed=timedelta(hours=9))
        >>> b.overdue
        datetime.timedelta(seconds=3600)
    """

    ticket_id: str
    metric: SlaMetric
    priority: Priority
    segment: CustomerSegment | None
    channel: Channel
    started_at: datetime
    breached_at: datetime
    completed_at: datetime | None
    target: timedelta
    elapsed: timedelta

    @property
    def overdue(self) -> timedelta:
        """``elapsed - target``: how much of the clock ran past the target."""
        return self.elapsed - self.target


@attrs.frozen(kw_only=True)
class SlaAtRisk:
    """A running clock that reaches its target within the report's horizon.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> r = SlaAtRisk(ticket_id="T1", metric=SlaMetric.FIRST_REPLY, priority=Priority.LOW,
        ...               segment=None, channel=Channel.CHAT, due_at=t0,
        ...               target=timedelta(hours=1), elapsed=timedelta(minutes=45))
        >>> r.remaining
        datetime.timedelta(seconds=900)
    """

    ticket_id: str
    metric: SlaMetric
    priority: Priority
    segment: CustomerSegment | None
    channel: Channel
    due_at: datetime
    target: timedelta
    elapsed: timedelta

    @property
    def remaining(self) -> timedelta:
        """``target - elapsed``."""
        return self.target - self.elapsed


def _row(value: SlaAttainment | SlaBreach | SlaAtRisk) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for field in attrs.fields(type(value)):
        cell = getattr(value, field.name)
        enum_cell = isinstance(cell, SlaMetric | Priority | Channel | CustomerSegment)
        out[field.name] = cell.value if enum_cell else cell
    return out


@attrs.frozen(kw_only=True, repr=False)
class SlaReport(DictsReprMixin):
    """Attainment, breaches and risk of many tickets under one policy at one instant.

    Attributes:
        policy: The policy's name.
        now: The instant evaluated.
        horizon: How far ahead ``at_risk`` looks.
        period: How ``by="period"`` groups cycles (by the local date they started).
        timezone: The time zone of the periods.
        tickets: How many tickets were evaluated.
        attainment: One row per metric and group.
        breaches: Breached cycles, by breach time.
        at_risk: Running clocks due within ``horizon`` of ``now``, soonest first.

    Example:
        >>> report = SlaReport(policy="std", now=None, horizon=None, period="week",
        ...                    timezone="UTC", tickets=0)
        >>> report.to_dicts()
        []
    """

    __repr__ = DictsReprMixin._short_repr

    policy: str
    now: datetime | None
    horizon: timedelta | None
    period: Period
    timezone: str
    tickets: int
    attainment: tuple[SlaAttainment, ...] = ()
    breaches: tuple[SlaBreach, ...] = ()
    at_risk: tuple[SlaAtRisk, ...] = ()

    def rate(
        self, metric: SlaMetric | str, by: Dimension = "all", key: str = "all"
    ) -> SlaAttainment | None:
        """Return the attainment of ``metric`` in one group, or ``None`` when nothing was measured.

        Example:
            >>> SlaReport(policy="p", now=None, horizon=None, period="day", timezone="UTC",
            ...           tickets=0).rate("resolution") is None
            True
        """
        metric = SlaMetric(metric)
        for row in self.attainment:
            if row.metric is metric and row.by == by and row.key == key:
                return row
        return None

    def to_dicts(self, table: Table = "attainment") -> list[dict[str, Cell]]:
        """Return one table as a list of plain dicts (enum members become their values).

        Args:
            table: ``"attainment"`` (with ``n`` and ``value`` columns), ``"breaches"`` or
                ``"at_risk"``.

        Raises:
            SlaError: If ``table`` is not one of those names.

        Example:
            >>> SlaReport(policy="p", now=None, horizon=None, period="day", timezone="UTC",
            ...           tickets=0).to_dicts("breaches")
            []
        """
        if table == "attainment":
            rows = []
            for row in self.attainment:
                data = _row(row)
                data["n"] = row.n
                data["value"] = row.value
                data["ci_low"] = row.ci_low
                data["ci_high"] = row.ci_high
                rows.append(data)
            return rows
        if table == "breaches":
            return [_row(b) for b in self.breaches]
        if table == "at_risk":
            return [_row(r) for r in self.at_risk]
        raise SlaError(
            f"SlaReport.to_dicts: table must be 'attainment', 'breaches' or 'at_risk', "
            f"got {table!r}"
        )

    def to_dict(self) -> dict[str, object]:
        """Return the summary: the policy, the instant, and how many tickets, breaches and risks.

        Example:
            >>> SlaReport(policy="p", now=None, horizon=None, period="day", timezone="UTC",
            ...           tickets=3).to_dict()["breaches"]
            0
        """
        return {
            "policy": self.policy,
            "now": self.now,
            "horizon": self.horizon,
            "period": self.period,
            "timezone": self.timezone,
            "tickets": self.tickets,
            "breaches": len(self.breaches),
            "at_risk": len(self.at_risk),
        }

    def to_pandas(self, table: Table = "attainment") -> Any:
        """Return one table as a ``pandas.DataFrame`` (needs the ``dataframe`` extra).

        Example:
            >>> SlaReport(policy="p", now=None, horizon=None, period="day", timezone="UTC",
            ...           tickets=0).to_pandas().shape
            (0, 0)
        """
        return pandas_frame(self.to_dicts(table))

    def to_polars(self, table: Table = "attainment") -> Any:
        """Return one table as a ``polars.DataFrame`` (needs the ``dataframe`` extra).

        Example:
            >>> SlaReport(policy="p", now=None, horizon=None, period="day", timezone="UTC",
            ...           tickets=0).to_polars().shape
            (0, 0)
        """
        return polars_frame(self.to_dicts(table))

    def to_arrow(self, table: Table = "attainment") -> Any:
        """Return one table as a ``pyarrow.Table`` (needs the ``dataframe`` extra).

        Example:
            >>> SlaReport(policy="p", now=None, horizon=None, period="day", timezone="UTC",
            ...           tickets=0).to_arrow().num_rows
            0
        """
        return arrow_table(self.to_dicts(table))

    _percent: ClassVar[frozenset[str]] = frozenset({"value", "ci_low", "ci_high"})

    def _title(self) -> str:
        return f"SLA report {self.policy!r}"

    def _summary(self) -> list[tuple[str, str]]:
        # The counts, then the attainment table (bounded); breaches and risks through to_dicts().
        return record_fields({k: v for k, v in self.to_dict().items() if k != "policy"})


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SlaError(f"sla_report: timezone must be an IANA time zone, got {name!r}") from exc


def _period_key(at: datetime, zone: tzinfo, period: Period) -> str:
    local = at.astimezone(zone)
    if period == "day":
        return local.date().isoformat()
    if period == "month":
        return f"{local.year:04d}-{local.month:02d}"
    year, week, _ = local.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _key_order(by: Dimension, key: str) -> tuple[int, str]:
    if by == "priority":
        return (_PRIORITY_ORDER.get(key, 99), key)
    return (0, key)


def attainment_rows(
    counts: Mapping[tuple[SlaMetric, Dimension, str], Sequence[int]],
) -> tuple[SlaAttainment, ...]:
    """The attainment rows of ``(metric, by, key) -> (achieved, breached)`` counts, in report order.

    Shared by :func:`sla_report` and the reports that add up the counts of several calls (the
    DuckDB report evaluates its tickets a batch at a time).

    Example:
        >>> rows = attainment_rows({(SlaMetric.RESOLUTION, "all", "all"): (1, 1),
        ...                         (SlaMetric.FIRST_REPLY, "all", "all"): (2, 0)})
        >>> [(r.metric.value, r.n) for r in rows]
        [('first_reply', 2), ('resolution', 2)]
    """
    return tuple(
        sorted(
            (
                SlaAttainment(metric=metric, by=by, key=key, achieved=cell[0], breached=cell[1])
                for (metric, by, key), cell in counts.items()
            ),
            key=lambda r: (_METRIC_ORDER[r.metric], _DIM_ORDER[r.by], _key_order(r.by, r.key)),
        )
    )


def metric_order(metric: SlaMetric) -> int:
    """The rank of ``metric`` in reports (breaches and risks at one instant sort by it).

    Example:
        >>> metric_order(SlaMetric.FIRST_REPLY) < metric_order(SlaMetric.RESOLUTION)
        True
    """
    return _METRIC_ORDER[metric]


def sla_report(
    tickets: Iterable[Ticket],
    policy: SlaPolicy,
    *,
    now: datetime,
    customers: Mapping[str, Customer] | Iterable[Customer] | None = None,
    horizon: timedelta = timedelta(hours=4),
    period: Period = "week",
    timezone: str = "UTC",
) -> SlaReport:
    """Evaluate many tickets and summarize how the policy's targets were met.

    Every completed cycle counts once (achieved or breached) and a running cycle that already
    breached counts as breached; running cycles that have not breached are not counted yet.
    Groups: the whole set, the priority that selected the target, the customer segment, the
    ticket's channel, the period (day, ISO week or month in ``timezone``) the cycle started in, and
    for ``GROUP_OWNERSHIP`` the owning group.

    Args:
        tickets: The tickets.
        policy: The SLA policy.
        now: The instant to evaluate at.
        customers: Requesters by id (or an iterable of customers); their segment groups results and
            selects segment targets. Unknown segments are reported as ``"unknown"``.
        horizon: Running clocks due within this time of ``now`` are listed in ``at_risk``.
        period: ``"day"``, ``"week"`` or ``"month"``.
        timezone: IANA time zone of the periods.

    Raises:
        SlaError: If ``period`` or ``timezone`` is unknown or ``horizon`` is negative.
        NaiveDatetimeError: If ``now`` has no time zone.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Ticket
        >>> from cs8.sla import SlaPolicy, SlaTarget
        >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        >>> policy = SlaPolicy(name="std", targets=[
        ...     SlaTarget(metric="resolution", within=timedelta(hours=8), business_hours=False)])
        >>> tickets = [Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)]
        >>> report = sla_report(tickets, policy, now=t0 + timedelta(hours=6))
        >>> [(r.ticket_id, r.due_at.hour) for r in report.at_risk]
        [('T1', 17)]
    """
    now = require_aware(now, "sla_report(now)")
    if period not in _PERIODS:
        raise SlaError(f"sla_report: period must be 'day', 'week' or 'month', got {period!r}")
    if not isinstance(horizon, timedelta) or horizon < timedelta(0):
        raise SlaError(f"sla_report: horizon must be a non-negative timedelta, got {horizon!r}")
    zone = _zone(timezone)
    if customers is None:
        by_id: Mapping[str, Customer] = {}
    elif isinstance(customers, Mapping):
        by_id = customers
    else:
        by_id = {c.id: c for c in customers}
    counts: dict[tuple[SlaMetric, Dimension, str], list[int]] = {}
    breaches: list[SlaBreach] = []
    at_risk: list[SlaAtRisk] = []
    limit = now + horizon
    count = 0
    for ticket in tickets:
        count += 1
        customer = by_id.get(ticket.customer_id)
        segment = customer.segment if customer is not None else None
        seg_key = segment.value if segment is not None else _UNKNOWN
        for result in policy.evaluate(ticket, now=now, customer=customer):
            outcomes: list[
                tuple[
                    SlaState,
                    Priority,
                    datetime,
                    datetime | None,
                    datetime | None,
                    timedelta,
                    timedelta,
                    str | None,
                ]
            ] = [
                (
                    c.state,
                    c.priority,
                    c.started_at,
                    c.breached_at,
                    c.completed_at,
                    c.target,
                    c.elapsed,
                    c.group,
                )
                for c in result.cycles
            ]
            if result.completed_at is None:
                if result.state is SlaState.BREACHED:
                    outcomes.append(
                        (
                            result.state,
                            result.priority,
                            result.started_at,
                            result.breached_at,
                            None,
                            result.target,
                            result.elapsed,
                            result.group,
                        )
                    )
                elif (
                    result.state is SlaState.ACTIVE
                    and result.due_at is not None
                    and result.due_at <= limit
                ):
                    at_risk.append(
                        SlaAtRisk(
                            ticket_id=ticket.id,
                            metric=result.metric,
                            priority=result.priority,
                            segment=segment,
                            channel=ticket.channel,
                            due_at=result.due_at,
                            target=result.target,
                            elapsed=result.elapsed,
                        )
                    )
            for outcome in outcomes:
                state, priority, started, breached_at, completed, target, elapsed, group = outcome
                hit = 0 if state is SlaState.ACHIEVED else 1
                keys: tuple[tuple[Dimension, str], ...] = (
                    ("all", "all"),
                    ("priority", priority.value),
                    ("segment", seg_key),
                    ("channel", ticket.channel.value),
                    ("period", _period_key(started, zone, period)),
                )
                if group is not None:
                    keys = (*keys, ("group", group))
                for by, key in keys:
                    cell = counts.setdefault((result.metric, by, key), [0, 0])
                    cell[hit] += 1
                if breached_at is not None:
                    breaches.append(
                        SlaBreach(
                            ticket_id=ticket.id,
                            metric=result.metric,
                            priority=priority,
                            segment=segment,
                            channel=ticket.channel,
                            started_at=started,
                            breached_at=breached_at,
                            completed_at=completed,
                            target=target,
                            elapsed=elapsed,
                        )
                    )
    rows = attainment_rows(counts)
    breaches.sort(key=lambda b: (b.breached_at, b.ticket_id, _METRIC_ORDER[b.metric]))
    at_risk.sort(key=lambda r: (r.due_at, r.ticket_id, _METRIC_ORDER[r.metric]))
    return SlaReport(
        policy=policy.name,
        now=now,
        horizon=horizon,
        period=period,
        timezone=timezone,
        tickets=count,
        attainment=rows,
        breaches=tuple(breaches),
        at_risk=tuple(at_risk),
    )
