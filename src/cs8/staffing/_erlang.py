"""Erlang B, Erlang C and Erlang A (with abandonment) for one interval and a number of agents.

Up to 2,000 agents the models are computed from the Erlang B recursion

    B(0, A) = 1,    B(n, A) = A * B(n - 1, A) / (n + A * B(n - 1, A)),

which stays in ``(0, 1]`` at every step, so no factorial or power of ``A`` is ever formed
(Jagerman, "Some properties of the Erlang loss function", Bell System Technical Journal 53(3), 1974).
Above that, ``1 / B(n, A)`` is the integral ``A * integral_0^inf exp(-A t) (1 + t)^n dt`` (the
same paper, eq. 9), evaluated in log space by adaptive Simpson around its single peak: its cost does
not grow with the traffic, so 10^9 Erlangs take milliseconds. Erlang C follows from Erlang B as
``C(n, A) = n * B / (n - A * (1 - B))`` for ``n > A``.

Erlang A (M/M/n+M: Poisson arrivals, exponential handle times and exponential patience; Palm 1946,
Garnett, Mandelbaum and Reiman, "Designing a call center with impatient customers", Manufacturing &
Service Operations Management 4(3), 2002, doi:10.1287/msom.4.3.208.7753) is solved exactly from its
birth-death chain: below ``n`` calls the chain is Erlang's, above it the death rate is
``n * mu + j * theta`` with ``j`` calls waiting, and the queue part is summed until its terms fall
below ``1e-20`` of the largest (the standard truncation). The waiting-time distribution is the
one of Mandelbaum and Zeltyn, "The M/M/n+G queue: summary of performance measures" (Technion, 2009).
A chain that would need more than 50,000 queue states (a patience very long against the load)
raises :class:`~cs8.exceptions.StaffingError` at once instead of running for seconds.

Example:
    >>> round(erlang_c_probability(10.0, 14), 4)
    0.1741
    >>> 0.0 < erlang_b(1e9, 1_000_010_000) < 1.0
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from fractions import Fraction
from typing import ClassVar

import attrs

from cs8._display import DictReprMixin
from cs8.exceptions import InvalidValueError, StaffingError

__all__ = [
    "ErlangA",
    "Staffing",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_probability",
]

_TRUNCATION = 46.0
"""Queue terms below ``exp(-46)`` (about 1e-20) of the largest are dropped."""

_MAX_QUEUE_TERMS = 50_000
"""Erlang A chains needing more queue states than this raise instead of running for seconds."""

_RECURSION_AGENTS = 2_000
"""Up to this many agents Erlang B runs its recursion; above it, the integral form."""


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
    if agents > _RECURSION_AGENTS and traffic > 0.0:
        return math.exp(_log_erlang_b_integral(traffic, agents))
    b = 1.0
    for n in range(1, agents + 1):
        ab = traffic * b
        b = ab / (n + ab)
    return b


def _log_erlang_b_integral(traffic: float, agents: int) -> float:
    """Return ``log B(n, A)`` from ``1 / B = A * integral_0^inf exp(n log1p(t) - A t) dt``."""
    a, n = traffic, float(agents)

    def f(t: float) -> float:
        return n * math.log1p(t) - a * t

    peak = max(0.0, n / a - 1.0)
    f_peak = f(peak)
    width = (1.0 + peak) / math.sqrt(n)
    if peak == 0.0 and a > n:
        width = min(width, 1.0 / (a - n))
    # Bracket the peak where the integrand has fallen below exp(-46) of it (or hit t = 0).
    step = width
    while f_peak - f(peak + step) < _TRUNCATION:
        step *= 2.0
    hi = peak + step
    lo, step = peak, width
    while lo > 0.0:
        lo = max(0.0, peak - step)
        if f_peak - f(lo) >= _TRUNCATION:
            break
        step *= 2.0

    def g(t: float) -> float:
        return math.exp(f(t) - f_peak)

    integral = _adaptive_simpson(g, lo, peak) + _adaptive_simpson(g, peak, hi)
    return -(math.log(a) + f_peak + math.log(integral))


def erlang_b(traffic: float, agents: int) -> float:
    """Return the Erlang B blocking probability of ``agents`` servers offered ``traffic`` Erlangs.

    Computed with the recursion ``B(n) = A B(n-1) / (n + A B(n-1))`` up to 2,000 agents and from
    its integral form above (never with factorials), so any traffic answers in milliseconds.

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


# The fields printed as percentages (cs8._display's number format).
_SHARES = frozenset(
    {
        "shrinkage",
        "wait_probability",
        "service_level",
        "occupancy",
        "abandon_probability",
        "blocking_probability",
    }
)
_TITLES = {"erlang_a": "Staffing (Erlang A)", "erlang_b": "Staffing (Erlang B)"}


@attrs.frozen(kw_only=True)
class Staffing(DictReprMixin):
    """The Erlang C (or Erlang A, or Erlang B) view of a queue with a given number of agents.

    Args:
        traffic: Offered traffic in Erlangs (``calls x aht / period``).
        agents: Agents answering (for :func:`required_agents`, the fewest that meet every target).
        scheduled: Agents to schedule so that ``agents`` are available after ``shrinkage``:
            ``ceil(agents / (1 - shrinkage))``.
        shrinkage: Fraction of scheduled time not spent answering (breaks, training, absence).
        wait_probability: Probability that a call waits (Erlang C).
        service_level: Probability that a call is answered within ``target_answer_time``:
            ``1 - C x exp(-(agents - traffic) x target_answer_time / aht)``; without a
            ``target_answer_time``, the probability of being answered at once.
        asa: Average speed of answer over all calls: ``C x aht / (agents - traffic)``.
        occupancy: Fraction of agent time spent handling calls: ``traffic / agents``.
        target_answer_time: The service-level threshold, or ``None`` when none was set.
        aht: Average handle time used.
        model: ``"erlang_c"``; ``"erlang_a"`` when :func:`required_agents` was given a
            patience (then ``service_level``, ``asa`` and ``occupancy`` are those of
            :class:`ErlangA`); ``"erlang_b"`` for a ``max_blocking`` target (no queue: calls that
            find every agent busy are lost, ``service_level`` is ``1 - blocking`` and
            ``occupancy`` counts the carried traffic).
        abandon_probability: Probability that a caller hangs up (0 under Erlang C).
        patience: The mean patience used by Erlang A, else ``None``.
        blocking_probability: Probability that a call is lost (Erlang B), else 0.

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
    target_answer_time: timedelta | None
    aht: timedelta
    model: str = "erlang_c"
    abandon_probability: float = 0.0
    patience: timedelta | None = None
    blocking_probability: float = 0.0

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

    _percent: ClassVar[frozenset[str]] = _SHARES

    def _title(self) -> str:
        return _TITLES.get(self.model, "Staffing (Erlang C)")


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
    target_s: float | None,
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
        service_level=1.0 - c * math.exp(-gap * (target_s or 0.0) / aht_s),
        asa=_duration(c * aht_s / gap, "average speed of answer", traffic, agents),
        occupancy=traffic / agents,
        target_answer_time=None if target_s is None else timedelta(seconds=target_s),
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


# --------------------------------------------------------------------------------------------------
# Erlang A


@attrs.frozen(kw_only=True)
class ErlangA(DictReprMixin):
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

    _percent: ClassVar[frozenset[str]] = _SHARES

    def _title(self) -> str:
        return "Staffing (Erlang A)"


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


def _too_many_states(traffic: float, agents: int, theta: float) -> StaffingError:
    return StaffingError(
        f"Erlang A with agents={agents}, traffic={traffic:.6g} Erlangs and patience "
        f"{1 / theta:.6g} handle times needs more than {_MAX_QUEUE_TERMS:,} queue states; at this "
        f"load and patience use Erlang C (no patience), which it approaches"
    )


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
    if lam > 0.0:
        # States past the peak until the terms fall by exp(-46): about sqrt(2 * 46 * lam / theta)
        # when the chain is near balance, 46 / log((n + theta) / lam) when it is well staffed.
        drop = math.log((n + theta) / lam) if n + theta > lam else 0.0
        tail = math.sqrt(2.0 * _TRUNCATION * lam / theta)
        if drop > 0.0:
            tail = min(tail, _TRUNCATION / drop)
        if peak + tail > _MAX_QUEUE_TERMS:
            raise _too_many_states(traffic, agents, theta)
    while True:
        j += 1
        log_t += math.log(lam / (n + j * theta)) if lam > 0 else -math.inf
        if log_t > top:
            top = log_t
        if j > peak and log_t < top - _TRUNCATION:
            break
        if j > _MAX_QUEUE_TERMS:
            raise _too_many_states(traffic, agents, theta)
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
        StaffingError: If the chain needs more than 50,000 queue states (a patience very long
            against an overload, or hundreds of millions of Erlangs).

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
