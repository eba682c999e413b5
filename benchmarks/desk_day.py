"""Desk benchmark: a simulated helpdesk day replayed through a cs8.desk.Desk.

A day of 5,000 tickets over 10 hours for 50 agents (Zendesk-style capacity: phone 1, chat 3,
email 10; a blocking phone channel), about 30,000 webhook deliveries (opening, customer message,
agent reply, solve, some reopens; 2 % late, 2 % delivered twice), from
:func:`cs8.testing.desk_day.simulated_day`. It prints:

- the time per delivery (``Desk.open`` or ``Desk.record``): p50, p99 and the mean; and of the
  alarm rounds a service runs when :meth:`Desk.next_wakeup` comes (``Desk.alarms``);
- "what is due in the next hour" at several instants of the day: ``Desk.due_within`` against the
  peer, a full re-evaluation of every open ticket with ``SlaPolicy.evaluate`` (the two answers are
  checked to be equal), and the ratio;
- the same at 5,000 open tickets: a backlog opened over the day that nobody solves (agents
  away), with the clocks a reply restarts;
- the memory the desk holds at the end of the day and the peak (tracemalloc, over a second
  replay: tracing slows every allocation, so the timed replay runs without it).

Run:  python benchmarks/desk_day.py [--tickets N] [--agents N] [--seed S] [--quick]

The script prints figures and ratios; it never asserts timings.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cs8 import Agent, Message
from cs8.desk import Desk
from cs8.sla import SlaMetric, SlaResult, SlaState
from cs8.testing.desk_day import (
    DAY_START,
    SimulatedDay,
    day_policy,
    day_router,
    deliver,
    simulated_day,
)

ORDER = list(SlaMetric)


def full_due_within(desk: Desk, window: timedelta, now: datetime) -> tuple[SlaResult, ...]:
    """The peer: every open ticket's clocks evaluated at ``now``, filtered and sorted."""
    policy = desk.policy
    out = []
    for ticket_id in desk.tickets:
        ticket = desk.ticket(ticket_id)
        if not ticket.is_open:
            continue
        for r in policy.evaluate(ticket, now=max(now, ticket.created_at)):
            if (
                r.state is SlaState.ACTIVE
                and r.due_at is not None
                and now <= r.due_at <= now + window
            ):
                out.append(r)
    out.sort(key=lambda r: (r.due_at, r.ticket_id, ORDER.index(r.metric)))
    return tuple(out)


def open_count(desk: Desk) -> int:
    return sum(1 for t in desk.tickets if desk.ticket(t).is_open)


def compare(desk: Desk, now: datetime) -> tuple[float, float]:
    """Time ``Desk.due_within`` and the full re-evaluation for the next hour at ``now``; check
    they agree."""
    hour = timedelta(hours=1)
    clock = time.perf_counter
    ours_s = min(_timed(lambda: desk.due_within(hour, now=now)) for _ in range(3))
    start = clock()
    peer = full_due_within(desk, hour, now)
    peer_s = clock() - start
    assert desk.due_within(hour, now=now) == peer, "due_within differs from a full re-evaluation"
    return ours_s, peer_s


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def memory(day: SimulatedDay) -> None:
    """Replay the day again under tracemalloc: what the desk holds at the end, and the peak."""
    gc.collect()
    tracemalloc.start()
    desk = Desk(policy=day_policy(), router=day_router(), agents=day.agents, now=DAY_START)
    for d in day.deliveries:
        deliver(desk, d)
    desk.alarms(now=desk.now)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory (tracemalloc, a second replay): {current / 2**20:.1f} MiB held by the desk at "
        f"the end ({len(desk.tickets):,} tickets), peak {peak / 2**20:.1f} MiB"
    )


def backlog(tickets: int, seed: int) -> None:
    """Open ``tickets`` over the day with every agent away, reply to every third; compare."""
    policy, router = day_policy(), day_router()
    day = simulated_day(seed=seed, tickets=tickets, agents=1, late=0, duplicates=0)
    desk = Desk(
        policy=policy, router=router, agents=[Agent(id="away", status="away")], now=DAY_START
    )
    opened = [d.ticket for d in day.deliveries if d.ticket is not None]
    for n, ticket in enumerate(opened):
        desk.open(ticket, now=ticket.created_at)
        if n % 3 == 0:
            reply = Message(at=ticket.created_at + timedelta(minutes=5), author="agent")
            desk.record(ticket.id, reply)
    now = max(t.created_at for t in opened) + timedelta(minutes=10)
    desk.alarms(now=now)  # the service's alarm round at its wakeup
    print(f"backlog: {open_count(desk):,} open tickets, nobody solving")
    for step in range(4):
        at = now + step * timedelta(minutes=20)
        desk.alarms(now=at)
        ours_s, peer_s = compare(desk, at)
        answer = len(desk.due_within(timedelta(hours=1), now=at))
        print(
            f"  +{step * 20:>2} min: {answer:>4} clocks due within the hour: Desk.due_within "
            f"{ours_s * 1e3:7.3f} ms, full re-evaluation {peer_s * 1e3:7.1f} ms, "
            f"{peer_s / ours_s:5.0f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--quick", action="store_true", help="500 tickets, 10 agents")
    parser.add_argument("--no-memory", action="store_true", help="time without tracemalloc")
    args = parser.parse_args(argv)
    if args.quick:
        args.tickets, args.agents = 500, 10

    day = simulated_day(seed=args.seed, tickets=args.tickets, agents=args.agents)
    policy, router = day_policy(), day_router()
    print(
        f"day: {args.tickets:,} tickets, {args.agents} agents, "
        f"{len(day.deliveries):,} deliveries (seed {args.seed})"
    )

    gc.collect()
    desk = Desk(policy=policy, router=router, agents=day.agents, now=DAY_START)
    times: list[float] = []
    alarm_times: list[float] = []
    alarms = 0
    checkpoints = {len(day.deliveries) * k // 8 for k in range(1, 8)}
    rows: list[tuple[float, float, int, int]] = []
    clock = time.perf_counter
    wake = desk.next_wakeup()
    for n, d in enumerate(day.deliveries):
        if wake is not None and wake <= d.at:  # the service's timer fires: an alarm round
            start = clock()
            alarms += len(desk.alarms(now=d.at))
            wake = desk.next_wakeup()
            alarm_times.append(clock() - start)
        start = clock()
        deliver(desk, d)
        times.append(clock() - start)
        wake = desk.next_wakeup()
        if n in checkpoints:
            ours_s, peer_s = compare(desk, d.at)
            rows.append((ours_s, peer_s, len(desk.tickets), open_count(desk)))

    us = sorted(t * 1e6 for t in times)
    print(
        f"per delivery: p50 {us[len(us) // 2]:.0f} us, p99 {us[int(len(us) * 0.99)]:.0f} us, "
        f"mean {statistics.fmean(us):.0f} us, total {sum(times):.2f} s"
    )
    a_us = sorted(t * 1e6 for t in alarm_times) or [0.0]
    print(
        f"alarm rounds: {len(alarm_times):,}, {alarms:,} alarms; per round p50 "
        f"{a_us[len(a_us) // 2]:.0f} us, p99 {a_us[int(len(a_us) * 0.99)]:.0f} us"
    )
    print("due in the next hour, at 7 instants of the day (answers checked equal):")
    for ours_s, peer_s, held, size in rows:
        print(
            f"  {held:>6,} tickets held, {size:>5,} open: Desk.due_within "
            f"{ours_s * 1e3:8.3f} ms, full re-evaluation {peer_s * 1e3:8.1f} ms, "
            f"{peer_s / ours_s:6.0f}x"
        )
    print(f"end: {open_count(desk):,} open, {len(desk.waiting):,} waiting")
    if not args.no_memory:
        memory(day)
    backlog(args.tickets, args.seed)


if __name__ == "__main__":
    main()
