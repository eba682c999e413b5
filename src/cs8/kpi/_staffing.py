"""Staffing maths: Erlang B, Erlang C and Erlang A (with abandonment), and how many agents to staff.

All three models are computed from the Erlang B recursion

    B(0, A) = 1,    B(n, A) = A * B(n - 1, A) / (n + A * B(n - 1, A)),

which stays in ``(0, 1]`` at every step, so no factorial or power of ``A`` is ever formed and 16,667
Erlangs need nothing but floats (Jagerman, "Some properties of the Erlang loss function", Bell System
Technical Journal 53(3), 1974). Erlang C follows from Erlang B as
``C(n, A) = n * B / (n - A * (1 - B))`` for ``n > A``.

Erlang A (M/M/n+M: Poisson arrivals, exponential handle times and exponential patience; Palm 1946,
Garnett, Mandelbaum and Reiman, "Designing a call center with impatient customers", Manufacturing &
Service Operations Management 4(3), 2002, doi:10.1287/msom.4.3.208.7753) is solved exactly from its
birth-death chain: below ``n`` calls the chain is Erlang's, above it the death rate is
``n * mu + j * theta`` with ``j`` calls waiting, and the queue part is summed until its terms fall
below ``1e-20`` of the largest (the standard truncation). The waiting-time distribution is the
one of Mandelbaum and Zeltyn, "The M/M/n+G queue: summary of performance measures" (Technion, 2009).

Example:
    >>> from datetime import timedelta
    >>> s = required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
    ...                     target_answer_time=timedelta(seconds=20), shrinkage=0.3)
    >>> s.traffic, s.agents, s.scheduled, round(s.service_level, 4)
    (10.0, 14, 20, 0.8884)
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from datetime import timedelta
from fractions import Fraction

import attrs

from cs8.exceptions import InvalidValueError, StaffingError

__all__ = [
    "ErlangA",
    "Staffing",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
    "required_agents",
]

_TRUNCATION = 46.0
"""Queue terms below ``exp(-46)`` (about 1e-20) of the largest are dropped."""

_MAX_QUEUE_TERMS = 5_000_000


# --------------------------------------------------------------------------------------------------
# Rendering shared by the results of this package's staffing, survey and customer modules


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, timedelta):
        return f"{value.total_seconds():.6g} s"
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value) if value else "-"
    return str(value)


def _text_table(title: str, fields: Mapping[str, object]) -> str:
    width = max((len(k) for k in fields), default=0)
    lines = [title]
    lines.extend(f"  {key.ljust(width)}  {_fmt(value)}" for key, value in fields.items())
    return "\n".join(lines)


def _html_table(title: str, fields: Mapping[str, object]) -> str:
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:right'>{html.escape(_fmt(v))}</td></tr>"
        for k, v in fields.items()
    )
    return f"<table><caption>{html.escape(title)}</caption>{rows}</table>"


# --------------------------------------------------------------------------------------------------
# Argument checks


def _seconds(value: object, name: str, *, positive: bool) -> float:
    if not isinstance(value, timedelta):
        raise InvalidValueError(f"{name} must be a timedelta, got {value!r}")
    seconds = value.total_seconds()
    if seconds < 0 or (positive and seconds == 0):
        bound = "positive" if positive else "non-negative"
        raise InvalidValueError(f"{name} must be {bound}, got {value!r}")
    return seconds


def _number(value: object, name: str, low: float, high: float, *, open_high: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValueError(f"{name} must be a finite number, got {value!r}")
    if value < low or value > high or (open_high and value == high):
        bracket = ")" if open_high else "]"
        raise InvalidValueError(f"{name} must be in [{low:g}, {high:g}{bracket}, got {value!r}")
    return float(value)


def _agents(value: object, name: str = "agents") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def _traffic(traffic: object) -> float:
    return _number(traffic, "traffic", 0.0, math.inf)


def _offered(calls: object, period: object, aht: object) -> tuple[float, float]:
    """Return (traffic in Erlangs, AHT in seconds)."""
    n_calls = _number(calls, "calls", 0.0, math.inf)
    period_s = _seconds(period, "period", positive=True)
    aht_s = _seconds(aht, "aht", positive=True)
    return n_calls * aht_s / period_s, aht_s


def _scheduled(agents: int, shrinkage: float) -> int:
    exact = Fraction(agents) / (1 - Fraction(repr(shrinkage)))
    return math.ceil(exact)


# --------------------------------------------------------------------------------------------------
# Erlang B and C


def _erlang_b(traffic: float, agents: int) -> float:
    b = 1.0
    for n in range(1, agents + 1):
        ab = traffic * b
        b = ab / (n + ab)
    return b


def erlang_b(traffic: float, agents: int) -> float:
    """Return the Erlang B blocking probability of ``agents`` servers offered ``traffic`` Erlangs.

    Computed with the recursion ``B(n) = A B(n-1) / (n + A B(n-1))``, never with factorials.

    Args:
        traffic: Offered traffic ``A`` in Erlangs (arrival rate times mean holding time).
        agents: Number of servers ``n`` (0 or more).

    Raises:
        InvalidValueError: If ``traffic`` is negative or not finite, or ``agents`` is negative.

    Example:
        >>> round(erlang_b(8.108, 15), 5)  # 15 lines carry 8.108 Erlangs at 1 % blocking
        0.01
    """
    a = _traffic(traffic)
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 0:
        raise InvalidValueError(f"agents must be a non-negative integer, got {agents!r}")
    return _erlang_b(a, agents)


def _c_from_b(b: float, traffic: float, agents: int) -> float:
    return agents * b / (agents - traffic * (1.0 - b))


def _check_stable(traffic: float, agents: int) -> None:
    if agents <= traffic:
        raise StaffingError(
            f"Erlang C needs more agents than the offered traffic: agents={agents} <= "
            f"traffic={traffic:.6g} Erlangs, so the queue grows without bound; add agents or use "
            f"erlang_a(), which models callers who hang up"
        )


def erlang_c_probability(traffic: float, agents: int) -> float:
    """Return the Erlang C probability that a call waits, ``C(n, A) = n B / (n - A (1 - B))``.

    Args:
        traffic: Offered traffic ``A`` in Erlangs.
        agents: Number of agents ``n``; must exceed ``traffic``.

    Raises:
        StaffingError: If ``agents <= traffic`` (the queue would grow without bound).

    Example:
        >>> round(erlang_c_probability(10.0, 14), 4)
        0.1741
    """
    a = _traffic(traffic)
    n = _agents(agents)
    _check_stable(a, n)
    return _c_from_b(_erlang_b(a, n), a, n)


def _title(staffing: Staffing) -> str:
    return "Staffing (Erlang A)" if staffing.model == "erlang_a" else "Staffing (Erlang C)"


@attrs.frozen(kw_only=True)
class Staffing:
    """The Erlang C (or, with a patience, Erlang A) view of a queue with a given number of agents.

    Args:
        traffic: Offered traffic in Erlangs (``calls x aht / period``).
        agents: Agents answering (for :func:`required_agents`, the fewest that meet every target).
        scheduled: Agents to schedule so that ``agents`` are available after ``shrinkage``:
            ``ceil(agents / (1 - shrinkage))``.
        shrinkage: Fraction of scheduled time not spent answering (breaks, training, absence).
        wait_probability: Probability that a call waits (Erlang C).
        service_level: Probability that a call is answered within ``target_answer_time``:
            ``1 - C x exp(-(agents - traffic) x target_answer_time / aht)``.
        asa: Average speed of answer over all calls: ``C x aht / (agents - traffic)``.
        occupancy: Fraction of agent time spent handling calls: ``traffic / agents``.
        target_answer_time: The service-level threshold.
        aht: Average handle time used.
        model: ``"erlang_c"``, or ``"erlang_a"`` when :func:`required_agents` was given a
            patience; then ``service_level``, ``asa`` and ``occupancy`` are those of
            :class:`ErlangA`.
        abandon_probability: Probability that a caller hangs up (0 under Erlang C).
        patience: The mean patience used by Erlang A, else ``None``.

    Example:
        >>> from datetime import timedelta
        >>> s = erlang_c(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...              agents=14, target_answer_time=timedelta(seconds=20))
        >>> round(s.wait_probability, 4), round(s.occupancy, 4), round(s.asa.total_seconds(), 1)
        (0.1741, 0.7143, 7.8)
    """

    traffic: float
    agents: int
    scheduled: int
    shrinkage: float = 0.0
    wait_probability: float
    service_level: float
    asa: timedelta
    occupancy: float
    target_answer_time: timedelta
    aht: timedelta
    model: str = "erlang_c"
    abandon_probability: float = 0.0
    patience: timedelta | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict.

        Example:
            >>> from datetime import timedelta
            >>> s = erlang_c(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
            ...              agents=14, target_answer_time=timedelta(seconds=20))
            >>> s.to_dict()["agents"]
            14
        """
        return attrs.asdict(self, recurse=False)

    def __str__(self) -> str:
        return _text_table(_title(self), self.to_dict())

    def _repr_html_(self) -> str:
        return _html_table(_title(self), self.to_dict())


_MAX_SECONDS = timedelta.max.total_seconds()


def _duration(seconds: float, what: str, traffic: float, agents: int) -> timedelta:
    if not seconds < _MAX_SECONDS:
        raise StaffingError(
            f"the {what} with agents={agents} and traffic={traffic!r} Erlangs is longer than a "
            f"timedelta can hold ({seconds:.3g} s): the agents are only just above the traffic"
        )
    return timedelta(seconds=seconds)


def _staffing(
    traffic: float,
    agents: int,
    b: float,
    aht_s: float,
    target_s: float,
    shrinkage: float,
) -> Staffing:
    c = _c_from_b(b, traffic, agents)
    gap = agents - traffic
    return Staffing(
        traffic=traffic,
        agents=agents,
        scheduled=_scheduled(agents, shrinkage),
        shrinkage=shrinkage,
        wait_probability=c,
        service_level=1.0 - c * math.exp(-gap * target_s / aht_s),
        asa=_duration(c * aht_s / gap, "average speed of answer", traffic, agents),
        occupancy=traffic / agents,
        target_answer_time=timedelta(seconds=target_s),
        aht=timedelta(seconds=aht_s),
    )


def erlang_c(
    *,
    calls: float,
    period: timedelta,
    aht: timedelta,
    agents: int,
    target_answer_time: timedelta,
    shrinkage: float = 0.0,
) -> Staffing:
    """Return the Erlang C waiting probability, service level, ASA and occupancy for ``agents``.

    Args:
        calls: Calls offered in ``period``.
        period: The length of the period.
        aht: Average handle time (talk + hold + wrap).
        agents: Agents answering.
        target_answer_time: The service-level threshold (e.g. 20 seconds in "80/20").
        shrinkage: Fraction of scheduled time lost; only sets ``scheduled``.

    Raises:
        StaffingError: If ``agents`` is not more than the offered traffic.
        InvalidValueError: If an argument is out of range.

    Example:
        >>> from datetime import timedelta
        >>> s = erlang_c(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...              agents=13, target_answer_time=timedelta(seconds=20))
        >>> round(s.service_level, 4)
        0.7956
        >>> erlang_c(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...          agents=10, target_answer_time=timedelta(seconds=20))
        Traceback (most recent call last):
        ...
        cs8.exceptions.StaffingError: Erlang C needs more agents than the offered traffic: agents=10 <= traffic=10 Erlangs, so the queue grows without bound; add agents or use erlang_a(), which models callers who hang up
    """
    traffic, aht_s = _offered(calls, period, aht)
    n = _agents(agents)
    target_s = _seconds(target_answer_time, "target_answer_time", positive=False)
    shrink = _number(shrinkage, "shrinkage", 0.0, 1.0, open_high=True)
    _check_stable(traffic, n)
    return _staffing(traffic, n, _erlang_b(traffic, n), aht_s, target_s, shrink)


def required_agents(
    *,
    calls: float,
    period: timedelta,
    aht: timedelta,
    target_answer_time: timedelta,
    service_level: float = 0.8,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience: timedelta | None = None,
) -> Staffing:
    """Return the fewest agents that answer ``service_level`` of calls within the target (Erlang C).

    The search starts at the first agent count above the traffic and steps up one agent at a time,
    carrying the Erlang B recursion along, so 16,667 Erlangs solve in a few milliseconds. With a
    ``patience`` the model is Erlang A instead (callers hang up), searched by galloping and
    bisection; abandoned calls count as not answered in time.

    Args:
        calls: Calls offered in ``period``.
        period: The length of the period.
        aht: Average handle time.
        target_answer_time: The service-level threshold.
        service_level: Fraction of calls to answer within ``target_answer_time``, in (0, 1).
        max_occupancy: If given, also require ``traffic / agents <= max_occupancy``.
        shrinkage: Fraction of scheduled time lost; ``scheduled = ceil(agents / (1 - shrinkage))``.
        patience: Mean time callers wait before hanging up; switches the model to Erlang A.

    Raises:
        InvalidValueError: If an argument is out of range.

    Example:
        >>> from datetime import timedelta
        >>> s = required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...                     target_answer_time=timedelta(seconds=20), max_occupancy=0.85,
        ...                     shrinkage=0.3)
        >>> s.agents, s.scheduled
        (14, 20)
        >>> a = required_agents(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...                     target_answer_time=timedelta(seconds=20),
        ...                     patience=timedelta(seconds=120))
        >>> a.model, a.agents, round(a.abandon_probability, 3)
        ('erlang_a', 12, 0.062)
    """
    traffic, aht_s = _offered(calls, period, aht)
    target_s = _seconds(target_answer_time, "target_answer_time", positive=False)
    goal = _number(service_level, "service_level", 0.0, 1.0, open_high=True)
    occupancy_cap = (
        None if max_occupancy is None else _number(max_occupancy, "max_occupancy", 0.0, 1.0)
    )
    if occupancy_cap == 0.0:
        raise InvalidValueError(f"max_occupancy must be positive, got {max_occupancy!r}")
    shrink = _number(shrinkage, "shrinkage", 0.0, 1.0, open_high=True)
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
            target_answer_time=timedelta(seconds=target_s),
            aht=timedelta(seconds=aht_s),
        )
    if patience is not None:
        patience_s = _seconds(patience, "patience", positive=True)
        return _required_erlang_a(traffic, aht_s, target_s, goal, occupancy_cap, shrink, patience_s)
    n = math.floor(traffic) + 1
    if occupancy_cap is not None:
        n = max(n, math.ceil(traffic / occupancy_cap))
    b = _erlang_b(traffic, n)
    decay = target_s / aht_s
    while True:
        gap = n - traffic
        c = n * b / (gap + traffic * b)
        if 1.0 - c * math.exp(-gap * decay) >= goal:
            return _staffing(traffic, n, b, aht_s, target_s, shrink)
        n += 1
        ab = traffic * b
        b = ab / (n + ab)


def _required_erlang_a(
    traffic: float,
    aht_s: float,
    target_s: float,
    goal: float,
    occupancy_cap: float | None,
    shrink: float,
    patience_s: float,
) -> Staffing:
    theta = aht_s / patience_s
    target = target_s / aht_s
    solved: dict[int, tuple[float, float, float, float, float, float]] = {}

    def ok(n: int) -> bool:
        if n not in solved:
            solved[n] = _erlang_a(traffic, n, theta, target)
        _, abandon, service, *_ = solved[n]
        occupancy = traffic * (1.0 - abandon) / n
        return service >= goal and (occupancy_cap is None or occupancy <= occupancy_cap)

    # Gallop from the traffic (where the answer usually is) to a failing and a passing count,
    # then bisect; service level and occupancy are monotone in the number of agents.
    start = max(1, math.ceil(traffic))
    step = 1
    if ok(start):
        hi, lo = start, start - step
        while lo >= 1 and ok(lo):
            hi, step = lo, step * 2
            lo = max(0, hi - step)
        lo = max(lo, 0)
    else:
        lo, hi = start, start + step
        while not ok(hi):
            lo, step = hi, step * 2
            hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mid >= 1 and ok(mid):
            hi = mid
        else:
            lo = mid
    wait, abandon, service, asa, _, _ = solved[hi]
    return Staffing(
        traffic=traffic,
        agents=hi,
        scheduled=_scheduled(hi, shrink),
        shrinkage=shrink,
        wait_probability=wait,
        service_level=service,
        asa=_duration(asa * aht_s, "average speed of answer", traffic, hi),
        occupancy=traffic * (1.0 - abandon) / hi,
        target_answer_time=timedelta(seconds=target_s),
        aht=timedelta(seconds=aht_s),
        model="erlang_a",
        abandon_probability=abandon,
        patience=timedelta(seconds=patience_s),
    )


# --------------------------------------------------------------------------------------------------
# Erlang A


@attrs.frozen(kw_only=True)
class ErlangA:
    """The Erlang A (M/M/n+M) view of a queue whose callers hang up when their patience runs out.

    Args:
        traffic: Offered traffic in Erlangs.
        agents: Agents answering.
        patience: Mean time a caller waits before hanging up.
        wait_probability: Probability that a call has to wait.
        abandon_probability: Probability that a call hangs up before being answered.
        service_level: Probability that a call is answered within ``target_answer_time``, over all
            calls offered (abandoned calls count as not answered in time).
        asa: Average wait of the answered calls.
        average_wait: Average time in queue over all calls, abandoned ones included.
        average_queue_length: Mean number of calls waiting.
        occupancy: Fraction of agent time spent handling calls: ``traffic x (1 - abandon) / agents``.
        target_answer_time: The service-level threshold.
        aht: Average handle time used.

    Example:
        >>> from datetime import timedelta
        >>> r = erlang_a(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...              agents=10, patience=timedelta(seconds=180),
        ...              target_answer_time=timedelta(seconds=20))
        >>> 0 < r.abandon_probability < r.wait_probability < 1
        True
    """

    traffic: float
    agents: int
    patience: timedelta
    wait_probability: float
    abandon_probability: float
    service_level: float
    asa: timedelta
    average_wait: timedelta
    average_queue_length: float
    occupancy: float
    target_answer_time: timedelta
    aht: timedelta

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict.

        Example:
            >>> from datetime import timedelta
            >>> r = erlang_a(calls=10, period=timedelta(hours=1), aht=timedelta(minutes=5),
            ...              agents=2, patience=timedelta(minutes=2),
            ...              target_answer_time=timedelta(0))
            >>> sorted(r.to_dict())[:3]
            ['abandon_probability', 'agents', 'aht']
        """
        return attrs.asdict(self, recurse=False)

    def __str__(self) -> str:
        return _text_table("Staffing (Erlang A)", self.to_dict())

    def _repr_html_(self) -> str:
        return _html_table("Staffing (Erlang A)", self.to_dict())


def _adaptive_simpson(func: Callable[[float], float], a: float, b: float) -> float:
    """Integrate a smooth function over [a, b] with adaptive Simpson's rule."""

    def simpson(fa: float, fm: float, fb: float, width: float) -> float:
        return width * (fa + 4.0 * fm + fb) / 6.0

    def recurse(
        lo: float,
        hi: float,
        flo: float,
        fmid: float,
        fhi: float,
        whole: float,
        tol: float,
        depth: int,
    ) -> float:
        mid = (lo + hi) / 2.0
        lm, rm = (lo + mid) / 2.0, (mid + hi) / 2.0
        flm, frm = func(lm), func(rm)
        left = simpson(flo, flm, fmid, mid - lo)
        right = simpson(fmid, frm, fhi, hi - mid)
        if depth <= 0 or abs(left + right - whole) <= 15.0 * tol:
            return left + right + (left + right - whole) / 15.0
        return recurse(lo, mid, flo, flm, fmid, left, tol / 2.0, depth - 1) + recurse(
            mid, hi, fmid, frm, fhi, right, tol / 2.0, depth - 1
        )

    if b <= a:
        return 0.0
    fa, fm, fb = func(a), func((a + b) / 2.0), func(b)
    whole = simpson(fa, fm, fb, b - a)
    # The integrand's peak is 1 (scaled), so an absolute tolerance is a relative one.
    return recurse(a, b, fa, fm, fb, whole, 1e-13 * (b - a), 48)


def _erlang_a(
    traffic: float, agents: int, theta: float, target: float
) -> tuple[float, float, float, float, float, float]:
    """Solve M/M/n+M in units of the handle time (mu = 1).

    Returns (wait probability, abandon probability, service level, mean wait of answered calls,
    mean wait of all calls, mean queue length).
    """
    lam, n = traffic, float(agents)
    # Queue part of the birth-death chain, relative to the state "n busy, none waiting":
    # t_0 = 1, t_j = t_{j-1} * lam / (n + j theta). Sum it in log space with the standard truncation.
    logs = [0.0]
    log_t, top, j = 0.0, 0.0, 0
    peak = (lam - n) / theta if lam > n else 0.0
    while True:
        j += 1
        log_t += math.log(lam / (n + j * theta)) if lam > 0 else -math.inf
        if log_t > top:
            top = log_t
        if j > peak and log_t < top - _TRUNCATION:
            break
        if j > _MAX_QUEUE_TERMS:
            raise StaffingError(
                f"Erlang A with agents={agents}, traffic={traffic:.6g} Erlangs and patience "
                f"{1 / theta:.6g} handle times needs more than {_MAX_QUEUE_TERMS} queue states; "
                f"the patience is too long for the load: use erlang_c() with more agents"
            )
        logs.append(log_t)
    weights = [math.exp(x - top) for x in logs]
    total = math.fsum(weights)
    log_sum = top + math.log(total)  # log(1 + S)
    q = [w / total for w in weights]  # where an arrival that waits finds the queue
    b = _erlang_b(lam, agents)
    wait = b / (math.exp(-log_sum) + b * (1.0 - math.exp(-log_sum))) if b > 0 else 0.0
    abandon_given_wait = math.fsum(
        qj * (k + 1) * theta / (n + (k + 1) * theta) for k, qj in enumerate(q)
    )
    queue_given_wait = math.fsum(k * qj for k, qj in enumerate(q))
    answered_wait = 0.0
    m = 0.0
    parts = []
    for k, qj in enumerate(q):
        rate = n + (k + 1) * theta
        m += 1.0 / rate
        parts.append(qj * (n / rate) * m)
    answered_wait = math.fsum(parts)

    # Service level: 1 - P(wait) + P(wait) * n / (1 + S) * integral_0^T exp(-theta x) g(x) dx with
    # g(x) = exp(lam (1 - exp(-theta x)) / theta - n x) (Mandelbaum and Zeltyn), scaled by its peak.
    def log_h(x: float) -> float:
        return lam * (-math.expm1(-theta * x)) / theta - (n + theta) * x

    x_peak = 0.0
    if lam > n + theta:
        x_peak = min(target, math.log(lam / (n + theta)) / theta)
    log_peak = log_h(x_peak)
    integral = 0.0
    if target > 0:

        def h(x: float) -> float:
            return math.exp(log_h(x) - log_peak)

        if 0.0 < x_peak < target:
            integral = _adaptive_simpson(h, 0.0, x_peak) + _adaptive_simpson(h, x_peak, target)
        else:
            integral = _adaptive_simpson(h, 0.0, target)
    in_time = n * math.exp(log_peak - log_sum) * integral if integral > 0 else 0.0
    service = min(1.0, max(0.0, 1.0 - wait + wait * in_time))
    abandon = wait * abandon_given_wait
    answered = 1.0 - abandon
    asa = wait * answered_wait / answered if answered > 0 else 0.0
    mean_queue = wait * queue_given_wait
    mean_wait = mean_queue / lam if lam > 0 else 0.0
    return wait, abandon, service, asa, mean_wait, mean_queue


def erlang_a(
    *,
    calls: float,
    period: timedelta,
    aht: timedelta,
    agents: int,
    patience: timedelta,
    target_answer_time: timedelta,
) -> ErlangA:
    """Return the Erlang A (M/M/n+M) waiting, abandonment and service level for ``agents``.

    Unlike Erlang C, Erlang A has an answer for any number of agents, even fewer than the traffic,
    because callers who wait too long hang up. As the patience grows without bound it tends to
    Erlang C.

    Args:
        calls: Calls offered in ``period``.
        period: The length of the period.
        aht: Average handle time.
        agents: Agents answering.
        patience: Mean time a caller is willing to wait (exponentially distributed).
        target_answer_time: The service-level threshold.

    Raises:
        InvalidValueError: If an argument is out of range.
        StaffingError: If the patience is so long against an overload that the queue has more
            than five million likely states.

    Example:
        >>> from datetime import timedelta
        >>> r = erlang_a(calls=100, period=timedelta(minutes=30), aht=timedelta(seconds=180),
        ...              agents=14, patience=timedelta(days=3650),
        ...              target_answer_time=timedelta(seconds=20))
        >>> round(r.service_level, 4), round(r.wait_probability, 4)  # Erlang C: 0.8884, 0.1741
        (0.8884, 0.1741)
    """
    traffic, aht_s = _offered(calls, period, aht)
    n = _agents(agents)
    patience_s = _seconds(patience, "patience", positive=True)
    target_s = _seconds(target_answer_time, "target_answer_time", positive=False)
    theta = aht_s / patience_s
    wait, abandon, service, asa, mean_wait, mean_queue = _erlang_a(
        traffic, n, theta, target_s / aht_s
    )
    return ErlangA(
        traffic=traffic,
        agents=n,
        patience=patience,
        wait_probability=wait,
        abandon_probability=abandon,
        service_level=service,
        asa=timedelta(seconds=asa * aht_s),
        average_wait=timedelta(seconds=mean_wait * aht_s),
        average_queue_length=mean_queue,
        occupancy=traffic * (1.0 - abandon) / n,
        target_answer_time=timedelta(seconds=target_s),
        aht=timedelta(seconds=aht_s),
    )
