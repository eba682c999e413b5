"""Many threads on one Desk (issue 13's "done when": 8+ threads opening, recording and solving;
pool loads equal the reserved open tickets and no agent is over capacity, every time)."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest

from cs8 import Message, StatusChange, Ticket
from cs8.desk import Desk
from cs8.testing.desk_day import CAPACITY, DAY_START, day_policy, day_router, simulated_day

THREADS = 8
PER_THREAD = 40


def check(desk: Desk) -> None:
    """Loads equal the reserved tickets, each open; nobody is over a channel's limit."""
    reservations = desk.reservations
    loads = desk.loads
    for agent_id, counts in loads.items():
        for channel, count in counts.items():
            assert count <= CAPACITY[channel.value], (agent_id, channel, count)
    assert sum(sum(c.values()) for c in loads.values()) == len(reservations)
    for ticket_id, agent_id in reservations.items():
        ticket = desk.ticket(ticket_id)
        assert ticket.is_open
        assert ticket.assignee == agent_id
    for ticket_id in desk.waiting:
        assert desk.ticket(ticket_id).is_open
        assert ticket_id not in reservations


@pytest.mark.parametrize("round_", range(3))
def test_threads_opening_recording_and_solving_keep_loads_exact(round_: int) -> None:
    agents = simulated_day(seed=round_, tickets=1, agents=5).agents
    desk = Desk(policy=day_policy(), router=day_router(), agents=agents, now=DAY_START)
    barrier = threading.Barrier(THREADS + 1)
    done = threading.Event()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        rng = random.Random(n * 1000 + round_)
        barrier.wait()
        try:
            mine: list[str] = []
            for k in range(PER_THREAD):
                at = DAY_START + timedelta(seconds=k)
                tid = f"T{n}-{k}"
                channel = rng.choice(["email", "email", "chat", "phone"])
                desk.open(Ticket(id=tid, customer_id=f"C{n}", channel=channel, created_at=at))
                mine.append(tid)
                victim = rng.choice(mine)
                desk.record(victim, Message(at=at, author="agent", id=f"m{n}-{k}"))
                desk.record(victim, Message(at=at, author="agent", id=f"m{n}-{k}"))  # twice
                if rng.random() < 0.6:
                    status = rng.choice(["solved", "closed", "open", "pending"])
                    desk.record(rng.choice(mine), StatusChange(at=at, status=status))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def watch() -> None:
        barrier.wait()
        try:
            while not done.is_set():
                with desk._lock:  # a consistent view between two atomic calls
                    check(desk)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    watcher = threading.Thread(target=watch)
    for t in [*threads, watcher]:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()
    assert errors == []
    check(desk)
    assert len(desk.tickets) == THREADS * PER_THREAD
    open_tickets = {t for t in desk.tickets if desk.ticket(t).is_open}
    assert set(desk.reservations) | set(desk.waiting) | set(desk.kept) == open_tickets
    assert not desk.kept  # nothing was assigned outside the desk
