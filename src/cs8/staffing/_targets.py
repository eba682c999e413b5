"""How many agents one interval needs: the fewest meeting every target given.

The targets are a service level (a share answered within ``target_answer_time``), an average speed
of answer, an abandonment ceiling (Erlang A, with a patience), a blocking ceiling (Erlang B, no
queue) and an occupancy cap. Each measure is monotone in the number of agents, so the search
gallops from the traffic to a passing count and bisects back: about ``2 log2(agents)`` model
evaluations, each of a cost that does not grow with the traffic (see :mod:`cs8.staffing._erlang`),
so 10^9 Erlangs answer in milliseconds under Erlang B and C.

Example:
    >>> from datetime import timedelta
    >>> s = required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                     target_answer_time=timedelta(seconds=20), shrinkage=0.3)
    >>> s.traffic, s.agents, s.scheduled, round(s.service_level, 4)
    (10.0, 14, 20, 0.8884)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

from cs8.exceptions import InvalidValueError, StaffingError
from cs8.staffing._erlang import (
    Staffing,
    _c_from_b,
    _duration,
    _erlang_a,
    _erlang_b,
    _number,
    _offered,
    _scheduled,
    _seconds,
    _staffing,
)

__all__ = ["required_agents"]

_MAX_PATIENT_LOAD = 100_000.0
"""Erlang A sizing above this traffic x patience / aht raises (its chain grows with it)."""


def _fewest(ok: Callable[[int], bool], start: int, floor: int) -> int:
    """Return the fewest ``n >= floor`` with ``ok(n)``, for ``ok`` false then true as n grows."""
    start = max(start, floor)
    step = 1
    if ok(start):
        hi, lo = start, start - 1
        while lo >= floor and ok(lo):
            hi, step = lo, step * 2
            lo = hi - step
        lo = max(lo, floor - 1)
    else:
        lo, hi = start, start + 1
        while not ok(hi):
            lo, step = hi, step * 2
            hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mid >= floor and ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def required_agents(
    *,
    calls: float,
    period: timedelta,
    aht: timedelta,
    target_answer_time: timedelta | None = None,
    service_level: float = 0.8,
    asa_target: timedelta | None = None,
    max_abandonment: float | None = None,
    max_blocking: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience: timedelta | None = None,
) -> Staffing:
    """Return the fewest agents that meet every target given (Erlang C, A or B).

    Erlang C by default; with a ``patience`` the model is Erlang A (callers hang up; abandoned
    calls count as not answered in time); with ``max_blocking`` it is Erlang B (no queue: a call
    that finds every agent busy is lost), which takes no queue target.

    Args:
        calls: Calls offered in ``period``.
        period: The length of the period.
        aht: Average handle time.
        target_answer_time: The service-level threshold; ``None`` sets no service-level target.
        service_level: Fraction of calls to answer within ``target_answer_time``, in (0, 1).
        asa_target: Highest average speed of answer (Erlang C: over all calls; Erlang A: over
            the answered calls, as :attr:`Staffing.asa`).
        max_abandonment: Highest probability that a caller hangs up; needs ``patience``.
        max_blocking: Highest probability that a call is lost (Erlang B).
        max_occupancy: If given, also require ``traffic / agents <= max_occupancy`` (the carried
            traffic under Erlang A and B).
        shrinkage: Fraction of scheduled time lost; ``scheduled = ceil(agents / (1 - shrinkage))``.
        patience: Mean time callers wait before hanging up; switches the model to Erlang A.

    Raises:
        InvalidValueError: If an argument is out of range, no target is given, ``max_abandonment``
            comes without ``patience`` or ``max_blocking`` with a queue target.
        StaffingError: If Erlang A is asked about more than 100,000 Erlangs per unit of
            ``aht / patience``, or a count next to the answer needs more than 50,000 queue states
            (the exact solver's bounds on running time).

    Example:
        >>> from datetime import timedelta
        >>> half_hour, aht = timedelta(minutes=30), timedelta(seconds=180)
        >>> s = required_agents(calls=100, period=half_hour, aht=aht,
        ...                     target_answer_time=timedelta(seconds=20), max_occupancy=0.85,
        ...                     shrinkage=0.3)
        >>> s.agents, s.scheduled
        (14, 20)
        >>> a = required_agents(calls=100, period=half_hour, aht=aht,
        ...                     target_answer_time=timedelta(seconds=20),
        ...                     patience=timedelta(seconds=120))
        >>> a.model, a.agents, round(a.abandon_probability, 3)
        ('erlang_a', 12, 0.062)
        >>> required_agents(calls=100, period=half_hour, aht=aht, asa_target=timedelta(seconds=10)).agents
        14
        >>> required_agents(calls=100, period=half_hour, aht=aht, max_blocking=0.01).model
        'erlang_b'
    """
    traffic, aht_s = _offered(calls, period, aht)
    target_s = (
        None
        if target_answer_time is None
        else _seconds(target_answer_time, "target_answer_time", positive=False)
    )
    goal = _number(service_level, "service_level", 0.0, 1.0, open_high=True)
    asa_s = None if asa_target is None else _seconds(asa_target, "asa_target", positive=False)
    abandon_cap = (
        None if max_abandonment is None else _number(max_abandonment, "max_abandonment", 0.0, 1.0)
    )
    blocking_cap = None if max_blocking is None else _number(max_blocking, "max_blocking", 0.0, 1.0)
    occupancy_cap = (
        None if max_occupancy is None else _number(max_occupancy, "max_occupancy", 0.0, 1.0)
    )
    if occupancy_cap == 0.0:
        raise InvalidValueError(f"max_occupancy must be positive, got {max_occupancy!r}")
    shrink = _number(shrinkage, "shrinkage", 0.0, 1.0, open_high=True)
    patience_s = None if patience is None else _seconds(patience, "patience", positive=True)
    if abandon_cap is not None and patience_s is None:
        raise InvalidValueError(
            f"max_abandonment={max_abandonment!r} needs patience= (the mean time callers wait "
            f"before hanging up), which Erlang A uses"
        )
    queue_targets = {
        "target_answer_time": target_answer_time,
        "asa_target": asa_target,
        "max_abandonment": max_abandonment,
        "patience": patience,
    }
    given = [name for name, value in queue_targets.items() if value is not None]
    if blocking_cap is not None and given:
        raise InvalidValueError(
            f"max_blocking={max_blocking!r} models lines without a queue (Erlang B) and cannot be "
            f"combined with {', '.join(given)}"
        )
    if not given and blocking_cap is None and occupancy_cap is None:
        raise InvalidValueError(
            "required_agents needs a target: target_answer_time (with service_level), "
            "asa_target, max_abandonment (with patience), max_blocking or max_occupancy"
        )
    if traffic == 0.0:
        return Staffing(
            traffic=0.0,
            agents=0,
            scheduled=0,
            shrinkage=shrink,
            wait_probability=0.0,
            service_level=1.0,
            asa=timedelta(0),
            occupancy=0.0,
            target_answer_time=None if target_s is None else timedelta(seconds=target_s),
            aht=timedelta(seconds=aht_s),
            model=_model(blocking_cap, patience_s),
            patience=patience,
        )
    if blocking_cap is not None:
        return _required_erlang_b(traffic, aht_s, blocking_cap, occupancy_cap, shrink)
    if patience_s is not None:
        return _required_erlang_a(
            traffic, aht_s, target_s, goal, asa_s, abandon_cap, occupancy_cap, shrink, patience_s
        )
    return _required_erlang_c(traffic, aht_s, target_s, goal, asa_s, occupancy_cap, shrink)


def _model(blocking_cap: float | None, patience_s: float | None) -> str:
    if blocking_cap is not None:
        return "erlang_b"
    return "erlang_c" if patience_s is None else "erlang_a"


_TIE = 1e-12
"""Relative rounding allowed when a figure is compared with its target: a target met exactly
(an ASA of exactly 60 s against 60 s, which floating point may compute as 60.00000000000001) is
met."""


def _within(value: float, cap: float) -> bool:
    """``value <= cap``, up to floating-point rounding of an exact tie."""
    return value <= cap + _TIE * max(1.0, abs(cap))


def _required_erlang_c(
    traffic: float,
    aht_s: float,
    target_s: float | None,
    goal: float,
    asa_s: float | None,
    occupancy_cap: float | None,
    shrink: float,
) -> Staffing:
    def ok(n: int) -> bool:
        gap = n - traffic
        if gap <= 0.0 or (occupancy_cap is not None and not _within(traffic / n, occupancy_cap)):
            return False
        c = _c_from_b(_erlang_b(traffic, n), traffic, n)
        if target_s is not None and not _within(goal, 1.0 - c * math.exp(-gap * target_s / aht_s)):
            return False
        return asa_s is None or _within(c * aht_s / gap, asa_s)

    start = math.floor(traffic) + 1
    if occupancy_cap is not None:
        start = max(start, math.ceil(traffic / occupancy_cap))
    n = _fewest(ok, start, math.floor(traffic) + 1)
    return _staffing(traffic, n, _erlang_b(traffic, n), aht_s, target_s, shrink)


def _required_erlang_b(
    traffic: float,
    aht_s: float,
    blocking_cap: float,
    occupancy_cap: float | None,
    shrink: float,
) -> Staffing:
    def ok(n: int) -> bool:
        b = _erlang_b(traffic, n)
        carried = traffic * (1.0 - b) / n
        return _within(b, blocking_cap) and (
            occupancy_cap is None or _within(carried, occupancy_cap)
        )

    n = _fewest(ok, max(1, math.ceil(traffic)), 1)
    b = _erlang_b(traffic, n)
    return Staffing(
        traffic=traffic,
        agents=n,
        scheduled=_scheduled(n, shrink),
        shrinkage=shrink,
        wait_probability=0.0,
        service_level=1.0 - b,
        asa=timedelta(0),
        occupancy=traffic * (1.0 - b) / n,
        target_answer_time=None,
        aht=timedelta(seconds=aht_s),
        model="erlang_b",
        blocking_probability=b,
    )


def _required_erlang_a(
    traffic: float,
    aht_s: float,
    target_s: float | None,
    goal: float,
    asa_s: float | None,
    abandon_cap: float | None,
    occupancy_cap: float | None,
    shrink: float,
    patience_s: float,
) -> Staffing:
    theta = aht_s / patience_s
    if traffic / theta > _MAX_PATIENT_LOAD:
        raise StaffingError(
            f"Erlang A with traffic={traffic:.6g} Erlangs and patience {patience_s:.6g} s "
            f"(aht {aht_s:.6g} s) is beyond what the exact solver sizes in bounded time "
            f"(traffic x patience / aht > {_MAX_PATIENT_LOAD:,.0f}); at this scale Erlang A "
            f"approaches Erlang C: omit patience"
        )
    target = (target_s or 0.0) / aht_s
    solved: dict[int, tuple[float, float, float, float, float, float]] = {}
    unknown: dict[int, StaffingError] = {}

    def ok(n: int) -> bool:
        if n not in solved:
            try:
                solved[n] = _erlang_a(traffic, n, theta, target)
            except StaffingError as exc:  # so overloaded that its queue is too long to sum
                unknown[n] = exc
                return False
        _, abandon, service, asa, _, _ = solved[n]
        return (
            (target_s is None or service >= goal)
            and (asa_s is None or _within(asa * aht_s, asa_s))
            and (abandon_cap is None or _within(abandon, abandon_cap))
            and (occupancy_cap is None or _within(traffic * (1.0 - abandon) / n, occupancy_cap))
        )

    n = _fewest(ok, max(1, math.ceil(traffic)), 1)
    if n - 1 in unknown:
        raise unknown[n - 1]
    wait, abandon, service, asa, _, _ = solved[n]
    return Staffing(
        traffic=traffic,
        agents=n,
        scheduled=_scheduled(n, shrink),
        shrinkage=shrink,
        wait_probability=wait,
        service_level=service,
        asa=_duration(asa * aht_s, "average speed of answer", traffic, n),
        occupancy=traffic * (1.0 - abandon) / n,
        target_answer_time=None if target_s is None else timedelta(seconds=target_s),
        aht=timedelta(seconds=aht_s),
        model="erlang_a",
        abandon_probability=abandon,
        patience=timedelta(seconds=patience_s),
    )
