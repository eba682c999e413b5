"""Type-checked in CI: cs8.staffing used as a user would write it (also run by pytest)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from cs8.staffing import (
    ArrivalForecast,
    Arrivals,
    ShiftPlan,
    ShiftTemplate,
    Staffing,
    StaffingPlan,
    arrivals_per_interval,
    forecast_arrivals,
    plan_shifts,
    required_agents,
    staffing_plan,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def arrivals() -> Arrivals:
    stamps = [T0 + timedelta(days=d, minutes=m) for d in range(21) for m in range(0, 240, 7)]
    return arrivals_per_interval(stamps, interval=timedelta(minutes=30), timezone="UTC")


def forecast(history: Arrivals) -> ArrivalForecast:
    return forecast_arrivals(history, horizon=timedelta(days=2))


def plan(f: ArrivalForecast) -> StaffingPlan:
    return staffing_plan(f, aht=timedelta(minutes=4), target_answer_time=timedelta(seconds=20))


def rota(p: StaffingPlan) -> ShiftPlan:
    day = ShiftTemplate(name="day", start=time(8), length=timedelta(hours=8))
    return plan_shifts(p, shifts=[day], method="greedy")


def one_interval() -> Staffing:
    return required_agents(
        calls=100, period=timedelta(minutes=30), aht=timedelta(minutes=3),
        asa_target=timedelta(seconds=20),
    )  # fmt: skip


def main() -> None:
    p = plan(forecast(arrivals()))
    r = rota(p)
    agents: int = one_interval().agents
    gap: float = r.gap
    assert agents > 0
    assert gap >= 0.0
    assert len(p.agents) == len(p.intervals)


if __name__ == "__main__":
    main()
