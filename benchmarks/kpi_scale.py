"""Benchmark: the standard ticket KPIs on 10k, 100k and 1M tickets, against hand-written pandas.

cs8 computes first reply time, resolution time, reopen rate and one-touch rate in one pass over
:class:`cs8.Ticket` objects (``cs8.kpi.ticket_summary``, cold: each ticket's derived facts are
computed during the run). The peer is a hand-written pandas implementation of the same four KPIs on
a long event table (one row per event), the shape such data has in a warehouse. Neither timing
includes building the inputs. Both results are compared and must agree.

A third contender is cs8's dataframe path, ``cs8.kpi.ticket_summary.frame``, on the same data as
pandas frames in the cs8.io layout (integer ticket ids, categorical enum columns, aware
``datetime64[us, UTC]`` instants): its time, tickets per second, its ratio to the hand-written
pandas code (target: at most 2) and whether its result equals the object path's exactly.

Run ``python benchmarks/kpi_scale.py`` (10k, 100k, 1M) or ``--quick`` (10k only). The script
prints tickets per second, the scaling between sizes (time ratio over size ratio; 1.0 is linear)
and the ratios to pandas. It never asserts timings. The pandas code and the frame path keep the
best of ``--repeat`` runs at every size; the object path runs once at 1M (fresh objects are slow
to build).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cs8 import ActorKind, Message, StatusChange, Ticket, TicketStatus
from cs8.kpi import ticket_summary

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def generate(n: int, seed: int = 8) -> list[Ticket]:
    """Return ``n`` seeded sample tickets: a customer message, replies, solves and reopens."""
    rng = random.Random(seed)
    minute = timedelta(minutes=1)
    customer, agent = ActorKind.CUSTOMER, ActorKind.AGENT
    solved, open_ = TicketStatus.SOLVED, TicketStatus.OPEN
    channels = ("email", "chat", "phone", "web")
    out: list[Ticket] = []
    for i in range(n):
        created = T0 + timedelta(seconds=rng.randrange(0, 90 * 86400))
        at = created
        events: list[Message | StatusChange] = [Message(at=at, author=customer)]
        if rng.random() < 0.9:
            at = at + minute * rng.randrange(1, 600)
            events.append(Message(at=at, author=agent, author_id=f"a{rng.randrange(50)}"))
            if rng.random() < 0.35:
                at = at + minute * rng.randrange(1, 300)
                events.append(Message(at=at, author=customer))
                at = at + minute * rng.randrange(1, 300)
                events.append(Message(at=at, author=agent))
            if rng.random() < 0.8:
                at = at + minute * rng.randrange(1, 2000)
                events.append(StatusChange(at=at, status=solved))
                if rng.random() < 0.1:
                    at = at + minute * rng.randrange(1, 2000)
                    events.append(StatusChange(at=at, status=open_))
                    if rng.random() < 0.7:
                        at = at + minute * rng.randrange(1, 600)
                        events.append(StatusChange(at=at, status=solved))
        out.append(
            Ticket(
                id=f"T{i}",
                customer_id=f"C{rng.randrange(n // 3 + 1)}",
                channel=channels[i % 4],
                created_at=created,
                events=events,
            )
        )
    return out


def to_frames(tickets: list[Ticket]):  # type: ignore[no-untyped-def]
    """Return (tickets, events) pandas frames with epoch-microsecond integer times."""
    import pandas as pd

    def us(t: datetime) -> int:
        d = t - T0
        return (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds

    created = [us(t.created_at) for t in tickets]
    rows_ticket: list[int] = []
    rows_at: list[int] = []
    rows_kind: list[str] = []
    rows_value: list[str] = []
    rows_public: list[bool] = []
    for i, t in enumerate(tickets):
        for e in t.events:
            rows_ticket.append(i)
            rows_at.append(us(e.at))
            if isinstance(e, Message):
                rows_kind.append("message")
                rows_value.append(e.author.value)
                rows_public.append(e.public)
            else:
                rows_kind.append("status")
                rows_value.append(e.status.value)  # type: ignore[union-attr]
                rows_public.append(True)
    tf = pd.DataFrame({"ticket": range(len(tickets)), "created": created})
    ef = pd.DataFrame(
        {
            "ticket": rows_ticket,
            "at": rows_at,
            "kind": pd.Categorical(rows_kind),
            "value": pd.Categorical(rows_value),
            "public": rows_public,
        }
    )
    return tf, ef


def to_cs8_frames(tickets: list[Ticket]):  # type: ignore[no-untyped-def]
    """Return (tickets, events) pandas frames in the cs8.io layout, typed as a loader would.

    Same data as :func:`to_frames` (integer ticket ids, categorical enum columns), with the
    columns cs8.io writes and instants as timezone-aware ``datetime64[us, UTC]``.
    """
    import pandas as pd

    created = [t.created_at for t in tickets]
    ids: list[int] = []
    kinds: list[str] = []
    ats: list[datetime] = []
    authors: list[str | None] = []
    publics: list[bool] = []
    statuses: list[str | None] = []
    for i, t in enumerate(tickets):
        for e in t.events:
            ids.append(i)
            ats.append(e.at)
            if isinstance(e, Message):
                kinds.append("message")
                authors.append(e.author.value)
                publics.append(e.public)
                statuses.append(None)
            else:
                kinds.append("status_change")
                authors.append(None)
                publics.append(True)
                statuses.append(e.status.value)  # type: ignore[union-attr]
    tf = pd.DataFrame(
        {
            "id": range(len(tickets)),
            "customer_id": pd.Categorical([t.customer_id for t in tickets]),
            "channel": pd.Categorical([t.channel.value for t in tickets]),
            "created_at": pd.to_datetime(created, utc=True).as_unit("us"),
        }
    )
    ef = pd.DataFrame(
        {
            "ticket_id": ids,
            "type": pd.Categorical(kinds),
            "at": pd.to_datetime(ats, utc=True).as_unit("us"),
            "author": pd.Categorical(authors),
            "public": publics,
            "status": pd.Categorical(statuses),
        }
    )
    return tf, ef


def pandas_kpis(tf, ef) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The four KPIs, hand-written in pandas (type-7 quantiles, as numpy's default)."""
    import pandas as pd

    created = tf.set_index("ticket")["created"]
    replies_mask = (ef["kind"] == "message") & (ef["value"] == "agent") & ef["public"]
    replies = ef.loc[replies_mask, ["ticket", "at"]]
    first_reply = replies.groupby("ticket")["at"].min()
    frt = (first_reply - created.reindex(first_reply.index)) / 1e6
    reply_count = replies.groupby("ticket").size().reindex(created.index, fill_value=0)

    st = ef.loc[ef["kind"] == "status", ["ticket", "at", "value"]]
    is_done = st["value"].isin(["solved", "closed"]).to_numpy()
    first_solve = st.loc[is_done].groupby("ticket")["at"].min()
    res = (first_solve - created.reindex(first_solve.index)) / 1e6
    prev_done = pd.Series(is_done, index=st.index).groupby(st["ticket"]).shift(1, fill_value=False)
    reopen_events = prev_done.to_numpy() & ~is_done
    reopened = pd.Series(reopen_events, index=st.index).groupby(st["ticket"]).any()
    ever_solved = first_solve.index
    reopen_rate = reopened.reindex(ever_solved, fill_value=False).mean()
    last_status = st.groupby("ticket")["value"].last()
    done = last_status[last_status.isin(["solved", "closed"])].index
    one_touch = (reply_count.reindex(done) <= 1).mean()
    return {
        "frt_mean": float(frt.mean()),
        "frt_median": float(frt.median()),
        "frt_p90": float(frt.quantile(0.9)),
        "res_mean": float(res.mean()),
        "res_median": float(res.median()),
        "reopen_rate": float(reopen_rate),
        "one_touch_rate": float(one_touch),
    }


def summary_numbers(s) -> dict[str, float]:  # type: ignore[no-untyped-def]
    frt, res = s.first_reply_time, s.resolution_time
    return {
        "frt_mean": frt.mean.total_seconds(),
        "frt_median": frt.median.total_seconds(),
        "frt_p90": frt.p90.total_seconds(),
        "res_mean": res.mean.total_seconds(),
        "res_median": res.median.total_seconds(),
        "reopen_rate": s.reopen_rate.value,
        "one_touch_rate": s.one_touch_rate.value,
    }


def agree(a: dict[str, float], b: dict[str, float]) -> bool:
    """Means and rates to 1e-9; quantiles within the 1 % sketch bound."""
    for key, x in a.items():
        y = b[key]
        tol = 0.01 * abs(y) if ("median" in key or "p90" in key) else 1e-9 * max(1.0, abs(y))
        if abs(x - y) > tol:
            print(f"  disagree on {key}: cs8 {x} pandas {y}")
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k tickets only (a few seconds)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size (best kept)")
    args = parser.parse_args()
    sizes = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    try:
        import narwhals  # noqa: F401
        import pandas  # noqa: F401

        have_pandas = True
    except ImportError:
        have_pandas = False
        print("pandas or narwhals is not installed: cs8 objects only")
    print(
        f"{'tickets':>10} {'cs8 s':>8} {'cs8 tickets/s':>14} {'pandas s':>9} "
        f"{'pandas/s':>11} {'cs8/pandas':>10} agree "
        f"{'frame s':>8} {'frame/s':>11} {'frame/pandas':>12} same"
    )
    results: list[tuple[int, float]] = []
    for n in sizes:
        tickets_template = generate(n)
        cs8_times = []
        repeats = args.repeat if n <= 100_000 else 1
        summary = None
        for r in range(repeats):
            tickets = tickets_template if r == 0 else generate(n)  # fresh objects: cold facts
            gc.collect()
            start = time.perf_counter()
            result = ticket_summary(tickets)
            cs8_times.append(time.perf_counter() - start)
            summary = summary or result
            del tickets
        numbers = summary_numbers(summary)
        cs8_s = min(cs8_times)
        results.append((n, cs8_s))
        line = f"{n:>10,} {cs8_s:>8.3f} {n / cs8_s:>14,.0f}"
        if have_pandas:
            tf, ef = to_frames(tickets_template)
            pd_times = []
            pd_numbers: dict[str, float] = {}
            for _ in range(args.repeat):
                gc.collect()
                start = time.perf_counter()
                pd_numbers = pandas_kpis(tf, ef)
                pd_times.append(time.perf_counter() - start)
            pd_s = min(pd_times)
            ok = agree(numbers, pd_numbers)
            line += f" {pd_s:>9.3f} {n / pd_s:>11,.0f} {cs8_s / pd_s:>10.2f} {ok!s:>5}"
            del tf, ef
            ctf, cef = to_cs8_frames(tickets_template)
            frame_times = []
            frame_summary = None
            for _ in range(args.repeat):
                gc.collect()
                start = time.perf_counter()
                frame_summary = ticket_summary.frame(ctf, cef)
                frame_times.append(time.perf_counter() - start)
            frame_s = min(frame_times)
            same = frame_summary == summary
            line += f" {frame_s:>8.3f} {n / frame_s:>11,.0f} {frame_s / pd_s:>12.2f} {same}"
            del ctf, cef
        print(line, flush=True)
        del tickets_template
    for (n1, t1), (n2, t2) in itertools.pairwise(results):
        print(
            f"scaling {n1:,} -> {n2:,}: time x{t2 / t1:.2f} for size x{n2 / n1:.0f} "
            f"(per-ticket cost ratio {(t2 / n2) / (t1 / n1):.2f}; 1.00 is linear)"
        )
    if len(results) > 1:
        per = [t / n * 1e6 for n, t in results]
        print(
            f"microseconds per ticket: {', '.join(f'{p:.2f}' for p in per)} "
            f"(spread {statistics.pstdev(per) / statistics.mean(per):.0%})"
        )


if __name__ == "__main__":
    main()
