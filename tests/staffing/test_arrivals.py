"""Arrivals from dataframes: a pandas or polars column of timestamps, or a counts table, count
exactly as the same values given as objects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError, NaiveDatetimeError
from cs8.staffing import arrivals_by_channel, arrivals_per_interval, forecast_arrivals

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

_ZONE = "America/New_York"  # DST changes inside the drawn range
_START = datetime(2026, 3, 1, tzinfo=UTC)

instants = st.lists(
    st.integers(0, 14 * 24 * 3600 - 1).map(lambda s: _START + timedelta(seconds=s)),
    min_size=1,
    max_size=60,
)
channels = st.sampled_from(["phone", "chat", "email"])
rows = st.lists(
    st.tuples(
        st.integers(0, 10 * 48 - 1).map(lambda k: datetime(2026, 3, 5) + timedelta(minutes=30 * k)),
        channels,
        st.integers(0, 500),
    ),
    min_size=1,
    max_size=40,
)


@given(instants, st.sampled_from([15, 30, 60]))
def test_a_timestamp_column_counts_as_the_timestamps(times: list[datetime], minutes: int) -> None:
    step = timedelta(minutes=minutes)
    expected = arrivals_per_interval(times, interval=step, timezone=_ZONE)
    as_pandas = pd.Series(times).dt.tz_convert(_ZONE)
    as_polars = pl.Series("at", times, dtype=pl.Datetime("us", "UTC"))
    assert arrivals_per_interval(as_pandas, interval=step, timezone=_ZONE) == expected
    assert arrivals_per_interval(as_polars, interval=step, timezone=_ZONE) == expected


@given(rows)
def test_a_counts_table_counts_as_its_rows(table: list[tuple[datetime, str, int]]) -> None:
    plain = [(start, count) for start, _, count in table]
    expected = arrivals_per_interval(plain, timezone=_ZONE)
    frame = {
        "start": [r[0] for r in table],
        "channel": [r[1] for r in table],
        "count": [r[2] for r in table],
    }
    for make in (pd.DataFrame, pl.DataFrame):
        df = make(frame)
        assert arrivals_per_interval(df, timezone=_ZONE) == expected
        assert arrivals_by_channel(df, timezone=_ZONE) == arrivals_by_channel(table, timezone=_ZONE)
        assert arrivals_per_interval(df, timezone=_ZONE, channel="chat") == (
            arrivals_per_interval(table, timezone=_ZONE, channel="chat")
        )


def test_a_forecast_from_a_frame_equals_the_forecast_from_objects() -> None:
    pytest.importorskip("numpy")
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    times = [
        datetime(2026, 6, 1, 8, tzinfo=zone) + timedelta(days=d, minutes=7 * k)
        for d in range(28)
        for k in range(20 + (d % 7) * 3)
    ]
    expected = forecast_arrivals(arrivals_per_interval(times, timezone="Asia/Ho_Chi_Minh"))
    series = pd.Series(times)
    assert forecast_arrivals(arrivals_per_interval(series, timezone="Asia/Ho_Chi_Minh")) == expected
    table = pl.DataFrame(
        {
            "start": [t.replace(tzinfo=None, second=0, minute=t.minute // 30 * 30) for t in times],
            "count": [1] * len(times),
        }
    )
    by_table = forecast_arrivals(arrivals_per_interval(table, timezone="Asia/Ho_Chi_Minh"))
    assert by_table.expected == expected.expected


def test_missing_and_naive_cells_are_named() -> None:
    with pytest.raises(InvalidValueError, match="no value in row 1"):
        arrivals_per_interval(pd.Series([_START, None, _START]))
    with pytest.raises(InvalidValueError, match="no value in row 0"):
        arrivals_per_interval(pl.DataFrame({"start": [datetime(2026, 3, 1)], "count": [None]}))
    with pytest.raises(InvalidValueError, match="non-finite count"):
        arrivals_per_interval(pd.DataFrame({"start": [datetime(2026, 3, 1)], "count": [1e400]}))
    with pytest.raises(InvalidValueError, match="'start' and 'count' columns"):
        arrivals_per_interval(pd.DataFrame({"at": [datetime(2026, 3, 1)], "n": [1]}))
    with pytest.raises(NaiveDatetimeError, match="no time zone"):
        arrivals_per_interval(pl.Series([datetime(2026, 3, 1)]))
