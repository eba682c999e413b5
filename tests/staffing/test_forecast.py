"""Tests of cs8.staffing forecasting: arrivals per interval, forecast_arrivals and backtest."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest

from cs8 import Interaction
from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.sla import BusinessCalendar
from cs8.staffing import (
    Arrivals,
    aggregate,
    arrivals_by_channel,
    arrivals_per_interval,
    backtest,
    forecast_arrivals,
)
from tests._data import shared_file

HALF_HOUR = timedelta(minutes=30)


def _bank() -> Arrivals:
    path = shared_file("contact_centre/bank_calls_5min/bank_calls_5min.csv")
    with path.open() as f:
        rows = [(datetime.fromisoformat(r["datetime"]), int(r["calls"])) for r in csv.DictReader(f)]
    five = arrivals_per_interval(rows, interval=timedelta(minutes=5), timezone="America/New_York")
    return aggregate(five, HALF_HOUR)


def _split(a: Arrivals, held_back: timedelta) -> tuple[Arrivals, Arrivals]:
    cut = a.days[-1] - held_back + timedelta(days=1)
    i = next(k for k, d in enumerate(a.days) if d >= cut)
    head = Arrivals(interval=a.interval, timezone=a.timezone, days=a.days[:i], counts=a.counts[:i])
    tail = Arrivals(interval=a.interval, timezone=a.timezone, days=a.days[i:], counts=a.counts[i:])
    return head, tail


# ------------------------------------------------------------------------------ the done-when


def test_bank_calls_last_four_weeks_beat_seasonal_naive_with_calibrated_intervals() -> None:
    # Weinberg, Brown and Stroud (2007) bank calls (fpp3 bank_calls), 5-minute counts summed to
    # 30 minutes; the last four weeks (28 calendar days, 19 weekdays with data) are held back.
    history, actual = _split(_bank(), timedelta(days=28))
    acc = backtest(history, actual, coverage=0.8)
    print(
        f"\nbank_calls, 30 min, last 4 weeks held back: MAE {acc.mae:.1f} vs seasonal-naive "
        f"{acc.naive_mae:.1f} (MASE {acc.mase:.3f}); 80 % interval coverage {acc.coverage:.1%}"
    )
    assert acc.mae < acc.naive_mae
    assert 0.70 <= acc.coverage <= 0.90
    assert set(acc.mae_by_day) == set(actual.days)


def test_bank_calls_sum_to_the_published_total() -> None:
    # PROVENANCE.md of bank_calls_5min: 5,323,661 calls over 164 weekdays.
    a = _bank()
    assert (round(a.total()), len(a.days)) == (5_323_661, 164)


# ------------------------------------------------------------------------------ arrivals


def test_interactions_are_counted_in_the_calendars_zone_by_channel() -> None:
    cal = BusinessCalendar(timezone="Asia/Ho_Chi_Minh", hours={"mon": [("08:00", "17:00")]})
    t = datetime.fromisoformat("2026-03-02T01:10:00+00:00")  # 08:10 local
    contacts = [
        Interaction(id="1", customer_id="c", channel="phone", started_at=t),
        Interaction(id="2", customer_id="c", channel="chat", started_at=t),
        Interaction(id="3", customer_id="c", channel="phone", started_at=t + timedelta(hours=1)),
    ]
    phone = arrivals_per_interval(contacts, calendar=cal, channel="phone")
    both = arrivals_by_channel(contacts, calendar=cal)
    assert (phone.counts[0][16], phone.counts[0][18], phone.total()) == (1.0, 1.0, 2.0)
    assert {k: v.total() for k, v in both.items()} == {"phone": 2.0, "chat": 1.0}


def test_dst_fall_back_hour_shares_one_set_of_wall_clock_slots() -> None:
    # America/New_York, 2026-11-01: 01:00-02:00 happens twice; both arrivals land in 01:00-01:30.
    first = datetime.fromisoformat("2026-11-01T01:10:00-04:00")
    second = datetime.fromisoformat("2026-11-01T01:10:00-05:00")
    a = arrivals_per_interval([first, second], timezone="America/New_York")
    assert a.counts[0][2] == 2.0


def test_timestamps_count_days_without_contacts_as_zero_but_tables_keep_gaps() -> None:
    t = datetime.fromisoformat("2026-03-02T08:00:00+00:00")
    stamps = arrivals_per_interval([t, t + timedelta(days=2)])
    table = arrivals_per_interval(
        [(t.replace(tzinfo=None), 3), (t.replace(tzinfo=None) + timedelta(days=2), 4)]
    )
    assert (len(stamps.days), len(table.days)) == (3, 2)


def test_naive_timestamp_is_rejected() -> None:
    with pytest.raises(NaiveDatetimeError):
        arrivals_per_interval([datetime(2026, 3, 2, 8)])


def test_interval_must_divide_a_day() -> None:
    with pytest.raises(InvalidValueError, match="interval"):
        arrivals_per_interval([], interval=timedelta(minutes=7))


# ------------------------------------------------------------------------------ forecast


def _daily(days: list[date], value: object) -> Arrivals:
    return Arrivals(
        interval=timedelta(hours=12),
        timezone="Asia/Ho_Chi_Minh",
        days=days,
        counts=[value(d) for d in days],  # type: ignore[operator]
    )


def test_tet_moves_with_the_lunar_calendar() -> None:
    holidays = pytest.importorskip("holidays")
    vn = holidays.country_holidays("VN", years=[2025, 2026])
    # Tết 2025 fell on 29 January, Tết 2026 on 17 February (holidays package, Vietnam).
    days = [date(2024, 12, 2) + timedelta(days=k) for k in range(440)]
    history = _daily(days[:436], lambda d: [5.0, 5.0] if d in vn else [100.0, 60.0])
    f = forecast_arrivals(
        history,
        interval=timedelta(hours=12),
        start=date(2026, 1, 26),
        horizon=timedelta(days=35),
        holidays=vn,
    )
    by_day = {d: f.expected[2 * i] for i, d in enumerate(f.days)}
    assert by_day[date(2026, 2, 17)] < 10 < by_day[date(2026, 1, 29)]


def test_calendar_closed_slots_and_unseen_weekdays_forecast_zero() -> None:
    cal = BusinessCalendar(
        timezone="Asia/Ho_Chi_Minh", hours={d: [("12:00", "24:00")] for d in ("mon", "tue")}
    )
    days = [date(2026, 1, 5) + timedelta(days=k) for k in range(28)]
    history = _daily(days, lambda d: [10.0, 50.0])
    f = forecast_arrivals(
        history, interval=timedelta(hours=12), calendar=cal, horizon=timedelta(days=7)
    )
    monday_morning, monday_afternoon = f.expected[0], f.expected[1]
    assert (monday_morning, round(monday_afternoon)) == (0.0, 50)


def test_fitted_smoothing_keeps_the_bank_calls_numbers() -> None:
    # As the done-when test above, with the smoothing parameters chosen on the history alone.
    history, actual = _split(_bank(), timedelta(days=28))
    fixed = backtest(history, actual, coverage=0.8)
    fitted = backtest(history, actual, coverage=0.8, smoothing="fitted")
    print(
        f"\nbank_calls, fitted smoothing: MAE {fitted.mae:.1f} (fixed {fixed.mae:.1f}) vs "
        f"seasonal-naive {fitted.naive_mae:.1f}; 80 % interval coverage {fitted.coverage:.1%}"
    )
    assert fitted.mae < fitted.naive_mae
    assert 0.70 <= fitted.coverage <= 0.90


def test_fitted_smoothing_follows_a_steep_trend_better_than_the_fixed_one() -> None:
    start = date(2026, 1, 5)
    days = tuple(start + timedelta(days=k) for k in range(84))
    counts = [[100.0 * 1.03**k] for k in range(84)]  # +3 % a day, no weekly pattern
    full = Arrivals(interval=timedelta(days=1), timezone="UTC", days=days, counts=counts)
    history, actual = _split(full, timedelta(days=14))
    fixed = backtest(history, actual)
    fitted = backtest(history, actual, smoothing="fitted")
    assert fitted.mae < fixed.mae
    method = forecast_arrivals(history, interval=timedelta(days=1), smoothing="fitted").method
    assert "fitted" in method


@pytest.mark.parametrize("smoothing", ["best", (0.0, 0.1, 0.9), (0.2, 0.1), (0.2, 0.1, 1.5)])
def test_smoothing_is_checked(smoothing: object) -> None:
    history, _ = _split(_bank_like(), timedelta(days=7))
    with pytest.raises(InvalidValueError, match="smoothing"):
        forecast_arrivals(history, interval=timedelta(days=1), smoothing=smoothing)  # type: ignore[arg-type]


def _bank_like() -> Arrivals:
    days = tuple(date(2026, 1, 5) + timedelta(days=k) for k in range(28))
    return Arrivals(
        interval=timedelta(days=1),
        timezone="UTC",
        days=days,
        counts=[[50.0 + k % 7] for k in range(28)],
    )
