"""Shared builders and hypothesis strategies for the routing engine tests."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from cs8 import Agent, AgentStatus, Channel, Ticket
from cs8.routing import RoutingDecision

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)

CHANNELS = (Channel.EMAIL, Channel.CHAT, Channel.PHONE)
SKILLS = ("billing", "refunds", "tech")
LANGS = ("en", "vi")


def ticket(
    tid: str = "T1",
    *,
    channel: str = "email",
    priority: str = "normal",
    created: datetime = T0,
    **kw: object,
) -> Ticket:
    """A ticket with defaults that tests override."""
    return Ticket(
        id=tid,
        customer_id=str(kw.pop("customer_id", "C1")),
        channel=channel,
        created_at=created,
        priority=priority,
        **kw,  # type: ignore[arg-type]
    )


@st.composite
def agents(draw: st.DrawFn, min_size: int = 1, max_size: int = 12) -> list[Agent]:
    """Random agents with unique ids, mixed channels, skills, languages, loads and statuses."""
    n = draw(st.integers(min_size, max_size))
    ids = draw(st.lists(st.integers(0, 999), min_size=n, max_size=n, unique=True))
    out = []
    for i in ids:
        capacity = draw(st.integers(0, 4))
        out.append(
            Agent(
                id=f"a{i:03d}",
                channels=draw(st.sets(st.sampled_from(CHANNELS), min_size=1)),
                skills=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5))),
                capacity=capacity,
                active_tickets=draw(st.sampled_from([0, 0.5, 1, 2, 3])) if capacity else 0,
                status=draw(
                    st.sampled_from(
                        [AgentStatus.ONLINE, AgentStatus.ONLINE, AgentStatus.AWAY, AgentStatus.BUSY]
                    )
                ),
                languages=draw(st.sets(st.sampled_from(LANGS))),
                last_assigned_at=draw(st.none() | st.integers(0, 100).map(lambda m: T0 - m * MIN)),
            )
        )
    return out


needs_skills = st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5), max_size=2)
needs_langs = st.sets(st.sampled_from(LANGS), max_size=1)


@st.composite
def workforce(draw: st.DrawFn) -> list[Agent]:
    """Agents most of whom qualify for most kinds of work, so that decisions are contested."""
    n = draw(st.integers(2, 9))
    online, away = AgentStatus.ONLINE, AgentStatus.AWAY
    return [
        Agent(
            id=f"a{i:03d}",
            channels=draw(st.sets(st.sampled_from(CHANNELS), min_size=2)),
            skills=draw(
                st.fixed_dictionaries(
                    {}, optional={k: st.integers(0, 4) for k in ("billing", "refunds", "tech")}
                )
            ),
            capacity=draw(st.integers(1, 5)),
            active_tickets=draw(st.sampled_from([0, 0, 0.5, 1])),
            status=draw(st.sampled_from([online, online, online, away])),
            languages=draw(st.sets(st.sampled_from(["en", "vi"]), min_size=1)),
            last_assigned_at=draw(st.none() | st.integers(0, 9).map(lambda m: T0 - m * MIN)),
        )
        for i in draw(st.lists(st.integers(0, 30), min_size=n, max_size=n, unique=True))
    ]


def read_traces_from_threads(decisions: Sequence[RoutingDecision], threads: int = 4) -> list[str]:
    """Read every decision's trace from several threads at once, switching threads often
    (inside the first reads of lazily built traces); return the errors raised, as text."""
    errors: list[str] = []

    def read() -> None:
        for d in decisions:
            try:
                d.trace
            except BaseException as exc:
                errors.append(repr(exc))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        workers = [threading.Thread(target=read) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(interval)
    return errors
