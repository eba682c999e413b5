"""Required agents per interval from a forecast: Erlang C or A, chat concurrency, occupancy, shrinkage.

Each slot is sized on its own with :func:`~cs8.staffing.required_agents` (the stationary
approximation planners use: Gans, Koole and Mandelbaum 2003, section 4.1). Chat and messaging:
an agent holds ``concurrency`` conversations at once, so the queue is served by
``agents x concurrency`` conversation slots, each busy for the conversation's duration at that
concurrency (``aht``); the slots are sized by Erlang C or A and divided by the concurrency,
rounding up. Sizing chat as if each agent took one conversation overstaffs it by about the
concurrency. With ``overhang=True`` the work of contacts still in progress at the end of a slot
(exponential handle times, arrivals spread evenly over the slot) is carried into the following
slots, which matters when the handle time is long against the slot.

Example:
    >>> from datetime import date, timedelta
    >>> f = ArrivalForecast(interval=timedelta(minutes=30), timezone="UTC",
    ...                     days=(date(2026, 1, 5),), expected=[0.0] * 16 + [100.0] * 32,
    ...                     low=[0.0] * 48, high=[0.0] * 48)
    >>> plan = staffing_plan(f, aht=timedelta(seconds=180), target_answer_time=timedelta(seconds=20),
    ...                      shrinkage=0.3)
    >>> plan.agents[16], plan.scheduled[16], round(plan.service_level[16], 3)
    (14, 20, 0.888)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._frozen import FrozenDict
from cs8._heatmap import Heatmap
from cs8.exceptions import InvalidValueError
from cs8.staffing._arrivals import _dates, _durations, _floats, _ints, slot_starts, slots_per_day
from cs8.staffing._erlang import _scheduled
from cs8.staffing._forecast import ArrivalForecast
from cs8.staffing._targets import required_agents

__all__ = ["StaffingPlan", "overhang", "staffing_plan"]


def _sizing(values: Mapping[str, object]) -> FrozenDict[str, object]:
    return FrozenDict(values)


@attrs.frozen(kw_only=True, repr=False)
class StaffingPlan(DictsReprMixin):
    """Required agents per slot of a forecast, with the expected service per slot.

    Args:
        interval: The slot length.
        timezone: IANA zone of the slots.
        days: The planned local days.
        channel: The channel planned, if named.
        calls: Contacts planned for per slot.
        traffic: Offered load in Erlangs per slot (after overhang, in conversations for chat).
        agents: Agents needed on the queue per slot.
        scheduled: Agents to schedule per slot, after shrinkage.
        service_level: Expected share answered within the target per slot (1 when no calls).
        asa: Expected average speed of answer per slot.
        abandonment: Expected share abandoning per slot (0 under Erlang C).
        occupancy: Expected occupancy per slot (per conversation slot for chat).
        aht: The handle time used per slot.
        concurrency: Conversations per agent.
        shrinkage: The share of scheduled time off the queue used for ``scheduled``.
        sizing: The targets the slots were sized for (``required_agents`` arguments).

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(hours=12), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=(0, 240), low=(0, 0),
        ...                     high=(0, 0))
        >>> p = staffing_plan(f, aht=timedelta(minutes=6), target_answer_time=timedelta(seconds=30))
        >>> p.to_dicts()[1]["agents"], p.heatmap().values
        (4, ((0, 4),))
    """

    __repr__ = DictsReprMixin._short_repr

    interval: timedelta
    timezone: str
    days: tuple[date, ...] = attrs.field(converter=_dates)
    channel: str | None = None
    calls: tuple[float, ...] = attrs.field(converter=_floats)
    traffic: tuple[float, ...] = attrs.field(converter=_floats)
    agents: tuple[int, ...] = attrs.field(converter=_ints)
    scheduled: tuple[int, ...] = attrs.field(converter=_ints)
    service_level: tuple[float, ...] = attrs.field(converter=_floats)
    asa: tuple[timedelta, ...] = attrs.field(converter=_durations)
    abandonment: tuple[float, ...] = attrs.field(converter=_floats)
    occupancy: tuple[float, ...] = attrs.field(converter=_floats)
    aht: tuple[timedelta, ...] = attrs.field(default=(), converter=_durations)
    concurrency: int = 1
    shrinkage: float = 0.0
    sizing: Mapping[str, object] = attrs.field(factory=FrozenDict, converter=_sizing)

    @property
    def intervals(self) -> tuple[datetime, ...]:
        """The aware local start of every slot.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(0,), low=(0,), high=(0,))
            >>> staffing_plan(f, aht=timedelta(minutes=3),
            ...               target_answer_time=timedelta(0)).intervals[0].day
            5
        """
        return slot_starts(self.days, self.interval, self.timezone)

    def heatmap(self, which: str = "scheduled") -> Heatmap:
        """Return ``scheduled`` (or ``agents``) as a days x slots grid for a staffing heatmap.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(hours=12), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(0, 240), low=(0, 0),
            ...                     high=(0, 0))
            >>> staffing_plan(f, aht=timedelta(minutes=6), target_answer_time=timedelta(seconds=30),
            ...               shrinkage=0.5).heatmap().values
            ((0, 8),)
        """
        if which not in ("scheduled", "agents"):
            raise InvalidValueError(f"which must be scheduled or agents, got {which!r}")
        values: tuple[int, ...] = getattr(self, which)
        n = slots_per_day(self.interval)
        step = self.interval
        slots = tuple((datetime.min + step * k).time() for k in range(n))
        rows = tuple(values[i * n : (i + 1) * n] for i in range(len(self.days)))
        title = f"{which} agents" + (f" ({self.channel})" if self.channel else "")
        return Heatmap(key=title, rows=self.days, columns=slots, values=rows)

    def to_dicts(self) -> list[Row]:
        """Return one row per slot with every planned figure.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(0,), low=(0,), high=(0,))
            >>> sorted(staffing_plan(f, aht=timedelta(minutes=3),
            ...                      target_answer_time=timedelta(0)).to_dicts()[0])[:3]
            ['abandonment', 'agents', 'asa']
        """
        return [
            {
                "start": t,
                "calls": c,
                "traffic": a,
                "agents": n,
                "scheduled": s,
                "service_level": sl,
                "asa": w,
                "abandonment": ab,
                "occupancy": o,
            }
            for t, c, a, n, s, sl, w, ab, o in zip(
                self.intervals,
                self.calls,
                self.traffic,
                self.agents,
                self.scheduled,
                self.service_level,
                self.asa,
                self.abandonment,
                self.occupancy,
                strict=True,
            )
        ]


def overhang(calls: Sequence[float], aht: timedelta, interval: timedelta) -> tuple[float, ...]:
    """Return the offered load per slot in Erlangs, carrying unfinished work into later slots.

    A contact arriving at a uniform time in a slot of length ``I`` with an exponential handle
    time of mean ``a`` leaves ``a^2 / I x (1 - exp(-I / a))`` of work past the slot's end, of
    which the k-th following slot receives ``a^2 / I x (1 - exp(-I / a))^2 x exp(-(k - 1) I / a)``.
    The total work is unchanged: only where it falls moves.

    Args:
        calls: Contacts arriving per slot, consecutive slots.
        aht: Mean handle time.
        interval: Slot length.

    Example:
        >>> from datetime import timedelta
        >>> load = overhang([100, 0, 0], timedelta(minutes=10), timedelta(minutes=30))
        >>> [round(x, 3) for x in load]  # 33.333 in all; the last 0.026 falls after slot 3
        [22.775, 10.032, 0.499]
    """
    a = aht.total_seconds()
    i_s = interval.total_seconds()
    if a <= 0 or i_s <= 0:
        raise InvalidValueError(f"aht and interval must be positive, got {aht!r} and {interval!r}")
    keep = math.exp(-i_s / a)
    spill = a * a / i_s * (1.0 - keep)  # work past the slot's end per contact
    first = spill * (1.0 - keep)  # of it, in the next slot
    load = [0.0] * len(calls)
    carry = 0.0  # work flowing into the current slot from earlier ones
    for k, c in enumerate(calls):
        own = c * (a - spill)
        load[k] = (own + carry) / i_s
        carry = carry * keep + c * first
    return tuple(load)


def staffing_plan(
    forecast: ArrivalForecast,
    *,
    aht: timedelta | Sequence[timedelta],
    target_answer_time: timedelta | None = None,
    service_level: float = 0.8,
    asa_target: timedelta | None = None,
    patience: timedelta | None = None,
    max_abandonment: float | None = None,
    max_occupancy: float | None = None,
    concurrency: int = 1,
    shrinkage: float = 0.0,
    overhang_work: bool = False,
    use: str = "expected",
    channel: str | None = None,
) -> StaffingPlan:
    """Return the agents each slot of ``forecast`` needs to meet the targets.

    Args:
        forecast: Contacts per slot (:func:`~cs8.staffing.forecast_arrivals`).
        aht: Mean handle time, one for all slots or one per slot (as ``forecast.expected``);
            for chat, the conversation's duration at the given concurrency.
        target_answer_time: Service-level threshold (with ``service_level``).
        service_level: Share to answer within ``target_answer_time``.
        asa_target: Highest average speed of answer.
        patience: Mean patience: sizes with Erlang A (abandonment) instead of Erlang C.
        max_abandonment: Highest abandonment probability (needs ``patience``).
        max_occupancy: Occupancy cap.
        concurrency: Conversations one agent handles at once (1 for phone, 2-4 for chat).
        shrinkage: Share of paid time not on the queue; ``scheduled = ceil(agents / (1 - s))``.
        overhang_work: Carry unfinished work into the following slots (see :func:`overhang`).
        use: Plan for the ``"expected"`` contacts or the interval's ``"high"`` bound.
        channel: A label for the plan (``"phone"``, ``"chat"``).

    Raises:
        InvalidValueError: For an out-of-range argument or a per-slot ``aht`` of the wrong length.
        StaffingError: As :func:`~cs8.staffing.required_agents`.

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(minutes=30), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=[60.0] * 48,
        ...                     low=[0.0] * 48, high=[0.0] * 48)
        >>> chat = staffing_plan(f, aht=timedelta(minutes=12), concurrency=3,
        ...                      target_answer_time=timedelta(seconds=60), channel="chat")
        >>> one_at_a_time = staffing_plan(f, aht=timedelta(minutes=12),
        ...                               target_answer_time=timedelta(seconds=60))
        >>> chat.agents[0], one_at_a_time.agents[0]
        (10, 29)
    """
    if use not in ("expected", "high"):
        raise InvalidValueError(f"use must be 'expected' or 'high', got {use!r}")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidValueError(f"concurrency must be a positive integer, got {concurrency!r}")
    if (
        isinstance(shrinkage, bool)
        or not isinstance(shrinkage, int | float)
        or not 0 <= shrinkage < 1
    ):
        raise InvalidValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    calls: tuple[float, ...] = getattr(forecast, use)
    if isinstance(aht, timedelta):
        ahts: Sequence[timedelta] = [aht] * len(calls)
    else:
        ahts = list(aht)
        if len(ahts) != len(calls):
            raise InvalidValueError(
                f"staffing_plan: aht has {len(ahts)} values for {len(calls)} slots"
            )
    period = forecast.interval
    offered = list(calls)
    if overhang_work:
        mean_aht = timedelta(
            seconds=math.fsum(c * a.total_seconds() for c, a in zip(calls, ahts, strict=True))
            / max(math.fsum(calls), 1e-300)
        )
        load = overhang(calls, mean_aht if mean_aht > timedelta(0) else ahts[0], period)
        # Express the carried load back as calls of the slot's own handle time.
        offered = [
            erl * period.total_seconds() / a.total_seconds()
            for erl, a in zip(load, ahts, strict=True)
        ]
    sizing: dict[str, object] = {
        "target_answer_time": target_answer_time,
        "service_level": service_level,
        "asa_target": asa_target,
        "max_abandonment": max_abandonment,
        "max_occupancy": max_occupancy,
        "patience": patience,
    }
    rows = []
    for c, a in zip(offered, ahts, strict=True):
        s = required_agents(
            calls=c,
            period=period,
            aht=a,
            target_answer_time=target_answer_time,
            service_level=service_level,
            asa_target=asa_target,
            max_abandonment=max_abandonment,
            max_occupancy=max_occupancy,
            patience=patience,
        )
        agents = math.ceil(s.agents / concurrency)
        rows.append(
            (
                s.traffic,
                agents,
                _scheduled(agents, float(shrinkage)) if agents else 0,
                s.service_level,
                s.asa,
                s.abandon_probability,
                s.occupancy,
            )
        )
    return StaffingPlan(
        interval=period,
        timezone=forecast.timezone,
        days=forecast.days,
        channel=channel,
        calls=calls,
        traffic=[r[0] for r in rows],
        agents=[r[1] for r in rows],
        scheduled=[r[2] for r in rows],
        service_level=[r[3] for r in rows],
        asa=[r[4] for r in rows],
        abandonment=[r[5] for r in rows],
        occupancy=[r[6] for r in rows],
        aht=ahts,
        concurrency=concurrency,
        shrinkage=float(shrinkage),
        sizing=sizing,
    )
