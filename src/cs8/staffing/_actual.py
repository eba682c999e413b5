"""Plan against actual: what the planned staff achieved on the contacts that really came.

For each slot the review sizes the actual contacts with the plan's own targets and model (the
agents that would have been needed), compares them with the planned agents (under- and
over-staffing), and computes the service level the planned agents give on the actual load
(Erlang C, or Erlang A when the plan had a patience; a slot whose load reaches its planned
agents under Erlang C gets service level 0). The forecast behind the plan is scored per slot and
per day with :func:`~cs8.staffing.forecast_accuracy`.

Example:
    >>> from datetime import date, timedelta
    >>> f = ArrivalForecast(interval=timedelta(hours=12), timezone="UTC",
    ...                     days=(date(2026, 1, 5),), expected=(0, 240), low=(0, 200),
    ...                     high=(0, 280))
    >>> plan = staffing_plan(f, aht=timedelta(minutes=6), target_answer_time=timedelta(seconds=30))
    >>> actual = Arrivals(interval=timedelta(hours=12), timezone="UTC",
    ...                   days=(date(2026, 1, 5),), counts=((0, 300),))
    >>> review = plan_vs_actual(plan, actual, forecast=f)
    >>> review.planned_agents[1], review.needed_agents[1], review.under[1]
    (4, 5, 1)
    >>> round(review.service_level_achieved, 3), review.accuracy.mae
    (0.718, 60.0)
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import attrs

from cs8._display import DictsReprMixin, Row
from cs8.exceptions import InvalidValueError, StaffingError
from cs8.staffing._accuracy import Accuracy, forecast_accuracy
from cs8.staffing._arrivals import Arrivals, _dates, _floats, _ints
from cs8.staffing._erlang import erlang_a, erlang_c
from cs8.staffing._forecast import ArrivalForecast, aggregate
from cs8.staffing._plan import StaffingPlan, staffing_plan  # noqa: F401 (the examples use it)
from cs8.staffing._shifts import ShiftPlan
from cs8.staffing._targets import required_agents

__all__ = ["PlanReview", "plan_vs_actual"]


@attrs.frozen(kw_only=True, repr=False)
class PlanReview(DictsReprMixin):
    """A staffing plan next to what happened, slot by slot.

    Args:
        days: The reviewed days (those of the plan with actual data).
        intervals: Slot starts, aligned with the per-slot fields.
        planned_calls: Contacts the plan was made for.
        actual_calls: Contacts that came.
        planned_agents: Agents planned on the queue (from the rota, when one was given).
        needed_agents: Agents the actual contacts needed under the plan's targets.
        service_level: Service level the planned agents give on the actual contacts.
        service_level_achieved: ``service_level`` over all slots, weighted by actual contacts.
        accuracy: The forecast's accuracy per slot and per day, if a forecast was given.

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=(100,), low=(0,), high=(0,))
        >>> plan = staffing_plan(f, aht=timedelta(minutes=10), target_answer_time=timedelta(seconds=20))
        >>> actual = Arrivals(interval=timedelta(days=1), timezone="UTC",
        ...                   days=(date(2026, 1, 5),), counts=((400,),))
        >>> r = plan_vs_actual(plan, actual)
        >>> r.planned_agents, r.under, r.over, r.service_level_achieved
        ((2,), (3,), (0,), 0.0)
    """

    __repr__ = DictsReprMixin._short_repr

    days: tuple[date, ...] = attrs.field(converter=_dates)
    intervals: tuple[datetime, ...]
    planned_calls: tuple[float, ...] = attrs.field(converter=_floats)
    actual_calls: tuple[float, ...] = attrs.field(converter=_floats)
    planned_agents: tuple[int, ...] = attrs.field(converter=_ints)
    needed_agents: tuple[int, ...] = attrs.field(converter=_ints)
    service_level: tuple[float, ...] = attrs.field(converter=_floats)
    service_level_achieved: float
    accuracy: Accuracy | None = None

    @property
    def under(self) -> tuple[int, ...]:
        """Agents short per slot (needed minus planned, at least 0).

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(0,), low=(0,), high=(0,))
            >>> plan = staffing_plan(f, aht=timedelta(minutes=10), target_answer_time=timedelta(seconds=20))
            >>> actual = Arrivals(interval=timedelta(days=1), timezone="UTC",
            ...                   days=(date(2026, 1, 5),), counts=((0,),))
            >>> plan_vs_actual(plan, actual).under
            (0,)
        """
        return tuple(
            max(0, n - p) for n, p in zip(self.needed_agents, self.planned_agents, strict=True)
        )

    @property
    def over(self) -> tuple[int, ...]:
        """Agents beyond the need per slot (planned minus needed, at least 0).

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(100,), low=(0,), high=(0,))
            >>> plan = staffing_plan(f, aht=timedelta(minutes=10), target_answer_time=timedelta(seconds=20))
            >>> actual = Arrivals(interval=timedelta(days=1), timezone="UTC",
            ...                   days=(date(2026, 1, 5),), counts=((0,),))
            >>> plan_vs_actual(plan, actual).over
            (2,)
        """
        return tuple(
            max(0, p - n) for n, p in zip(self.needed_agents, self.planned_agents, strict=True)
        )

    def to_dicts(self) -> list[Row]:
        """Return one row per slot.

        Example:
            >>> from datetime import date, timedelta
            >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
            ...                     days=(date(2026, 1, 5),), expected=(10,), low=(0,), high=(0,))
            >>> plan = staffing_plan(f, aht=timedelta(minutes=10), target_answer_time=timedelta(seconds=20))
            >>> actual = Arrivals(interval=timedelta(days=1), timezone="UTC",
            ...                   days=(date(2026, 1, 5),), counts=((10,),))
            >>> plan_vs_actual(plan, actual).to_dicts()[0]["under"]
            0
        """
        return [
            {
                "start": t,
                "planned_calls": pc,
                "actual_calls": ac,
                "planned_agents": pa,
                "needed_agents": na,
                "under": max(0, na - pa),
                "over": max(0, pa - na),
                "service_level": sl,
            }
            for t, pc, ac, pa, na, sl in zip(
                self.intervals,
                self.planned_calls,
                self.actual_calls,
                self.planned_agents,
                self.needed_agents,
                self.service_level,
                strict=True,
            )
        ]


def _achieved(plan: StaffingPlan, i: int, calls: float, agents: int) -> float:
    """Service level of ``agents`` on ``calls`` contacts in slot ``i``."""
    if calls <= 0:
        return 1.0
    servers = agents * plan.concurrency
    if servers == 0:
        return 0.0
    target = plan.sizing.get("target_answer_time")
    wait = target if isinstance(target, timedelta) else timedelta(0)
    patience = plan.sizing.get("patience")
    args = {"calls": calls, "period": plan.interval, "aht": plan.aht[i], "agents": servers}
    if isinstance(patience, timedelta):
        return erlang_a(**args, patience=patience, target_answer_time=wait).service_level  # type: ignore[arg-type]
    try:
        return erlang_c(**args, target_answer_time=wait).service_level  # type: ignore[arg-type]
    except StaffingError:
        return 0.0  # the load reaches the agents: the queue grows through the slot


def _on_queue(plan: StaffingPlan, rota: ShiftPlan | None) -> list[int]:
    """Agents on the queue per slot: the plan's, or the rota's coverage after shrinkage."""
    if rota is None:
        return list(plan.agents)
    if rota.interval != plan.interval or rota.days != plan.days:
        raise InvalidValueError("plan_vs_actual: the rota's days or slots differ from the plan's")
    keep = 1.0 - plan.shrinkage
    return [math.floor(c * keep + 1e-9) for row in rota.coverage for c in row]


def plan_vs_actual(
    plan: StaffingPlan,
    actual: Arrivals,
    *,
    forecast: ArrivalForecast | None = None,
    rota: ShiftPlan | None = None,
) -> PlanReview:
    """Compare a staffing plan with the contacts that really arrived.

    Args:
        plan: The plan (from :func:`~cs8.staffing.staffing_plan`).
        actual: The actual arrivals (finer slots are summed into the plan's).
        forecast: The forecast behind the plan, to score per slot and per day.
        rota: The shifts worked (:func:`~cs8.staffing.plan_shifts` on the plan); then the
            agents on the queue are its coverage after the plan's shrinkage, not the plan's.

    Raises:
        InvalidValueError: If the actual arrivals share no day with the plan, or the plan carries
            no handle times.

    Example:
        >>> from datetime import date, timedelta
        >>> f = ArrivalForecast(interval=timedelta(days=1), timezone="UTC",
        ...                     days=(date(2026, 1, 5),), expected=(100,), low=(0,), high=(0,))
        >>> plan = staffing_plan(f, aht=timedelta(minutes=10), target_answer_time=timedelta(seconds=20))
        >>> actual = Arrivals(interval=timedelta(days=1), timezone="UTC",
        ...                   days=(date(2026, 1, 5),), counts=((100,),))
        >>> round(plan_vs_actual(plan, actual).service_level_achieved, 3)
        0.829
    """
    if len(plan.aht) != len(plan.calls):
        raise InvalidValueError(
            "plan_vs_actual: the plan carries no handle times; use staffing_plan"
        )
    actual = aggregate(actual, plan.interval)
    n = actual.slots_per_day
    rows = dict(zip(actual.days, actual.counts, strict=True))
    starts = plan.intervals
    days, intervals, planned, came, agents, needed, levels = [], [], [], [], [], [], []
    sizing = dict(plan.sizing)
    on_queue = _on_queue(plan, rota)
    for d, day in enumerate(plan.days):
        if day not in rows:
            continue
        days.append(day)
        for s in range(n):
            i = d * n + s
            calls = rows[day][s]
            intervals.append(starts[i])
            planned.append(plan.calls[i])
            came.append(calls)
            agents.append(on_queue[i])
            need = required_agents(calls=calls, period=plan.interval, aht=plan.aht[i], **sizing)  # type: ignore[arg-type]
            needed.append(math.ceil(need.agents / plan.concurrency))
            levels.append(_achieved(plan, i, calls, on_queue[i]))
    if not days:
        raise InvalidValueError("plan_vs_actual: the actual arrivals share no day with the plan")
    total = math.fsum(came)
    achieved = (
        math.fsum(c * sl for c, sl in zip(came, levels, strict=True)) / total if total else 1.0
    )
    return PlanReview(
        days=days,
        intervals=tuple(intervals),
        planned_calls=planned,
        actual_calls=came,
        planned_agents=agents,
        needed_agents=needed,
        service_level=levels,
        service_level_achieved=achieved,
        accuracy=forecast_accuracy(forecast, actual) if forecast is not None else None,
    )
