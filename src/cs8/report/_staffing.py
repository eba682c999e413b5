"""The report's staffing plan: next week's required agents per interval and the shifts that cover it.

The section runs the planning cycle of :mod:`cs8.staffing` on the report's own live contacts:
count each channel's arrivals per interval in the desk's calendar
(:func:`~cs8.staffing.arrivals_per_interval`), forecast the week after the data
(:func:`~cs8.staffing.forecast_arrivals`), size every interval with Erlang C for the scorecard's
service-level target, with the channel's handle time, concurrency and the shrinkage
(:func:`~cs8.staffing.staffing_plan`), add the channels' agents, and choose shifts from a set of
templates to cover the sum at least cost (:func:`~cs8.staffing.plan_shifts`, exact with scipy).
Nothing here computes a number :mod:`cs8.staffing` does not.

The templates and channels are set in the report's configuration file::

    [staffing]
    interval = 30                  # minutes: 15, 30 or 60
    channels = ["phone", "chat"]
    concurrency = {chat = 2}       # conversations per agent
    [[staffing.shifts]]
    name = "early"
    start = "07:00"
    length = "PT8H"                # seconds or ISO 8601
    breaks = [["PT4H", "PT30M"]]   # (offset from the start, duration)
    days = ["mon", "tue", "wed", "thu", "fri"]
    cost = 8.0                     # default: paid hours
    max_count = 10

Example:
    >>> from cs8.datasets import sample_shop
    >>> from cs8.report import ServiceData, build_report
    >>> plan = build_report(ServiceData.from_shop(sample_shop(n_customers=300, weeks=3))).staffing_plan
    >>> plan.days[0].strftime("%a"), len(plan.required.columns), plan.gap <= 0.05
    ('Mon', 48, True)
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs

from cs8._enums import Channel
from cs8._frozen import FrozenDict
from cs8._heatmap import Heatmap
from cs8._models import Interaction
from cs8.exceptions import Cs8Error, InvalidValueError
from cs8.kpi import average_handle_time
from cs8.report._scorecard import ScorecardTargets
from cs8.serialization import parse_duration
from cs8.sla import BusinessCalendar
from cs8.staffing import (
    Arrivals,
    ShiftPlan,
    ShiftTemplate,
    arrivals_per_interval,
    forecast_arrivals,
    plan_shifts,
    staffing_plan,
)

__all__ = [
    "ChannelHistory",
    "PlanChannel",
    "PlanDay",
    "ShiftRow",
    "StaffingOptions",
    "StaffingSection",
    "default_shifts",
    "gather_staffing",
    "parse_staffing",
    "plan_staffing",
]

_MIN_ANSWERED = 10
"""Fewest answered contacts of a channel for a handle time to size it with."""


def default_shifts() -> tuple[ShiftTemplate, ...]:
    """Return the report's default templates: full (8 h, 30 min break) and half (4 h) shifts.

    One of each may start on every hour of every day, so the plan can follow any desk's hours;
    a shift costs its paid hours.

    Example:
        >>> shifts = default_shifts()
        >>> len(shifts), shifts[8].name, shifts[8].paid_hours()
        (48, 'full 08:00', 7.5)
    """
    full = tuple(
        ShiftTemplate(
            name=f"full {h:02d}:00",
            start=time(h),
            length=timedelta(hours=8),
            breaks=[(timedelta(hours=4), timedelta(minutes=30))],
        )
        for h in range(24)
    )
    half = tuple(
        ShiftTemplate(name=f"half {h:02d}:00", start=time(h), length=timedelta(hours=4))
        for h in range(24)
    )
    return full + half


def _shifts(values: Sequence[ShiftTemplate]) -> tuple[ShiftTemplate, ...]:
    return tuple(values)


def _concurrency(values: Mapping[str, int]) -> FrozenDict[str, int]:
    return values if isinstance(values, FrozenDict) else FrozenDict(values)


@attrs.frozen(kw_only=True)
class StaffingOptions:
    """How the report plans staff: interval, channels, concurrency and shift templates.

    Args:
        interval: The planning interval (15, 30 or 60 minutes).
        channels: The live channels planned (each needs answered contacts to size it).
        concurrency: Conversations one agent handles at once, by channel (default 1).
        shifts: The shift templates (default :func:`default_shifts`).

    Example:
        >>> StaffingOptions().channels, StaffingOptions().interval
        (('phone', 'chat'), datetime.timedelta(seconds=1800))
    """

    interval: timedelta = timedelta(minutes=30)
    channels: tuple[str, ...] = attrs.field(default=("phone", "chat"), converter=tuple)
    concurrency: FrozenDict[str, int] = attrs.field(
        factory=lambda: FrozenDict({"chat": 2}), converter=_concurrency
    )
    shifts: tuple[ShiftTemplate, ...] = attrs.field(factory=default_shifts, converter=_shifts)


def _template(spec: Any, k: int, source: str) -> ShiftTemplate:
    if not isinstance(spec, Mapping):
        raise InvalidValueError(f"{source}: [staffing] shifts[{k}] must be a table, got {spec!r}")
    values = dict(spec)
    where = f"{source}: [staffing] shifts[{k}]"
    try:
        if isinstance(values.get("start"), str):
            values["start"] = time.fromisoformat(values["start"])
        if "length" in values:
            values["length"] = parse_duration(values["length"], f"{where}.length")
        if "breaks" in values:
            values["breaks"] = [
                (parse_duration(a, f"{where}.breaks"), parse_duration(b, f"{where}.breaks"))
                for a, b in values["breaks"]
            ]
        return ShiftTemplate(**values)
    except (Cs8Error, ValueError, TypeError) as exc:
        raise InvalidValueError(f"{where}: {exc}") from exc


def parse_staffing(spec: Mapping[str, Any], source: str = "config") -> StaffingOptions:
    """Read the ``[staffing]`` table of the report's configuration.

    Raises:
        InvalidValueError: For an unknown key or a value that is not understood; the message
            names the file, the table and the value.

    Example:
        >>> opts = parse_staffing({"interval": 60, "channels": ["phone"], "shifts": [
        ...     {"name": "day", "start": "08:00", "length": "PT9H",
        ...      "breaks": [["PT4H", "PT1H"]], "days": ["mon", "fri"]}]})
        >>> opts.interval, opts.shifts[0].days, opts.shifts[0].paid_hours()
        (datetime.timedelta(seconds=3600), (0, 4), 8.0)
    """
    known = {"interval", "channels", "concurrency", "shifts"}
    unknown = set(spec) - known
    if unknown:
        raise InvalidValueError(
            f"{source}: [staffing] unknown key(s) {sorted(unknown)}; known: {sorted(known)}"
        )
    values: dict[str, Any] = {}
    if "interval" in spec:
        minutes = spec["interval"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise InvalidValueError(
                f"{source}: [staffing] interval must be whole minutes, got {minutes!r}"
            )
        values["interval"] = timedelta(minutes=minutes)
    if "channels" in spec:
        channels = spec["channels"]
        known_channels = {c.value for c in Channel}
        if not isinstance(channels, list) or not all(c in known_channels for c in channels):
            raise InvalidValueError(
                f"{source}: [staffing] channels must be a list of {sorted(known_channels)}, "
                f"got {channels!r}"
            )
        values["channels"] = channels
    if "concurrency" in spec:
        given = spec["concurrency"]
        if not isinstance(given, Mapping) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in given.values()
        ):
            raise InvalidValueError(
                f"{source}: [staffing] concurrency must map channels to whole numbers >= 1, "
                f"got {given!r}"
            )
        values["concurrency"] = dict(given)
    if "shifts" in spec:
        shifts = spec["shifts"]
        if not isinstance(shifts, list) or not shifts:
            raise InvalidValueError(f"{source}: [staffing] shifts must be a non-empty list")
        values["shifts"] = [_template(s, k, source) for k, s in enumerate(shifts)]
    return StaffingOptions(**values)


@attrs.frozen(kw_only=True)
class PlanChannel:
    """One channel of the plan: the handle time and concurrency it was sized with.

    Example:
        >>> PlanChannel(channel="chat", aht=420.0, concurrency=2, answered=80, history_days=21,
        ...             contacts=31.5, peak=2).peak
        2
    """

    channel: str
    aht: float
    concurrency: int
    answered: int
    history_days: int
    contacts: float
    peak: int


@attrs.frozen(kw_only=True)
class ShiftRow:
    """How many of one shift template run on each planned day.

    Example:
        >>> ShiftRow(shift="full 08:00", start="08:00", hours=7.5, counts=(1, 1, 0, 0, 0, 0, 0),
        ...          cost=15.0).counts[0]
        1
    """

    shift: str
    start: str
    hours: float
    counts: tuple[int, ...]
    cost: float


@attrs.frozen(kw_only=True)
class PlanDay:
    """One planned day: agent-hours required, on shift, short and beyond the requirement.

    Example:
        >>> PlanDay(day=date(2026, 10, 5), required=20.0, scheduled=22.5, under=0.0, over=2.5,
        ...         short_intervals=0).over
        2.5
    """

    day: date
    required: float
    scheduled: float
    under: float
    over: float
    short_intervals: int


@attrs.frozen(kw_only=True)
class StaffingSection:
    """Next week's staffing plan from the data's own arrivals: the numbers the report shows.

    Args:
        days: The planned local days (the week after the data, Monday first).
        interval: The interval, in seconds.
        method: How arrivals were forecast (:attr:`cs8.staffing.ArrivalForecast.method`).
        channels: The channels planned, with the handle time each was sized with.
        required: Agents to schedule per interval (all channels), days x intervals.
        coverage: Agents on shift per interval under the chosen shifts.
        shifts: The shifts chosen, by template.
        per_day: Agent-hours per day: required, on shift, short, beyond.
        cost: The plan's cost (paid hours unless the templates set a cost).
        lower_bound: A lower bound on any covering plan's cost.
        gap: ``(cost - lower_bound) / lower_bound``.
        solver: ``"milp"`` (exact, scipy) or ``"greedy"``.

    Example:
        >>> from cs8.datasets import sample_shop
        >>> from cs8.report import ServiceData, build_report
        >>> s = build_report(ServiceData.from_shop(sample_shop(n_customers=300, weeks=3))).staffing_plan
        >>> sum(d.under for d in s.per_day), [c.channel for c in s.channels]
        (0.0, ['phone', 'chat'])
    """

    days: tuple[date, ...]
    interval: float
    method: str
    channels: tuple[PlanChannel, ...]
    required: Heatmap
    coverage: Heatmap
    shifts: tuple[ShiftRow, ...]
    per_day: tuple[PlanDay, ...]
    cost: float
    lower_bound: float
    gap: float
    solver: str


def _have_numpy() -> bool:
    return importlib.util.find_spec("numpy") is not None


def _next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def gather_staffing(
    live: Sequence[Interaction],
    calendar: BusinessCalendar | None,
    zone: str,
    targets: ScorecardTargets,
    options: StaffingOptions | None = None,
) -> StaffingSection | None:
    """Plan next week's staff from the live contacts; ``None`` when it cannot be planned.

    It cannot without numpy (the forecast), or when no planned channel has at least ten
    answered contacts and three days of history.

    Example:
        >>> from cs8.report import ServiceData
        >>> gather_staffing([], None, "UTC", ScorecardTargets()) is None
        True
    """

    def measured(name: str) -> ChannelHistory:
        contacts = [i for i in live if i.channel.value == name]
        answered = [i for i in contacts if i.answered_at is not None]
        return ChannelHistory(
            answered=len(answered),
            aht=average_handle_time(answered).mean,
            arrivals=lambda step: arrivals_per_interval(
                contacts, interval=step, calendar=calendar, timezone=zone
            ),
        )

    return plan_staffing(measured, calendar, targets, options)


@attrs.frozen(kw_only=True)
class ChannelHistory:
    """What the plan reads of one channel's live contacts (from records or an engine).

    Attributes:
        answered: The answered contacts.
        aht: Their mean handle time (``None`` when none was measured).
        arrivals: The contacts counted per local slot of the interval given.
    """

    answered: int
    aht: timedelta | None
    arrivals: Callable[[timedelta], Arrivals]


def plan_staffing(
    measure: Callable[[str], ChannelHistory],
    calendar: BusinessCalendar | None,
    targets: ScorecardTargets,
    options: StaffingOptions | None = None,
) -> StaffingSection | None:
    """Plan next week's staff from each planned channel's history (``measure(channel)``).

    Shared by the object and the DuckDB report (which counts the arrivals in the engine); a
    channel's arrivals are counted only when it has enough answered contacts.
    """
    options = options or StaffingOptions()
    if not _have_numpy():
        return None
    sized: list[tuple[PlanChannel, tuple[int, ...]]] = []
    days: tuple[date, ...] = ()
    method = ""
    for name in options.channels:
        found = measure(name)
        aht = found.aht
        if found.answered < _MIN_ANSWERED or aht is None or aht <= timedelta(0):
            continue
        history = found.arrivals(options.interval)
        if len(history.days) < 3:
            continue
        forecast = forecast_arrivals(
            history,
            interval=options.interval,
            calendar=calendar,
            start=_next_monday(history.days[-1]),
        )
        concurrency = options.concurrency.get(name, 1)
        plan = staffing_plan(
            forecast,
            aht=aht,
            target_answer_time=targets.answer_within,
            service_level=targets.service_level,
            concurrency=concurrency,
            shrinkage=targets.shrinkage,
            channel=name,
        )
        days, method = forecast.days, forecast.method
        channel = PlanChannel(
            channel=name,
            aht=aht.total_seconds(),
            concurrency=concurrency,
            answered=found.answered,
            history_days=len(history.days),
            contacts=sum(forecast.expected),
            peak=max(plan.scheduled, default=0),
        )
        sized.append((channel, plan.scheduled))
    if not sized:
        return None
    total = [sum(col) for col in zip(*(s for _, s in sized), strict=True)]
    width = len(total) // len(days)
    rows = [total[k * width : (k + 1) * width] for k in range(len(days))]
    shifts = plan_shifts(rows, shifts=options.shifts, interval=options.interval, start=days[0])
    return _section(shifts, tuple(c for c, _ in sized), method, options)


def _section(
    plan: ShiftPlan, channels: tuple[PlanChannel, ...], method: str, options: StaffingOptions
) -> StaffingSection:
    step = options.interval
    columns = tuple((datetime.min + step * k).time() for k in range(len(plan.coverage[0])))
    hours = step.total_seconds() / 3600
    counts: dict[str, list[int]] = {}
    costs: dict[str, float] = {}
    index = {d: k for k, d in enumerate(plan.days)}
    for a in plan.assignments:
        counts.setdefault(a.shift, [0] * len(plan.days))[index[a.day]] += a.count
        costs[a.shift] = costs.get(a.shift, 0.0) + a.cost
    templates = {t.name: t for t in options.shifts}
    shift_rows = tuple(
        ShiftRow(
            shift=name,
            start="" if templates[name].start is None else f"{templates[name].start:%H:%M}",
            hours=templates[name].paid_hours(step),
            counts=tuple(counts[name]),
            cost=costs[name],
        )
        for name in sorted(counts, key=lambda n: (templates[n].start or time(), n))
    )
    per_day = tuple(
        PlanDay(
            day=day,
            required=sum(req) * hours,
            scheduled=sum(cov) * hours,
            under=sum(u) * hours,
            over=sum(o) * hours,
            short_intervals=sum(1 for x in u if x),
        )
        for day, req, cov, u, o in zip(
            plan.days, plan.required, plan.coverage, plan.under, plan.over, strict=True
        )
    )
    return StaffingSection(
        days=plan.days,
        interval=step.total_seconds(),
        method=method,
        channels=channels,
        required=Heatmap(
            key="plan.required", rows=plan.days, columns=columns, values=plan.required
        ),
        coverage=Heatmap(
            key="plan.coverage", rows=plan.days, columns=columns, values=plan.coverage
        ),
        shifts=shift_rows,
        per_day=per_day,
        cost=plan.cost,
        lower_bound=plan.lower_bound,
        gap=plan.gap,
        solver=plan.method,
    )
