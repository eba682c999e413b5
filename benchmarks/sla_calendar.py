"""Benchmark cs8.sla.BusinessCalendar against businesstime 0.3.0 and pandas CustomBusinessHour.

Every contender gets the same random pairs (fixed seed): starts on any minute of 2025-2026, spans from
one minute to about four months (log-uniform), a Monday-Friday 09:00-17:00 calendar plus holidays,
read in UTC (the peers have no time zones). Before timing, the answers are compared with cs8's and
with a plain day-by-day reference written here; every disagreement is counted and the first few are
printed with the side that is right.

* business time between two instants: cs8 ``business_duration`` vs ``businesstime``'s
  ``businesstime_hours``;
* a deadline a whole number of business hours away: cs8 ``add_business_time`` vs
  ``Timestamp + CustomBusinessHour(n)`` (pandas rolls a deadline that ends exactly at a close to the
  next opening; cs8 returns the close, the earliest instant that reaches the amount);
* cs8's batch forms: pairs per second for lists of datetimes and for numpy ``datetime64`` arrays.

Run: ``python benchmarks/sla_calendar.py`` (or ``--quick`` for a few seconds).
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cs8.sla import BusinessCalendar

OPEN_H, CLOSE_H = 9, 17
HOLIDAYS = [
    date(2025, 1, 1), date(2025, 1, 20), date(2025, 2, 17), date(2025, 5, 26), date(2025, 7, 4),
    date(2025, 9, 1), date(2025, 11, 27), date(2025, 12, 25), date(2026, 1, 1), date(2026, 1, 19),
    date(2026, 2, 16), date(2026, 5, 25), date(2026, 7, 3), date(2026, 9, 7), date(2026, 11, 26),
    date(2026, 12, 25), date(2027, 1, 1),
]  # fmt: skip
HOLIDAY_SET = set(HOLIDAYS)
TARGETS = {"businesstime": 10.0, "pandas": 25.0, "list": 300_000.0, "numpy": 5_000_000.0}


def calendar() -> BusinessCalendar:
    days = ("mon", "tue", "wed", "thu", "fri")
    hours = {d: [(f"{OPEN_H:02d}:00", f"{CLOSE_H:02d}:00")] for d in days}
    return BusinessCalendar(timezone="UTC", hours=hours, holidays=HOLIDAYS)


def make_pairs(n: int, seed: int = 8) -> list[tuple[datetime, datetime]]:
    rng = random.Random(seed)
    lo = datetime(2025, 1, 1, tzinfo=UTC)
    pairs = []
    for _ in range(n):
        start = lo + timedelta(minutes=rng.randrange(2 * 365 * 1440))
        span = timedelta(minutes=round(math.exp(rng.uniform(0, math.log(120 * 1440)))))
        pairs.append((start, start + span))
    return pairs


def reference(start: datetime, end: datetime) -> timedelta:
    """Business time of a Mon-Fri 09-17 UTC calendar with holidays, summed day by day."""
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5 and day not in HOLIDAY_SET:
            a = datetime(day.year, day.month, day.day, OPEN_H, tzinfo=UTC)
            b = datetime(day.year, day.month, day.day, CLOSE_H, tzinfo=UTC)
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def naive(t: datetime) -> datetime:
    return t.replace(tzinfo=None)


def compare_businesstime(
    cal: BusinessCalendar, pairs: Sequence[tuple[datetime, datetime]], repeat: int
) -> float | None:
    try:
        import businesstime
    except ImportError:
        print("  businesstime is not installed (pip install businesstime==0.3.0): skipped")
        return None

    bt = businesstime.BusinessTime(
        business_hours=(
            datetime.min.time().replace(hour=OPEN_H),
            datetime.min.time().replace(hour=CLOSE_H),
        ),
        holidays=HOLIDAYS,
    )
    naive_pairs = [(naive(a), naive(b)) for a, b in pairs]
    ours = [cal.business_duration(a, b) for a, b in pairs]
    theirs = [bt.businesstime_hours(a, b) for a, b in naive_pairs]
    wrong_peer = wrong_cs8 = 0
    shown = 0
    for (a, b), mine, peer in zip(pairs, ours, theirs, strict=True):
        if mine == peer:
            continue
        truth = reference(a, b)
        wrong_peer += peer != truth
        wrong_cs8 += mine != truth
        if shown < 4:
            shown += 1
            right = "cs8" if mine == truth else "businesstime" if peer == truth else "neither"
            print(f"    {a:%a %Y-%m-%d %H:%M} -> {b:%a %Y-%m-%d %H:%M}: cs8 {mine}, "
                  f"businesstime {peer}, day-by-day {truth}: {right} is right")  # fmt: skip
    differ = sum(m != p for m, p in zip(ours, theirs, strict=True))
    print(f"  businesstime disagrees with cs8 on {differ} of {len(pairs)} pairs; wrong against the "
          f"day-by-day sum: businesstime {wrong_peer}, cs8 {wrong_cs8}")  # fmt: skip

    t_cs8 = best(lambda: [cal.business_duration(a, b) for a, b in pairs], repeat)
    t_peer = best(lambda: [bt.businesstime_hours(a, b) for a, b in naive_pairs], repeat)
    n = len(pairs)
    ratio = t_peer / t_cs8
    print(f"  per call: cs8 {t_cs8 / n * 1e6:8.2f} us   businesstime {t_peer / n * 1e6:8.2f} us   "
          f"cs8 is {ratio:6.1f}x faster (target >= {TARGETS['businesstime']:.0f}x)")  # fmt: skip
    return ratio


def compare_pandas(
    cal: BusinessCalendar, pairs: Sequence[tuple[datetime, datetime]], repeat: int
) -> float | None:
    try:
        import pandas as pd
    except ImportError:
        print("  pandas is not installed: skipped")
        return None

    cbh = pd.offsets.CustomBusinessHour(
        start=f"{OPEN_H:02d}:00", end=f"{CLOSE_H:02d}:00", holidays=HOLIDAYS
    )
    # whole business hours, from the pair's span (pandas adds whole multiples of its offset)
    cases = [(a, max(1, round((b - a).total_seconds() / 3600 / 3))) for a, b in pairs]
    stamps = [(pd.Timestamp(naive(a)), hours) for a, hours in cases]
    ours = [cal.add_business_time(a, timedelta(hours=h)) for a, h in cases]
    theirs = [(ts + cbh * h).to_pydatetime().replace(tzinfo=UTC) for ts, h in stamps]
    rolled = wrong = 0
    shown = 0
    for (a, h), mine, peer in zip(cases, ours, theirs, strict=True):
        if mine == peer:
            continue
        want = timedelta(hours=h)
        if reference(a, peer) == want and reference(mine, peer) == timedelta(0):
            rolled += 1  # same business time, pandas moved on to the next opening
            kind = "convention: pandas rolls to the next opening; cs8's is the earliest instant"
        else:
            wrong += 1
            kind = "pandas is wrong" if reference(a, mine) == want else "cs8 is wrong"
        if shown < 3:
            shown += 1
            print(f"    {a:%a %Y-%m-%d %H:%M} + {h} h: cs8 {mine:%a %m-%d %H:%M}, "
                  f"pandas {peer:%a %m-%d %H:%M} ({kind})")  # fmt: skip
    print(f"  pandas differs on {rolled + wrong} of {len(cases)} deadlines: {rolled} by rolling a "
          f"deadline at a close to the next opening, {wrong} otherwise")  # fmt: skip

    t_cs8 = best(lambda: [cal.add_business_time(a, timedelta(hours=h)) for a, h in cases], repeat)
    t_peer = best(lambda: [ts + cbh * h for ts, h in stamps], repeat)
    n = len(cases)
    ratio = t_peer / t_cs8
    print(f"  per call: cs8 {t_cs8 / n * 1e6:8.2f} us   pandas      {t_peer / n * 1e6:8.2f} us   "
          f"cs8 is {ratio:6.1f}x faster (target >= {TARGETS['pandas']:.0f}x)")  # fmt: skip
    return ratio


def batch_rates(
    cal: BusinessCalendar, pairs: Sequence[tuple[datetime, datetime]], repeat: int
) -> tuple[float, float | None]:
    starts = [a for a, _ in pairs]
    ends = [b for _, b in pairs]
    expected = [reference(a, b) for a, b in pairs[:500]]
    assert expected == cal.business_durations(starts[:500], ends[:500])
    t_list = best(lambda: cal.business_durations(starts, ends), repeat)
    list_rate = len(pairs) / t_list
    print(f"  pure-Python batch business_durations: {list_rate:12,.0f} pairs/s "
          f"(target >= {TARGETS['list']:,.0f})")  # fmt: skip
    try:
        import numpy as np
    except ImportError:
        print("  numpy not installed: no array batch")
        return list_rate, None
    s64 = np.array([naive(a) for a in starts], dtype="datetime64[us]")
    e64 = np.array([naive(b) for b in ends], dtype="datetime64[us]")
    big_s = np.tile(s64, max(1, 2_000_000 // len(s64)))
    big_e = np.tile(e64, max(1, 2_000_000 // len(e64)))
    got = cal.business_durations(s64[:500], e64[:500])
    assert [e // timedelta(microseconds=1) for e in expected] == got.view(np.int64).tolist()
    t_np = best(lambda: cal.business_durations(big_s, big_e), repeat)
    np_rate = len(big_s) / t_np
    print(f"  numpy batch business_durations:       {np_rate:12,.0f} pairs/s "
          f"(target >= {TARGETS['numpy']:,.0f}; {len(big_s):,} pairs per run)")  # fmt: skip
    amounts = (e64 - s64) // 3
    t_add = best(lambda: cal.add_business_times(s64, amounts), repeat)
    print(f"  numpy batch add_business_times:       {len(s64) / t_add:12,.0f} pairs/s")
    return list_rate, np_rate


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (a few seconds)")
    args = parser.parse_args(argv)
    peer_n, batch_n, repeat = (300, 50_000, 2) if args.quick else (3_000, 200_000, 5)
    cal = calendar()
    cal.business_duration(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
    print(f"cs8.sla.BusinessCalendar, Mon-Fri {OPEN_H:02d}-{CLOSE_H:02d} UTC + {len(HOLIDAYS)} "
          f"holidays; spans 1 minute to 4 months; best of {repeat} runs")  # fmt: skip
    pairs = make_pairs(peer_n)
    results: dict[str, Any] = {}
    print(f"\nbusiness_duration vs businesstime 0.3.0 ({peer_n:,} pairs)")
    results["businesstime"] = compare_businesstime(cal, pairs, repeat)
    print(f"\nadd_business_time vs pandas CustomBusinessHour ({peer_n:,} pairs)")
    results["pandas"] = compare_pandas(cal, pairs, repeat)
    print(f"\nbatch forms ({batch_n:,} pairs)")
    results["list"], results["numpy"] = batch_rates(cal, make_pairs(batch_n, seed=9), repeat)
    print("\nsummary                                  measured         target")
    labels = {
        "businesstime": "cs8 per call vs businesstime (x faster)",
        "pandas": "cs8 per call vs pandas (x faster)",
        "list": "pure-Python batch (pairs/s)",
        "numpy": "numpy batch (pairs/s)",
    }
    for key, label in labels.items():
        value = results[key]
        shown = "skipped" if value is None else f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
        print(f"  {label:<40}{shown:>12}   >= {TARGETS[key]:,.0f}")
    return results


if __name__ == "__main__":
    main()
