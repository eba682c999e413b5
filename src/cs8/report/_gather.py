"""Gathering the report: every figure computed once from the records, through :mod:`cs8.kpi`.

Each section is one function returning numbers (:mod:`cs8.report._model`); :func:`build_report`
calls them in turn. The per-ticket facts (first-reply durations for the buckets) come from the
KPI's own result, so a figure here is always the KPI a user would compute.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from types import MappingProxyType
from typing import Literal, TypeVar, cast
from zoneinfo import ZoneInfo

import attrs

from cs8._enums import Channel, Priority
from cs8._models import Interaction, SurveyResponse, Ticket
from cs8._protocols import BusinessClock
from cs8._time import require_aware
from cs8.kpi import (
    DurationStats,
    KpiResult,
    Rate,
    RateState,
    TicketSummary,
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    backlog,
    breakdown,
    ces,
    csat,
    first_contact_resolution,
    first_reply_time,
    nps,
    required_agents,
    service_level,
    ticket_summary,
)
from cs8.report._data import ServiceData
from cs8.report._journeys import journey_section
from cs8.report._model import (
    Breakdown,
    BreakdownRow,
    Figure,
    Heatmap,
    Series,
    SlaRow,
    StaffingRow,
    period_label,
)
from cs8.report._report import ServiceReport
from cs8.report._scorecard import (
    Records,
    ScorecardTargets,
    default_policy,
    live_contacts,
    scorecard,
)
from cs8.report._staffing import StaffingOptions, gather_staffing
from cs8.report._tables import ServiceTables
from cs8.report._words import words_section
from cs8.sla import (
    BusinessCalendar,
    SlaAttainment,
    SlaMetric,
    SlaPolicy,
    SlaReport,
    sla_report,
)

__all__ = ["build_report"]

Period = Literal["week", "month"]

BUCKETS: tuple[tuple[str, float], ...] = (
    ("bucket.0-1h", 3600.0),
    ("bucket.1-4h", 4 * 3600.0),
    ("bucket.4-8h", 8 * 3600.0),
    ("bucket.8-24h", 24 * 3600.0),
    ("bucket.24h+", float("inf")),
)
"""First-reply buckets as Chatwoot's first response time distribution (upper bounds, seconds)."""

DIMENSIONS = ("channel", "priority", "segment", "agent", "team")

CHARTED_PERIODS: Mapping[Period, int] = MappingProxyType({"week": 522, "month": 120})
"""Most periods the trends show (ten years; the backlog shows their days). A longer span (one
instant dated year 1000 among this year's tickets, read with ``years=None``) is charted over
its last ten years, and the notes say so: a chart of 53,000 weeks costs minutes and tells
nothing. The totals, scorecard, breakdowns and SLA sections still cover the whole span."""


@attrs.frozen(kw_only=True)
class _Group:
    """A ticket group's count and standard KPIs (a KPI result for :func:`cs8.kpi.breakdown`)."""

    count: int
    summary: TicketSummary

    def to_dict(self) -> dict[str, object]:
        return {"count": self.count, **self.summary.to_dict()}


class _MemoClock:
    """A business clock that remembers each duration it counted (mutable; one report's lifetime).

    The report cuts the same tickets six ways (periods, channel, priority, segment, agent,
    team); each cut runs the KPI again, and the KPI asks the calendar for the same durations.
    Remembering them counts each once (about 1.2 s of the sample quarter's 2 s). Not
    thread-safe: :func:`build_report` makes one per call and drops it.
    """

    def __init__(self, calendar: BusinessCalendar) -> None:
        self._calendar = calendar
        self._seen: dict[tuple[datetime, datetime], timedelta] = {}

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        key = (start, end)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._calendar.business_duration(start, end)
        return found


def _group(tickets: list[Ticket], calendar: BusinessClock | None) -> _Group:
    return _Group(count=len(tickets), summary=ticket_summary(tickets, calendar))


def build_report(
    data: ServiceData | ServiceTables,
    *,
    now: datetime | None = None,
    policy: SlaPolicy | None = None,
    targets: ScorecardTargets | None = None,
    period: Period = "week",
    horizon: timedelta = timedelta(hours=4),
    staffing: StaffingOptions | None = None,
) -> ServiceReport:
    """Compute the KPIs, trends, breakdowns, SLA attainment and S8 scorecard of ``data``.

    Args:
        data: The records and their period; or files opened by :func:`cs8.report.read_tables`,
            then the report is computed inside DuckDB: the sections with an engine form, the
            others named in ``ServiceReport.omitted`` (see ``docs/engines.md``).
        now: The instant to evaluate open SLA clocks at (default: the end of the period).
        policy: The SLA policy (default: the data's, else :func:`default_policy` on its calendar).
        targets: The scorecard targets.
        period: ``"week"`` or ``"month"``: how trends are cut (in the calendar's zone).
        horizon: Running SLA clocks due within this time of ``now`` are listed as at risk.
        staffing: How next week's staffing plan is made (interval, channels, shift templates).

    Raises:
        InvalidValueError: If ``period`` is not ``"week"`` or ``"month"``.

    Example:
        >>> from cs8.datasets import sample_shop
        >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=200, weeks=2)))
        >>> len(report.scorecard), report.zone
        (8, 'Asia/Ho_Chi_Minh')
    """
    from cs8.exceptions import InvalidValueError

    if period not in ("week", "month"):
        raise InvalidValueError(f"build_report: period must be 'week' or 'month', got {period!r}")
    if isinstance(data, ServiceTables):
        from cs8.report._engine import engine_report

        return engine_report(
            data,
            now=now,
            policy=policy,
            targets=targets,
            period=period,
            horizon=horizon,
            staffing=staffing,
        )
    targets = targets or ScorecardTargets()
    calendar = data.calendar()
    zone = calendar.timezone
    policy = policy or data.policy or default_policy(calendar)
    span = data.period()
    if now is None:
        now = span[1] if span else datetime.now().astimezone()
    now = require_aware(now, "build_report(now)")
    clock = _MemoClock(calendar) if data.has_calendar else None
    tickets = [t for t in data.tickets if t.created_at < now]
    contacts = list(data.interactions)
    live = live_contacts(contacts)
    surveys = list(data.surveys)
    sla = sla_report(
        tickets,
        policy,
        now=now,
        customers=data.customers,
        horizon=horizon,
        period=period,
        timezone=zone,
    )
    starts = _period_starts(span, zone, period)
    charted = charted_from(span, zone, starts)
    groups = _ticket_groups(tickets, clock, data)
    whole = Records(
        tickets=tickets,
        interactions=contacts,
        surveys=surveys,
        agents=data.agents,
        first_reply_sla=_sla_rate(sla, "all", "all"),
    )
    latest, previous = _last_two_periods(whole, sla, span, starts, zone, period)
    counts = (
        ("customers", len(data.customers)),
        ("agents", len(data.agents)),
        ("tickets", len(tickets)),
        ("interactions", len(contacts)),
        ("orders", len(data.orders)),
        ("surveys", len(surveys) + len(data.servqual)),
    )
    trends = _trends(tickets, live, surveys, sla, starts, clock, zone, period, targets)
    hourly, aht = _staffing(live, zone, targets)
    servqual, servqual_n = _servqual(data)
    return ServiceReport(
        title=data.source,
        zone=zone,
        start=span[0] if span else None,
        end=span[1] if span else None,
        period=period,
        business=clock is not None,
        policy=policy.name,
        horizon=horizon.total_seconds(),
        answer_within=targets.answer_within.total_seconds(),
        service_level_target=targets.service_level,
        shrinkage=targets.shrinkage,
        aht=aht,
        counts=counts,
        rejected=data.rejected,
        scorecard=scorecard(whole, latest, previous, span, targets),
        tickets=_ticket_figures(tickets, clock, now),
        periods=tuple(starts),
        trends=trends,
        breakdowns=groups,
        buckets=_buckets(tickets, clock),
        heatmaps=_heatmaps(tickets, contacts, live, zone, targets),
        backlog=_backlog(tickets, span, zone, charted),
        charted_from=charted,
        sla=_sla_attainment(sla),
        breaches=tuple(
            _sla_row(b.ticket_id, b.metric, b.priority, b.channel, b.breached_at, b.overdue)
            for b in sla.breaches
        ),
        at_risk=tuple(
            _sla_row(r.ticket_id, r.metric, r.priority, r.channel, r.due_at, r.remaining)
            for r in sla.at_risk
        ),
        contact=_contact_figures(live, targets),
        staffing=hourly,
        surveys=_survey_figures(surveys),
        servqual=servqual,
        servqual_n=servqual_n,
        journeys=journey_section(data),
        words=words_section(data),
        staffing_plan=gather_staffing(
            live, calendar if data.has_calendar else None, zone, targets, staffing
        ),
    )


def _last_two_periods(
    whole: Records,
    sla: SlaReport,
    span: tuple[datetime, datetime] | None,
    starts: Sequence[date],
    zone: str,
    period: Period,
) -> tuple[Records | None, Records | None]:
    """The records of the last period and of the one before (for the scorecard's trends)."""
    if len(starts) < 2 or span is None:
        return None, None
    bounds = [_local_midnight(d, zone) for d in starts] + [span[1]]
    rates = [_sla_rate(sla, "period", period_label(d, period)) for d in starts[-2:]]
    return (
        whole.within(bounds[-2], bounds[-1], rates[1]),
        whole.within(bounds[-3], bounds[-2], rates[0]),
    )


def _contact_figures(live: Sequence[Interaction], targets: ScorecardTargets) -> tuple[Figure, ...]:
    phone = [i for i in live if i.channel is Channel.PHONE]
    level = service_level(live, threshold=targets.answer_within)
    return (
        Figure.of_rate("kpi.service_level", level),
        Figure.of_rate("kpi.abandonment", abandonment_rate(live)),
        Figure.of_duration("kpi.asa", average_speed_of_answer(live)),
        Figure.of_duration("kpi.aht", average_handle_time(phone)),
    )


def _survey_figures(surveys: Sequence[SurveyResponse]) -> tuple[Figure, ...]:
    return (
        Figure.of_rate("kpi.csat", csat(surveys)),
        Figure.of_nps("kpi.nps", nps(surveys)),
        Figure.of_mean("kpi.ces", ces(surveys)),
    )


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone))


def _period_starts(span: tuple[datetime, datetime] | None, zone: str, period: Period) -> list[date]:
    """The local first days of the periods that meet ``span``, in order: the last
    :data:`CHARTED_PERIODS` of them when the span is longer (see :func:`charted_from`)."""
    if span is None:
        return []
    tz = ZoneInfo(zone)
    first = span[0].astimezone(tz).date()
    last = (span[1] - timedelta(microseconds=1)).astimezone(tz).date()
    day = _period_start(first, period)
    earliest = _period_start(last, period)
    for _ in range(CHARTED_PERIODS[period] - 1):
        earliest = _period_start(earliest - timedelta(days=1), period)
    day = max(day, earliest)
    starts = []
    while day <= last:
        starts.append(day)
        if period == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def _period_start(day: date, period: Period) -> date:
    """The first day of the week (Monday) or month holding ``day``."""
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def charted_from(
    span: tuple[datetime, datetime] | None, zone: str, starts: Sequence[date]
) -> date | None:
    """The first day the trends and backlog show when they leave the start of ``span`` out.

    ``None`` when they cover it all (the first period starts on or before its first day).
    """
    if span is None or not starts:
        return None
    first = span[0].astimezone(ZoneInfo(zone)).date()
    return starts[0] if starts[0] > first else None


def _sla_rate(sla: SlaReport, by: Literal["all", "period"], key: str) -> Rate:
    """First-reply SLA attainment of one group as a :class:`~cs8.kpi.Rate` (Wilson interval)."""
    return _attainment_rate(sla.rate(SlaMetric.FIRST_REPLY, by=by, key=key))


def _attainment_rate(row: SlaAttainment | None) -> Rate:
    """An SLA attainment row (``None``: nothing measured) as a :class:`~cs8.kpi.Rate`."""
    state = RateState()
    return (state.add_counts(row.achieved, row.n) if row is not None else state).result()


def _figures(make: Callable[[R], Figure], results: Sequence[R]) -> tuple[Figure, ...]:
    """``make`` on each result, once per distinct object: periods without records share one.

    A span of centuries (an instant dated year 1000) has tens of thousands of empty periods;
    their figures are then one frozen value, so a trend costs what its data cost.
    """
    made: dict[int, Figure] = {}
    out = []
    for result in results:
        figure = made.get(id(result))
        if figure is None:
            figure = made[id(result)] = make(result)
        out.append(figure)
    return tuple(out)


def _ticket_figures(
    tickets: Sequence[Ticket], clock: BusinessClock | None, now: datetime
) -> tuple[Figure, ...]:
    summary = ticket_summary(tickets)
    figures = [Figure(key="kpi.volume", unit="count", value=float(len(tickets)), n=len(tickets))]
    figures.append(Figure.of_duration("kpi.first_reply", summary.first_reply_time))
    business = ticket_summary(tickets, clock) if clock is not None else None
    if business is not None:
        figures.append(Figure.of_duration("kpi.first_reply_business", business.first_reply_time))
    figures.append(Figure.of_duration("kpi.resolution", summary.resolution_time))
    if business is not None:
        figures.append(Figure.of_duration("kpi.resolution_business", business.resolution_time))
    open_now = backlog(tickets, now)
    figures += [
        Figure.of_rate("kpi.reopen_rate", summary.reopen_rate),
        Figure.of_rate("kpi.one_touch_rate", summary.one_touch_rate),
        Figure.of_rate("kpi.first_contact_resolution", first_contact_resolution(tickets)),
        open_at_end(open_now.value, len(tickets), open_now.excluded),
    ]
    return tuple(figures)


R = TypeVar("R")
K = TypeVar("K", bound=KpiResult)


def _per_period(
    kpi: Callable[[list[R]], K],
    records: Sequence[R],
    starts: Sequence[date],
    zone: str,
    period: Period,
) -> list[K]:
    """``kpi`` on the records of each period in ``starts`` (``kpi([])`` for a period without any)."""
    table = breakdown(kpi, records, by="period", period=period, timezone=zone)
    found = {key[0]: cast(K, result) for key, result in table}
    empty = kpi([])  # a frozen value: one serves every period without records
    return [found.get(day, empty) for day in starts]


def _trends(
    tickets: Sequence[Ticket],
    live: Sequence[Interaction],
    surveys: Sequence[SurveyResponse],
    sla: SlaReport,
    starts: Sequence[date],
    clock: BusinessClock | None,
    zone: str,
    period: Period,
    targets: ScorecardTargets,
) -> tuple[Series, ...]:
    groups = _per_period(partial(_group, calendar=clock), tickets, starts, zone, period)
    level = partial(service_level, threshold=targets.answer_within)
    levels = _per_period(level, live, starts, zone, period)
    satisfied = _per_period(csat, surveys, starts, zone, period)
    promoters = _per_period(nps, surveys, starts, zone, period)
    return (
        *ticket_series(groups),
        sla_series(sla, starts, period),
        Series(
            key="kpi.service_level",
            points=_figures(partial(Figure.of_rate, "kpi.service_level"), levels),
        ),
        Series(key="kpi.csat", points=_figures(partial(Figure.of_rate, "kpi.csat"), satisfied)),
        Series(key="kpi.nps", points=_figures(partial(Figure.of_nps, "kpi.nps"), promoters)),
    )


def sla_series(sla: SlaReport, starts: Sequence[date], period: Period) -> Series:
    """The first-reply SLA attainment of each period in ``starts`` (shared with the DuckDB report)."""
    measured = {
        row.key: _attainment_rate(row)
        for row in sla.attainment
        if row.metric is SlaMetric.FIRST_REPLY and row.by == "period"
    }
    unmeasured = _attainment_rate(None)
    attained = [measured.get(period_label(day, period), unmeasured) for day in starts]
    return Series(
        key="kpi.sla_first_reply",
        points=_figures(partial(Figure.of_rate, "kpi.sla_first_reply"), attained),
    )


def ticket_series(groups: Sequence[_Group]) -> tuple[Series, ...]:
    """The ticket trends (volume, first reply, resolution), one point per period's group."""
    return (
        Series(
            key="kpi.volume",
            points=_figures(
                lambda g: Figure(key="kpi.volume", unit="count", value=float(g.count), n=g.count),
                groups,
            ),
        ),
        Series(
            key="trend.first_reply",
            points=_figures(
                lambda g: Figure.of_duration("trend.first_reply", g.summary.first_reply_time),
                groups,
            ),
        ),
        Series(
            key="trend.resolution",
            points=_figures(
                lambda g: Figure.of_duration("trend.resolution", g.summary.resolution_time),
                groups,
            ),
        ),
    )


def _ticket_groups(
    tickets: Sequence[Ticket], clock: BusinessClock | None, data: ServiceData
) -> tuple[Breakdown, ...]:
    teams = {a.id: a.team for a in data.agents if a.team is not None}
    segments = {c.id: c.segment for c in data.customers}
    out = []
    for dim in DIMENSIONS:
        if dim == "segment" and not segments:
            continue
        table = breakdown(
            partial(_group, calendar=clock),
            tickets,
            by=dim,
            teams=teams,
            segments=segments,
        )
        out.append(group_breakdown(dim, ((key[0], result) for key, result in table)))
    return tuple(out)


def group_breakdown(dim: str, table: Iterable[tuple[object, KpiResult]]) -> Breakdown:
    """The breakdown of ``dim`` from (group value, :class:`_Group`) pairs in breakdown order."""
    rows = []
    for value, result in table:
        assert isinstance(result, _Group)
        group = None if value is None else str(getattr(value, "value", value))
        s = result.summary
        rows.append(
            BreakdownRow(
                group=group,
                figures=(
                    Figure(
                        key="col.tickets",
                        unit="count",
                        value=float(result.count),
                        n=result.count,
                    ),
                    Figure.of_duration("kpi.first_reply", s.first_reply_time),
                    Figure.of_duration("kpi.resolution", s.resolution_time),
                    Figure.of_rate("kpi.reopen_rate", s.reopen_rate),
                    Figure.of_rate("kpi.one_touch_rate", s.one_touch_rate),
                ),
            )
        )
    if dim == "priority":
        rank = {p.value: k for k, p in enumerate(Priority)}
        rows.sort(key=lambda r: (r.group is None, rank.get(r.group or "", 0)))
    return Breakdown(dimension=dim, rows=tuple(rows))


def _first_reply_seconds(tickets: Sequence[Ticket], clock: BusinessClock | None) -> list[float]:
    """The first-reply durations the KPI counted, sorted, in seconds.

    Read from the KPI's exact state when it kept the values, else ticket by ticket through the
    same KPI (so the buckets always count what ``first_reply_time`` counts).
    """
    stats: DurationStats = first_reply_time(tickets, calendar=clock)
    if stats.exact and len(stats.state.values) == stats.n:
        return [v / 1e6 for v in stats.state.values]
    values = []
    for ticket in tickets:
        one = first_reply_time([ticket], calendar=clock)
        if one.n and one.median is not None:
            values.append(one.median.total_seconds())
    return sorted(values)


def _buckets(tickets: Sequence[Ticket], clock: BusinessClock | None) -> tuple[Figure, ...]:
    return bucket_counts(_first_reply_seconds(tickets, clock))


def bucket_counts(seconds: Sequence[float]) -> tuple[Figure, ...]:
    """Count sorted first-reply durations (seconds) in :data:`BUCKETS`."""
    total = len(seconds)
    out, below = [], 0
    for key, upper in BUCKETS:
        upto = bisect.bisect_left(seconds, upper) if upper != float("inf") else total
        count = upto - below
        below = upto
        out.append(Figure(key=key, unit="count", value=float(count), n=total))
    return tuple(out)


def _heatmaps(
    tickets: Sequence[Ticket],
    contacts: Sequence[Interaction],
    live: Sequence[Interaction],
    zone: str,
    targets: ScorecardTargets,
) -> tuple[Heatmap, ...]:
    tz = ZoneInfo(zone)
    arrivals: Counter[tuple[int, int]] = Counter()
    instants = [t.created_at for t in tickets]
    instants += [i.started_at for i in contacts if i.ticket_id is None]
    for at in instants:
        local = at.astimezone(tz)
        arrivals[local.weekday(), local.hour] += 1
    cells: defaultdict[tuple[int, int], list[Interaction]] = defaultdict(list)
    for contact in live:
        local = contact.started_at.astimezone(tz)
        cells[local.weekday(), local.hour].append(contact)
    levels = {
        key: level
        for key, group in cells.items()
        if (level := service_level(group, threshold=targets.answer_within)).n
    }
    return heatmaps_of(arrivals, levels)


def heatmaps_of(
    arrivals: Mapping[tuple[int, int], int], levels: Mapping[tuple[int, int], Rate]
) -> tuple[Heatmap, ...]:
    """The arrival and service-level heatmaps from their (local weekday, hour) cells.

    Shared by the object and the DuckDB report (which counts the cells in the engine); a cell
    without arrivals is zero, a cell without a service level (``n == 0``) is blank.
    """
    hours = tuple(time(h) for h in range(24))
    return (
        Heatmap(
            key="heat.arrivals",
            unit="count",
            rows=range(7),
            columns=hours,
            values=[[float(arrivals.get((d, h), 0)) for h in range(24)] for d in range(7)],
        ),
        Heatmap(
            key="heat.service_level",
            unit="rate",
            rows=range(7),
            columns=hours,
            values=[
                [levels[d, h].value if (d, h) in levels else None for h in range(24)]
                for d in range(7)
            ],
            samples=[
                [levels[d, h].n if (d, h) in levels else 0 for h in range(24)] for d in range(7)
            ],
        ),
    )


def _backlog(
    tickets: Sequence[Ticket],
    span: tuple[datetime, datetime] | None,
    zone: str,
    since: date | None = None,
) -> tuple[tuple[date, int], ...]:
    """Open tickets at the end of each local day of ``span`` (from ``since`` when given).

    Counted through :func:`cs8.kpi.backlog`.

    The count can only change on a day in which a ticket is created or an event happens (or
    that ends exactly at one: events at an instant have taken effect), so the KPI runs on those
    days and the first one, and every other day repeats the day before: a span of centuries
    with a few tickets costs a few KPI calls, not one per day. On a day the KPI runs, only the
    tickets whose status can differ from "closed" at its end are passed: those created by then
    whose last event is later or whose final status is open. The rest are solved or closed for
    good by then, so the count is the same and the work stays linear.
    """
    order = sorted(tickets, key=lambda t: t.created_at)
    created = [t.created_at for t in order]
    settles = [t.events[-1].at if t.events else t.created_at for t in order]
    stays_open = [t.is_open for t in order]
    days = backlog_days(span, zone, since)
    if not days:
        return ()
    tz = ZoneInfo(zone)
    changes = {days[0][0]}
    for t in order:
        for at in (t.created_at, *(e.at for e in t.events)):
            local = at.astimezone(tz).date()
            # The first day whose end (the next local midnight) is at or after the instant.
            changes.add(local - timedelta(days=1) if _local_midnight(local, zone) >= at else local)
    out = []
    open_tickets = 0
    for day, at in days:
        if day in changes:
            upto = bisect.bisect_right(created, at)
            changing = [order[k] for k in range(upto) if stays_open[k] or settles[k] >= at]
            open_tickets = backlog(changing, at).value
        out.append((day, open_tickets))
    return tuple(out)


def backlog_days(
    span: tuple[datetime, datetime] | None, zone: str, since: date | None = None
) -> list[tuple[date, datetime]]:
    """The local days of ``span`` (from ``since`` when given) and the instant each ends (the
    next local midnight).

    Shared by the object and the DuckDB report (which sums the backlog's changes up to each).
    """
    if span is None:
        return []
    tz = ZoneInfo(zone)
    day = max(span[0].astimezone(tz).date(), since or date.min)
    last = (span[1] - timedelta(microseconds=1)).astimezone(tz).date()
    out = []
    while day <= last:
        out.append((day, _local_midnight(day + timedelta(days=1), zone)))
        day += timedelta(days=1)
    return out


def open_at_end(value: int, n: int, excluded: Mapping[str, int]) -> Figure:
    """The open tickets at ``now`` among ``n`` counted (:func:`cs8.kpi.backlog`'s value)."""
    return Figure(key="kpi.open_at_end", unit="count", value=float(value), n=n, excluded=excluded)


def _sla_attainment(sla: SlaReport) -> Breakdown:
    metrics = list(dict.fromkeys(row.metric for row in sla.attainment))
    keys = ["all"] + [p.value for p in Priority]
    rows = []
    for key in keys:
        by: Literal["all", "priority"] = "all" if key == "all" else "priority"
        figures = []
        for metric in metrics:
            row = sla.rate(metric, by=by, key=key)
            state = RateState()
            if row is not None:
                state = state.add_counts(row.achieved, row.n)
            figures.append(Figure.of_rate(f"metric.{metric.value}", state.result()))
        if any(f.n for f in figures):
            rows.append(BreakdownRow(group=None if key == "all" else key, figures=tuple(figures)))
    return Breakdown(dimension="priority", rows=tuple(rows))


def _sla_row(
    ticket_id: str,
    metric: SlaMetric,
    priority: Priority,
    channel: Channel,
    when: datetime,
    margin: timedelta,
) -> SlaRow:
    return SlaRow(
        ticket_id=ticket_id,
        metric=metric.value,
        priority=priority.value,
        channel=channel.value,
        when=when,
        margin=margin.total_seconds(),
    )


def _staffing(
    live: Iterable[Interaction], zone: str, targets: ScorecardTargets
) -> tuple[tuple[StaffingRow, ...], float | None]:
    """Erlang C agents per local hour of an average day with calls, and the AHT used."""
    phone = [i for i in live if i.channel is Channel.PHONE]
    answered = [i for i in phone if i.answered_at is not None]
    if len(answered) < 10:
        return (), None
    tz = ZoneInfo(zone)
    days = {i.started_at.astimezone(tz).date() for i in phone}
    per_hour = Counter(i.started_at.astimezone(tz).hour for i in phone)
    aht = average_handle_time(answered).mean
    assert aht is not None
    return staffing_rows(per_hour, len(days), aht, targets)


def staffing_rows(
    per_hour: Mapping[int, int], days: int, aht: timedelta, targets: ScorecardTargets
) -> tuple[tuple[StaffingRow, ...], float]:
    """The staffing lines from the phone calls per local hour over ``days`` days with calls.

    Shared by the object and the DuckDB report (which counts the calls in the engine).
    """
    rows = []
    for hour in range(24):
        calls = per_hour.get(hour, 0) / days
        if calls == 0:
            continue
        need = required_agents(
            calls=calls,
            period=timedelta(hours=1),
            aht=aht,
            target_answer_time=targets.answer_within,
            service_level=targets.service_level,
            shrinkage=targets.shrinkage,
        )
        rows.append(
            StaffingRow(hour=hour, calls=calls, agents=need.agents, scheduled=need.scheduled)
        )
    return tuple(rows), aht.total_seconds()


def _servqual(data: ServiceData) -> tuple[tuple[tuple[str, float], ...], int]:
    if not data.servqual:
        return (), 0
    from cs8.surveys import servqual_scores

    scores = servqual_scores(data.servqual)
    gaps = tuple(
        (str(getattr(dim, "value", dim)), float(gap)) for dim, gap in scores.dimension_gaps.items()
    )
    return gaps, scores.n
