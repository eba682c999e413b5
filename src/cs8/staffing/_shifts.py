"""Shift planning: how many of each shift template to run each day to cover a requirement.

The problem is the classical shift-scheduling set-covering integer programme (Dantzig, "A comment
on Edie's traffic delays at toll booths", Operations Research 2(3), 1954): choose integer counts
``x`` of each template on each day, minimising ``cost . x`` subject to ``A x >= required`` per
slot (``A[s, j] = 1`` when shift ``j`` works slot ``s``), the templates' minimum and maximum counts
and an optional cap on the agents in any slot. With scipy installed (``pip install
'cs8[staffing]'``) it is solved exactly by ``scipy.optimize.milp`` (HiGHS branch and bound);
without it, by a greedy cover (repeatedly add the shift covering the most unmet demand per unit of
cost, then drop shifts no longer needed) improved by a local search (move one shift to a
neighbouring start when that lets others be dropped). Either way the plan reports its gap to a lower bound:
the LP relaxation's optimum with scipy, otherwise the best of two simple bounds (the busiest
slot's demand times the cheapest shift covering it; all demand times the lowest cost per covered
slot).

Slots are wall-clock slots of consecutive days; a shift that runs past midnight works the first
slots of the next day, and a shift starting on the last day is cut at the end of the plan.

Example:
    >>> from datetime import time, timedelta
    >>> early = ShiftTemplate(name="early", start=time(6), length=timedelta(hours=8))
    >>> late = ShiftTemplate(name="late", start=time(14), length=timedelta(hours=8))
    >>> need = [[0] * 6 + [3] * 8 + [5] * 8 + [0] * 2]  # one day of hourly slots
    >>> plan = plan_shifts(need, shifts=[early, late], interval=timedelta(hours=1))
    >>> [(a.shift, a.count) for a in plan.assignments], plan.cost, plan.gap
    ([('early', 3), ('late', 5)], 64.0, 0.0)
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time, timedelta

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.staffing._arrivals import slots_per_day
from cs8.staffing._plan import StaffingPlan
from cs8.staffing._pooled import expand_rows, serve

__all__ = ["ShiftAssignment", "ShiftPlan", "ShiftTemplate", "plan_shifts"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekdays(values: Iterable[int | str]) -> tuple[int, ...]:
    days: set[int] = set()
    for v in values:
        if isinstance(v, str):
            key = v.strip().lower()[:3]
            if key not in _WEEKDAYS:
                raise InvalidValueError(f"ShiftTemplate.days: unknown weekday {v!r}")
            days.add(_WEEKDAYS.index(key))
        elif isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 6:
            days.add(v)
        else:
            raise InvalidValueError(f"ShiftTemplate.days: {v!r} is not a weekday (0-6 or 'mon')")
    return tuple(sorted(days))


def _breaks(
    values: Iterable[tuple[timedelta, timedelta]],
) -> tuple[tuple[timedelta, timedelta], ...]:
    return tuple((a, b) for a, b in values)


def _channel_set(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):  # one channel named alone, not its letters
        return frozenset({values})
    return frozenset(str(v) for v in values)


def _pattern(values: Iterable[int | bool] | None) -> tuple[bool, ...] | None:
    return None if values is None else tuple(bool(v) for v in values)


@attrs.frozen(kw_only=True)
class ShiftTemplate:
    """A shift that may be worked: when it starts, how long, its breaks, days, cost and counts.

    Args:
        name: The shift's name.
        start: Local start time (with ``length``), or ``None`` when ``pattern`` is given.
        length: How long the shift lasts, breaks included.
        breaks: ``(offset from the start, duration)`` of each unpaid or off-queue break.
        days: Weekdays it may run (``0``-``6`` or ``"mon"``...); all by default.
        cost: Cost of one shift; by default its length in hours minus its breaks.
        min_count: Fewest to run on each day it may run.
        max_count: Most to run on each day (``None``: no limit).
        pattern: Instead of ``start``/``length``: the day's slots it works (pyworkforce's
            ``shifts_coverage`` form), one flag per slot.
        channels: The channels an agent on this shift can serve, for a pooled multi-channel
            plan (:func:`plan_shifts` with a requirement per channel); empty: every channel.

    Raises:
        InvalidValueError: For a negative cost or count, a break outside the shift, a shift of
            a day or more, or neither (or both) of ``start``/``length`` and ``pattern``.

    Example:
        >>> from datetime import time, timedelta
        >>> t = ShiftTemplate(name="day", start=time(9), length=timedelta(hours=9),
        ...                   breaks=[(timedelta(hours=4), timedelta(hours=1))], days=["mon", "fri"])
        >>> t.days, t.paid_hours()
        ((0, 4), 8.0)
    """

    name: str = attrs.field(validator=attrs.validators.min_len(1))
    start: time | None = None
    length: timedelta | None = None
    breaks: tuple[tuple[timedelta, timedelta], ...] = attrs.field(default=(), converter=_breaks)
    days: tuple[int, ...] = attrs.field(default=tuple(range(7)), converter=_weekdays)
    cost: float | None = None
    min_count: int = 0
    max_count: int | None = None
    pattern: tuple[bool, ...] | None = attrs.field(default=None, converter=_pattern)
    channels: frozenset[str] = attrs.field(default=frozenset(), converter=_channel_set)

    def __attrs_post_init__(self) -> None:
        timed = self.start is not None and self.length is not None
        if timed == (self.pattern is not None) or (self.start is None) != (self.length is None):
            raise InvalidValueError(
                f"ShiftTemplate {self.name!r}: give start and length, or a pattern (not both)"
            )
        if self.length is not None and not timedelta(0) < self.length < timedelta(days=1):
            raise InvalidValueError(
                f"ShiftTemplate {self.name!r}: length must be positive and under a day, "
                f"got {self.length!r}"
            )
        for offset, duration in self.breaks:
            if self.length is None or offset < timedelta(0) or offset + duration > self.length:
                raise InvalidValueError(
                    f"ShiftTemplate {self.name!r}: break {offset}+{duration} is outside the shift"
                )
        if self.cost is not None and not (math.isfinite(self.cost) and self.cost >= 0):
            raise InvalidValueError(
                f"ShiftTemplate {self.name!r}: cost must be >= 0, got {self.cost!r}"
            )
        if self.min_count < 0 or (self.max_count is not None and self.max_count < self.min_count):
            raise InvalidValueError(
                f"ShiftTemplate {self.name!r}: counts must satisfy 0 <= min_count <= max_count, "
                f"got {self.min_count!r} and {self.max_count!r}"
            )

    def paid_hours(self, interval: timedelta | None = None) -> float:
        """Return the hours worked: the length minus the breaks (a pattern: its slots).

        Example:
            >>> from datetime import timedelta
            >>> ShiftTemplate(name="p", pattern=[0, 1, 1, 0]).paid_hours(timedelta(hours=6))
            12.0
        """
        if self.pattern is not None:
            step = interval.total_seconds() / 3600 if interval is not None else 1.0
            return sum(self.pattern) * step
        assert self.length is not None
        off = sum((d for _, d in self.breaks), timedelta(0))
        return (self.length - off).total_seconds() / 3600

    def unit_cost(self, interval: timedelta | None = None) -> float:
        """Return the cost of one shift (``cost``, else its paid hours).

        Example:
            >>> from datetime import time, timedelta
            >>> ShiftTemplate(name="x", start=time(8), length=timedelta(hours=4), cost=90).unit_cost()
            90.0
        """
        return float(self.cost) if self.cost is not None else self.paid_hours(interval)

    def worked_slots(self, interval: timedelta) -> list[int]:
        """Return the slots worked, counted from the start day's midnight (may pass a day).

        Example:
            >>> from datetime import time, timedelta
            >>> t = ShiftTemplate(name="n", start=time(22), length=timedelta(hours=4))
            >>> t.worked_slots(timedelta(hours=1))
            [22, 23, 24, 25]
        """
        if self.pattern is not None:
            return [k for k, on in enumerate(self.pattern) if on]
        assert self.start is not None
        assert self.length is not None
        begin = timedelta(
            hours=self.start.hour, minutes=self.start.minute, seconds=self.start.second
        )
        end = begin + self.length
        off = [(begin + o, begin + o + d) for o, d in self.breaks]
        first = math.ceil(begin / interval)
        slots = []
        k = first
        while (k + 1) * interval <= end:
            lo, hi = k * interval, (k + 1) * interval
            if not any(lo < b_end and b_start < hi for b_start, b_end in off):
                slots.append(k)
            k += 1
        return slots


@attrs.frozen(kw_only=True)
class ShiftAssignment:
    """How many of one template run on one day.

    Example:
        >>> from datetime import date
        >>> ShiftAssignment(day=date(2026, 1, 5), shift="early", count=3, cost=24.0).count
        3
    """

    day: date
    shift: str
    count: int
    cost: float


def _assignments(values: Iterable[ShiftAssignment]) -> tuple[ShiftAssignment, ...]:
    return tuple(values)


def _int_rows(rows: Iterable[Iterable[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(v) for v in row) for row in rows)


def _channel_rows(
    values: Mapping[str, Iterable[Iterable[int]]],
) -> FrozenDict[str, tuple[tuple[int, ...], ...]]:
    return FrozenDict({k: _int_rows(v) for k, v in values.items()})


@attrs.frozen(kw_only=True, repr=False)
class ShiftPlan(DictsReprMixin):
    """The shifts chosen, the coverage they give and how far from optimal the plan can be.

    Args:
        interval: The slot length.
        days: The planned days.
        assignments: The non-zero counts per day and template.
        required: Agents required per slot, one row per day.
        coverage: Agents working per slot, one row per day.
        cost: Total cost of the assignments.
        lower_bound: A lower bound on the cost of any plan that covers the requirement.
        gap: ``(cost - lower_bound) / lower_bound`` (0 when both are 0).
        method: ``"milp"`` (exact, scipy) or ``"greedy"``.
        optimal: Whether the plan is proven optimal.
        channels: The channels of a pooled plan (empty for a single requirement).
        channel_required: A pooled plan's requirement per channel, one row per day.
        served: Agents serving each channel per slot (a maximum assignment of the agents at
            work to the channels their shifts serve), one row per day.

    Example:
        >>> from datetime import time, timedelta
        >>> t = ShiftTemplate(name="am", start=time(0), length=timedelta(hours=12))
        >>> p = plan_shifts([[2, 1, 0, 0]], shifts=[t], interval=timedelta(hours=6))
        >>> p.coverage, p.under, p.over
        (((2, 2, 0, 0),), ((0, 0, 0, 0),), ((0, 1, 0, 0),))
    """

    __repr__ = DictsReprMixin._short_repr

    interval: timedelta
    days: tuple[date, ...]
    assignments: tuple[ShiftAssignment, ...] = attrs.field(converter=_assignments)
    required: tuple[tuple[int, ...], ...] = attrs.field(converter=_int_rows)
    coverage: tuple[tuple[int, ...], ...] = attrs.field(converter=_int_rows)
    cost: float
    lower_bound: float
    gap: float
    method: str
    optimal: bool
    channels: tuple[str, ...] = ()
    channel_required: FrozenDict[str, tuple[tuple[int, ...], ...]] = attrs.field(
        factory=FrozenDict, converter=_channel_rows
    )
    served: FrozenDict[str, tuple[tuple[int, ...], ...]] = attrs.field(
        factory=FrozenDict, converter=_channel_rows
    )

    def _serving(self) -> list[list[int]]:
        """Agents at work serving some requirement, per slot."""
        if not self.channels:
            return [
                [min(r, c) for r, c in zip(rr, cc, strict=True)]
                for rr, cc in zip(self.required, self.coverage, strict=True)
            ]
        return [
            [sum(self.served[ch][d][k] for ch in self.channels) for k in range(len(row))]
            for d, row in enumerate(self.required)
        ]

    @property
    def under(self) -> tuple[tuple[int, ...], ...]:
        """Agents missing per slot: required minus the agents serving it (in a pooled plan,
        summed over the channels).

        Example:
            >>> from datetime import time, timedelta
            >>> t = ShiftTemplate(name="am", start=time(0), length=timedelta(hours=12),
            ...                   max_count=1)
            >>> plan_shifts([[2, 1, 0, 0]], shifts=[t], interval=timedelta(hours=6)).under
            ((1, 0, 0, 0),)
        """
        return tuple(
            tuple(r - v for r, v in zip(rr, vv, strict=True))
            for rr, vv in zip(self.required, self._serving(), strict=True)
        )

    @property
    def over(self) -> tuple[tuple[int, ...], ...]:
        """Agents at work beyond the requirement per slot (in a pooled plan: not serving any
        channel's requirement).

        Example:
            >>> from datetime import time, timedelta
            >>> t = ShiftTemplate(name="am", start=time(0), length=timedelta(hours=12))
            >>> plan_shifts([[2, 1, 0, 0]], shifts=[t], interval=timedelta(hours=6)).over
            ((0, 1, 0, 0),)
        """
        return tuple(
            tuple(c - v for c, v in zip(cc, vv, strict=True))
            for cc, vv in zip(self.coverage, self._serving(), strict=True)
        )

    def to_dicts(self) -> list[Row]:
        """Return one row per assignment: ``day``, ``shift``, ``count``, ``cost``.

        Example:
            >>> from datetime import time, timedelta
            >>> t = ShiftTemplate(name="am", start=time(0), length=timedelta(hours=12))
            >>> plan_shifts([[2, 1, 0, 0]], shifts=[t], interval=timedelta(hours=6)).to_dicts()[0]
            {'day': datetime.date(2024, 1, 1), 'shift': 'am', 'count': 2, 'cost': 24.0}
        """
        return [attrs.asdict(a) for a in self.assignments]


@attrs.frozen
class _Problem:
    columns: list[tuple[int, ShiftTemplate, list[int]]]  # (day index, template, slots)
    costs: list[float]
    lower: list[int]
    upper: list[float]
    required: list[int]
    cap: int | None
    cap_rows: frozenset[int] | None = None  # the rows the cap holds on (None: every row)

    def capped(self, row: int) -> bool:
        return self.cap is not None and (self.cap_rows is None or row in self.cap_rows)


def _build(
    required: Sequence[Sequence[int]],
    days: Sequence[date],
    shifts: Sequence[ShiftTemplate],
    interval: timedelta,
    cost: Mapping[str, float] | None,
    cap: int | None,
) -> _Problem:
    n = slots_per_day(interval)
    total = len(days) * n
    columns = []
    for d, day in enumerate(days):
        for t in shifts:
            if day.weekday() not in t.days:
                continue
            slots = [d * n + k for k in t.worked_slots(interval) if d * n + k < total]
            columns.append((d, t, slots))
    costs = [
        float(cost[t.name]) if cost is not None and t.name in cost else t.unit_cost(interval)
        for _, t, _ in columns
    ]
    lower = [t.min_count for _, t, _ in columns]
    upper = [math.inf if t.max_count is None else float(t.max_count) for _, t, _ in columns]
    flat = [int(v) for row in required for v in row]
    return _Problem(columns, costs, lower, upper, flat, cap)


def _cover(problem: _Problem, x: Sequence[int]) -> list[int]:
    cov = [0] * len(problem.required)
    for (_, _, slots), k in zip(problem.columns, x, strict=True):
        if k:
            for s in slots:
                cov[s] += k
    return cov


def _simple_bound(problem: _Problem) -> float:
    """The better of two lower bounds that need no LP solver."""
    covering: dict[int, float] = {}
    per_slot = math.inf
    for (_, _, slots), c in zip(problem.columns, problem.costs, strict=True):
        if slots:
            per_slot = min(per_slot, c / len(slots))
        for s in slots:
            covering[s] = min(covering.get(s, math.inf), c)
    busiest = max(
        (r * covering[s] for s, r in enumerate(problem.required) if r > 0 and s in covering),
        default=0.0,
    )
    work = sum(r for s, r in enumerate(problem.required) if s in covering)
    total = work * per_slot if work else 0.0
    floor = sum(lo * c for lo, c in zip(problem.lower, problem.costs, strict=True))
    return max(busiest, total, floor)


def _greedy(problem: _Problem) -> list[int]:
    x = list(problem.lower)
    cov = _cover(problem, x)
    need = problem.required
    cap = problem.cap
    while True:
        best, best_score = -1, 0.0
        for j, ((_, _, slots), c) in enumerate(zip(problem.columns, problem.costs, strict=True)):
            if x[j] >= problem.upper[j]:
                continue
            if cap is not None and any(cov[s] >= cap for s in slots if problem.capped(s)):
                continue
            gain = sum(1 for s in slots if cov[s] < need[s])
            if gain == 0:
                continue
            score = gain / c if c > 0 else math.inf
            if score > best_score:
                best, best_score = j, score
        if best < 0:
            break
        x[best] += 1
        for s in problem.columns[best][2]:
            cov[s] += 1
    _prune(problem, x, cov)
    return _improve(problem, x, cov)


def _prune(problem: _Problem, x: list[int], cov: list[int]) -> None:
    """Drop shifts the others make redundant, dearest first (in place)."""
    need = problem.required
    for j in sorted(range(len(x)), key=lambda j: -problem.costs[j]):
        slots = problem.columns[j][2]
        while x[j] > problem.lower[j] and all(cov[s] - 1 >= need[s] for s in slots):
            x[j] -= 1
            for s in slots:
                cov[s] -= 1


def _cost(problem: _Problem, x: Sequence[int]) -> float:
    return math.fsum(k * c for k, c in zip(x, problem.costs, strict=True))


def _improve(problem: _Problem, x: list[int], cov: list[int], passes: int = 20) -> list[int]:
    """Local search: move one shift to a neighbouring template when that lets others be dropped."""
    need, cols, cap = problem.required, problem.columns, problem.cap
    size = len(cols)
    for _ in range(passes):
        improved = False
        for j in range(size):
            if x[j] <= problem.lower[j]:
                continue
            here = set(cols[j][2])
            for jj in (j - 1, j + 1, j - 2, j + 2):
                if not 0 <= jj < size or x[jj] >= problem.upper[jj]:
                    continue
                there = set(cols[jj][2])
                lost, gained = here - there, there - here
                if any(cov[s] - 1 < need[s] for s in lost):
                    continue
                if cap is not None and any(cov[s] + 1 > cap for s in gained if problem.capped(s)):
                    continue
                trial_x, trial_cov = list(x), list(cov)
                trial_x[j] -= 1
                trial_x[jj] += 1
                for s in lost:
                    trial_cov[s] -= 1
                for s in gained:
                    trial_cov[s] += 1
                _prune(problem, trial_x, trial_cov)
                if _cost(problem, trial_x) < _cost(problem, x) - 1e-9:
                    x, cov, improved = trial_x, trial_cov, True
                    break
        if not improved:
            break
    return x


def _milp(problem: _Problem, time_limit: float) -> tuple[list[int], float, bool]:
    """Solve exactly with scipy; shortage is allowed at a prohibitive price, so it is always feasible."""
    np_ = importlib.import_module("numpy")
    opt = importlib.import_module("scipy.optimize")
    sparse = importlib.import_module("scipy.sparse")
    n_cols, n_rows = len(problem.columns), len(problem.required)
    rows, cols = [], []
    for j, (_, _, slots) in enumerate(problem.columns):
        rows.extend(slots)
        cols.extend([j] * len(slots))
    a = sparse.csr_array(
        (np_.ones(len(rows)), (np_.array(rows, dtype=int), np_.array(cols, dtype=int))),
        shape=(n_rows, n_cols),
    )
    penalty = 1000.0 * (max(problem.costs, default=1.0) or 1.0)
    short = sparse.identity(n_rows, format="csr")
    matrix = sparse.hstack([a, short], format="csr")
    c = np_.concatenate([np_.asarray(problem.costs, dtype=float), np_.full(n_rows, penalty)])
    need = np_.asarray(problem.required, dtype=float)
    constraints = [opt.LinearConstraint(matrix, lb=need, ub=np_.inf)]
    if problem.cap is not None:
        padded = sparse.hstack([a, sparse.csr_array((n_rows, n_rows))], format="csr")
        if problem.cap_rows is not None:
            padded = padded[np_.asarray(sorted(problem.cap_rows), dtype=int)]
        constraints.append(opt.LinearConstraint(padded, lb=-np_.inf, ub=float(problem.cap)))
    bounds = opt.Bounds(
        np_.concatenate([np_.asarray(problem.lower, dtype=float), np_.zeros(n_rows)]),
        np_.concatenate([np_.asarray(problem.upper, dtype=float), need]),
    )
    integrality = np_.concatenate([np_.ones(n_cols), np_.zeros(n_rows)])
    res = opt.milp(
        c, constraints=constraints, bounds=bounds, integrality=integrality,
        options={"time_limit": time_limit},
    )  # fmt: skip
    if res.x is None:
        raise InvalidValueError(
            f"plan_shifts: no plan respects the counts and the cap ({res.message})"
        )
    x = [round(v) for v in res.x[:n_cols]]
    bound = float(getattr(res, "mip_dual_bound", math.nan))
    return x, bound, bool(res.status == 0)


Requirement = StaffingPlan | Sequence[Sequence[int]]
"""Agents required: a :class:`~cs8.staffing.StaffingPlan`, or rows of agents per slot, one per day."""


def _rows_of(
    requirement: Requirement, interval: timedelta | None, start: date | None
) -> tuple[list[list[int]], list[date], timedelta]:
    if isinstance(requirement, StaffingPlan):
        step = requirement.interval
        n = slots_per_day(step)
        rows = [
            list(requirement.scheduled[i * n : (i + 1) * n]) for i in range(len(requirement.days))
        ]
        return rows, list(requirement.days), step
    if interval is None:
        raise InvalidValueError("plan_shifts: give interval= with rows of requirements")
    n = slots_per_day(interval)
    rows = [list(r) for r in requirement]
    first = start or date(2024, 1, 1)
    for i, row in enumerate(rows):
        if len(row) != n:
            raise InvalidValueError(
                f"plan_shifts: day {i} has {len(row)} slots, expected {n} for {interval}"
            )
    return rows, [first + timedelta(days=k) for k in range(len(rows))], interval


def _per_channel(
    requirement: Mapping[str, Requirement], interval: timedelta | None, start: date | None
) -> tuple[dict[str, list[list[int]]], list[date], timedelta]:
    """Each channel's rows, checked to cover the same days in the same interval."""
    if not requirement:
        raise InvalidValueError("plan_shifts: the requirement per channel is empty")
    out: dict[str, list[list[int]]] = {}
    days: list[date] = []
    step: timedelta | None = None
    for channel, need in requirement.items():
        rows, its_days, its_step = _rows_of(need, interval, start)
        if step is not None and (its_days != days or its_step != step):
            raise InvalidValueError(
                f"plan_shifts: channel {channel!r} covers other days or another interval than "
                f"{next(iter(requirement))!r}"
            )
        out[str(channel)], days, step = rows, its_days, its_step
    assert step is not None
    return out, days, step


def _pooled(
    problem: _Problem, per_channel: Mapping[str, list[list[int]]]
) -> tuple[_Problem, list[str]]:
    """The covering programme of a pooled rota: one row per slot and set of channels."""
    channels = list(per_channel)
    flat = {c: [v for row in rows for v in row] for c, rows in per_channel.items()}
    rows, need, totals = expand_rows(
        channels,
        [t.channels for _, t, _ in problem.columns],
        [s for _, _, s in problem.columns],
        flat,
    )
    columns = [(d, t, r) for (d, t, _), r in zip(problem.columns, rows, strict=True)]
    pooled = _Problem(
        columns, problem.costs, problem.lower, problem.upper, need, problem.cap, frozenset(totals)
    )
    return pooled, channels


def _served(
    problem: _Problem, x: Sequence[int], per_channel: Mapping[str, list[list[int]]], n: int
) -> dict[str, list[list[int]]]:
    """Agents serving each channel per slot: a maximum flow in each slot."""
    channels = list(per_channel)
    total = len(problem.required)
    groups: list[dict[frozenset[str], int]] = [{} for _ in range(total)]
    for (_, t, slots), k in zip(problem.columns, x, strict=True):
        skill = t.channels or frozenset(channels)
        for s in slots if k else ():
            groups[s][skill] = groups[s].get(skill, 0) + k
    out = {c: [[0] * n for _ in range(total // n)] for c in channels}
    for s in range(total):
        need = {c: per_channel[c][s // n][s % n] for c in channels}
        for c, k in serve(groups[s], need).items():
            out[c][s // n][s % n] = k
    return out


def plan_shifts(
    requirement: Requirement | Mapping[str, Requirement],
    *,
    shifts: Sequence[ShiftTemplate],
    cost: Mapping[str, float] | None = None,
    interval: timedelta | None = None,
    start: date | None = None,
    max_per_interval: int | None = None,
    method: str = "auto",
    time_limit: float = 30.0,
) -> ShiftPlan:
    """Choose how many of each shift to run each day to cover the requirement at least cost.

    With a requirement per channel (a mapping), the rota is pooled: an agent on a shift serves
    any of the shift's ``channels`` (all channels when it names none), and the plan covers every
    channel's requirement in every slot (see :mod:`cs8.staffing._pooled`).

    Args:
        requirement: A :class:`~cs8.staffing.StaffingPlan` (its ``scheduled`` agents), or rows of
            agents required per slot, one row per consecutive day; or a mapping from channel to
            either, for a pooled multi-channel rota.
        shifts: The templates that may be worked.
        cost: Template name -> cost of one shift, overriding the templates' own.
        interval: Slot length of plain rows (a plan carries its own).
        start: The first day of plain rows (default 2024-01-01, a Monday).
        max_per_interval: Most agents at work in any slot.
        method: ``"milp"`` (needs scipy), ``"greedy"``, or ``"auto"`` (milp when scipy is
            installed).
        time_limit: Seconds the exact solver may take; past it the best plan found is returned
            with its gap.

    Raises:
        InvalidValueError: For rows of the wrong width, an unknown method, counts and a cap
            no plan can respect, channels covering different days, or a shift serving a
            channel that is not required.
        MissingExtraError: If ``method="milp"`` and scipy is not installed.

    Example:
        >>> from datetime import time, timedelta
        >>> t = ShiftTemplate(name="day", start=time(8), length=timedelta(hours=8))
        >>> p = plan_shifts([[0] * 8 + [2] * 8 + [0] * 8], shifts=[t], interval=timedelta(hours=1),
        ...                 method="greedy")
        >>> p.assignments[0].count, p.method, p.gap
        (2, 'greedy', 0.0)

        Pooled: phone-only agents are cheaper; the chat needs one agent who takes both, and
        that agent counts towards nothing else.

        >>> phone = ShiftTemplate(name="phone", start=time(0), length=timedelta(hours=12),
        ...                       channels=["phone"], cost=10)
        >>> both = ShiftTemplate(name="both", start=time(0), length=timedelta(hours=12),
        ...                      channels=["phone", "chat"], cost=12)
        >>> p = plan_shifts({"phone": [[2, 0]], "chat": [[1, 0]]}, shifts=[phone, both],
        ...                 interval=timedelta(hours=12))
        >>> [(a.shift, a.count) for a in p.assignments], p.cost, p.served["chat"], p.under
        ([('phone', 2), ('both', 1)], 32.0, ((1, 0),), ((0, 0),))
    """
    per_channel: dict[str, list[list[int]]] = {}
    if isinstance(requirement, Mapping):
        per_channel, days, interval = _per_channel(requirement, interval, start)
        rows = [
            [sum(per_channel[c][d][k] for c in per_channel) for k in range(len(row))]
            for d, row in enumerate(next(iter(per_channel.values())))
        ]
    else:
        rows, days, interval = _rows_of(requirement, interval, start)
    n = slots_per_day(interval)
    if method not in ("auto", "milp", "greedy"):
        raise InvalidValueError(f"method must be 'auto', 'milp' or 'greedy', got {method!r}")
    have_scipy = importlib.util.find_spec("scipy") is not None
    if method == "milp" and not have_scipy:
        from cs8._optional import require

        require("scipy", "staffing", "plan_shifts(method='milp')")
    problem = _build(rows, days, shifts, interval, cost, max_per_interval)
    solved, channels = _pooled(problem, per_channel) if per_channel else (problem, [])
    exact = method == "milp" or (method == "auto" and have_scipy)
    if exact:
        x, bound, optimal = _milp(solved, time_limit)
        used = "milp"
    else:
        x = _greedy(solved)
        bound, optimal, used = _simple_bound(solved), False, "greedy"
    total = math.fsum(k * c for k, c in zip(x, solved.costs, strict=True))
    cov = _cover(problem, x)
    shortage = sum(max(0, r - c) for r, c in zip(solved.required, _cover(solved, x), strict=True))
    if shortage or math.isnan(bound):
        bound = min(bound, total) if not math.isnan(bound) else _simple_bound(solved)
    bound = min(bound, total)
    gap = 0.0 if total == bound else (total - bound) / bound if bound > 0 else math.inf
    if optimal:
        gap = max(0.0, gap) if gap > 1e-9 else 0.0
    assignments = [
        ShiftAssignment(day=days[d], shift=t.name, count=k, cost=k * c)
        for (d, t, _), k, c in zip(problem.columns, x, problem.costs, strict=True)
        if k
    ]
    return ShiftPlan(
        interval=interval,
        days=tuple(days),
        assignments=assignments,
        required=rows,
        coverage=[cov[i * n : (i + 1) * n] for i in range(len(days))],
        cost=total,
        lower_bound=bound,
        gap=gap,
        method=used,
        optimal=optimal and shortage == 0,
        channels=tuple(channels),
        channel_required=per_channel,
        served=_served(problem, x, per_channel, n) if per_channel else {},
    )
