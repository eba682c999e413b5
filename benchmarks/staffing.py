"""Benchmark: shift planning (plan_shifts) against pyworkforce, and the gap to the integer optimum.

Run ``python benchmarks/staffing.py`` (or ``--quick``). Two instances:

1. pyworkforce's published scheduling example (README of pyworkforce 0.5.1: two days of 24 hourly
   requirements, four shift patterns, at most 27 agents per hour and 25 per shift;
   ``MinRequiredResources`` reports cost 113). cs8's exact plan (scipy MILP) and greedy plan are
   compared with pyworkforce's CP-SAT solve in the same run, when pyworkforce is installed.
2. A 24-hour week: seven days of 48 half-hour requirements sized with Erlang C from a day/night
   arrival profile, and 8.5-hour shifts (30-minute break after four hours) starting on every hour,
   crossing midnight. The exact plan gives the integer optimum; the greedy plan's gap to it is
   printed next to the target (within 5 %).
3. The same week pooled over phone and chat: phone-only, chat-only and cross-trained shifts (10 %
   dearer) cover both requirements (exact and greedy, with their gaps), against two separate
   single-channel rotas.

The script prints times and gaps; it never asserts them.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.staffing.test_shifts import PYWORKFORCE_REQUIRED, PYWORKFORCE_SHIFTS

from cs8.staffing import ArrivalForecast, ShiftPlan, ShiftTemplate, plan_shifts, staffing_plan


def best_of(repeat: int, run: Any) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def pyworkforce_example(repeat: int) -> None:
    templates = [
        ShiftTemplate(name=name, pattern=mask, cost=1.0, max_count=25)
        for name, mask in PYWORKFORCE_SHIFTS.items()
    ]
    rows = []
    for method in ("milp", "greedy"):
        seconds, plan = best_of(
            repeat,
            lambda m=method: plan_shifts(
                PYWORKFORCE_REQUIRED,
                shifts=templates,
                interval=timedelta(hours=1),
                max_per_interval=27,
                method=m,
            ),
        )
        rows.append((f"cs8 {method}", seconds, plan.cost, plan.gap))
    try:
        from pyworkforce.scheduling import MinRequiredResources
    except ImportError:
        print("pyworkforce not installed: `pip install pyworkforce` to compare in the same run")
    else:

        def solve() -> dict[str, Any]:
            scheduler = MinRequiredResources(
                num_days=2,
                periods=24,
                shifts_coverage=PYWORKFORCE_SHIFTS,
                required_resources=PYWORKFORCE_REQUIRED,
                max_period_concurrency=27,
                max_shift_concurrency=25,
            )
            result: dict[str, Any] = scheduler.solve()
            return result

        seconds, solution = best_of(repeat, solve)
        rows.append(("pyworkforce CP-SAT", seconds, float(solution["cost"]), math.nan))
    print("\n1. pyworkforce's published scheduling example (published optimum: cost 113)")
    print(
        f"{'contender':<20} {'seconds':>9} {'cost':>8} {'gap to bound':>13} {'time vs cs8 milp':>17}"
    )
    base = rows[0][1]
    for name, seconds, cost, gap in rows:
        shown = "-" if math.isnan(gap) else f"{gap:.1%}"
        print(f"{name:<20} {seconds:9.4f} {cost:8.1f} {shown:>13} {seconds / base:16.2f}x")


def week_instance(days: int) -> tuple[ArrivalForecast, list[ShiftTemplate]]:
    slots = 48
    expected = []
    for d in range(days):
        weekend = 0.7 if d % 7 >= 5 else 1.0
        for s in range(slots):
            hour = s / 2
            daytime = math.exp(-(((hour - 13.0) / 4.5) ** 2))
            expected.append(weekend * (15 + 220 * daytime))
    forecast = ArrivalForecast(
        interval=timedelta(minutes=30),
        timezone="UTC",
        days=[date(2026, 3, 2) + timedelta(days=d) for d in range(days)],
        expected=expected,
        low=[0.0] * len(expected),
        high=[0.0] * len(expected),
    )
    templates = [
        ShiftTemplate(
            name=f"{h:02d}:00",
            start=dtime(h),
            length=timedelta(hours=8, minutes=30),
            breaks=[(timedelta(hours=4), timedelta(minutes=30))],
        )
        for h in range(24)
    ]
    return forecast, templates


def week(days: int, repeat: int) -> None:
    forecast, templates = week_instance(days)
    plan = staffing_plan(
        forecast,
        aht=timedelta(seconds=240),
        target_answer_time=timedelta(seconds=20),
        shrinkage=0.3,
    )
    results: dict[str, tuple[float, ShiftPlan]] = {}
    for method in ("milp", "greedy"):
        results[method] = best_of(
            repeat, lambda m=method: plan_shifts(plan, shifts=templates, method=m)
        )
    optimum = results["milp"][1].cost
    print(
        f"\n2. 24-hour instance: {days} days x 48 half-hours, {len(templates)} shift starts "
        f"({sum(plan.scheduled)} agent-slots required)"
    )
    print(
        f"{'contender':<12} {'seconds':>9} {'cost (h)':>10} {'vs optimum':>11} {'gap to bound':>13}"
    )
    for method, (seconds, result) in results.items():
        vs = (result.cost - optimum) / optimum if optimum else 0.0
        print(f"cs8 {method:<8} {seconds:9.4f} {result.cost:10.1f} {vs:10.2%} {result.gap:12.2%}")
    print("target: within 5 % of the integer optimum, in seconds")


def pooled(days: int, repeat: int) -> None:
    forecast, templates = week_instance(days)
    phone = staffing_plan(
        forecast,
        aht=timedelta(seconds=240),
        target_answer_time=timedelta(seconds=20),
        shrinkage=0.3,
    )
    chat = staffing_plan(
        forecast,
        aht=timedelta(seconds=600),
        target_answer_time=timedelta(seconds=60),
        concurrency=2,
        shrinkage=0.3,
    )
    only = {
        c: [attrs_evolve(t, name=f"{c} {t.name}", channels=[c]) for t in templates]
        for c in ("phone", "chat")
    }
    both = [
        attrs_evolve(t, name=f"both {t.name}", channels=["phone", "chat"], cost=8 * 1.1)
        for t in templates
    ]
    shifts = [*only["phone"], *only["chat"], *both]
    need = {"phone": phone, "chat": chat}
    print(
        f"\n3. pooled phone + chat: {days} days x 48 half-hours, {len(shifts)} templates "
        f"({sum(phone.scheduled)} phone and {sum(chat.scheduled)} chat agent-slots)"
    )
    print(f"{'contender':<22} {'seconds':>9} {'cost (h)':>10} {'gap to bound':>13}")
    for method in ("milp", "greedy"):
        seconds, result = best_of(
            repeat, lambda m=method: plan_shifts(need, shifts=shifts, method=m)
        )
        print(f"cs8 pooled {method:<11} {seconds:9.4f} {result.cost:10.1f} {result.gap:12.2%}")
    separate = sum(
        plan_shifts(need[c], shifts=only[c], method="milp").cost for c in ("phone", "chat")
    )
    print(f"{'two dedicated rotas':<22} {'':>9} {separate:10.1f}")


def attrs_evolve(template: ShiftTemplate, **changes: Any) -> ShiftTemplate:
    import attrs

    return attrs.evolve(template, **changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repetition, three days")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    pyworkforce_example(repeat)
    week(3 if args.quick else 7, repeat)
    pooled(3 if args.quick else 7, repeat)


if __name__ == "__main__":
    main()
