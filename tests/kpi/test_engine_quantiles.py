"""Duration summaries computed in an engine equal the object path's exact type-7 figures.

The oracle is :class:`cs8.kpi.DurationState` over the same integer microseconds (its quantiles are
the type-7 interpolation rounded to the microsecond, ``tests/kpi/test_exact_quantiles.py``).
Values are drawn with many ties, from n = 1 and 2 up, even and odd n, and large magnitudes
(interpolation between far-apart order statistics is where a DOUBLE quantile would drift).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.kpi import DurationState
from cs8.kpi._engine_quantiles import duration_stats, order_positions

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
nw = pytest.importorskip("narwhals")

_VALUES = st.lists(
    st.one_of(
        st.sampled_from([0, 1, 1_000_000, 2**40]),  # ties
        st.integers(-(2**45), 2**45),
    ),
    min_size=1,
    max_size=40,
)


def _lazy(values: list[int]) -> dict[str, object]:
    frame = pl.DataFrame({"us": values}, schema={"us": pl.Int64})
    return {
        "polars-lazy": frame.lazy(),
        "duckdb": duckdb.connect().from_arrow(frame.to_arrow()),
    }


def _expected(values: list[int]) -> object:
    state = DurationState.of_microseconds(values)
    return DurationState(**{**_fields(state), "excluded": {"bot": 2}}).result()


def _fields(state: DurationState) -> dict[str, object]:
    return {f: getattr(state, f) for f in ("values", "n", "total", "total_sq", "min", "max")}


@settings(max_examples=40, deadline=None)
@given(_VALUES)
def test_engine_summaries_equal_the_object_path(values: list[int]) -> None:
    expected = _expected(values)
    for engine, native in _lazy(values).items():
        got = duration_stats(nw.from_native(native), "us", {"bot": 2})
        assert got == expected, engine
        assert (got.median, got.p90) == (expected.median, expected.p90), engine  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "values",
    [[7], [3, 8], [5, 5, 5], [1, 2, 3, 4], [0, 2**45, 2**45 + 1], list(range(23))],
    ids=["n=1", "n=2", "ties", "even", "far-apart", "n=23"],
)
def test_hand_cases_on_every_engine_and_sqlframe(values: list[int]) -> None:
    from tests.kpi.test_columnar import sqlframe_table

    tables = _lazy(values)
    frame = pl.DataFrame({"us": values}, schema={"us": pl.Int64})
    tables["sqlframe"] = sqlframe_table(frame, f"cs8_q{len(values)}")
    for engine, native in tables.items():
        assert duration_stats(nw.from_native(native), "us", {"bot": 2}) == _expected(values), engine


def test_order_positions_are_the_ranks_type7_reads() -> None:
    # h = (n - 1) q: the median of 4 values reads ranks 1 and 2, the p90 ranks 2 and 3.
    assert order_positions(4) == [1, 2, 3]
    assert order_positions(2) == [0, 1]
    assert order_positions(1) == [0]


def test_a_summary_state_answers_the_quantiles_asked_and_refuses_others() -> None:
    values = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10]
    exact = DurationState.of_microseconds(values)
    lazy = nw.from_native(pl.LazyFrame({"us": values}))
    got = duration_stats(lazy, "us", {})
    assert got.median == exact.quantile(0.5)
    # n = 10: the median reads ranks 4 and 5, the p90 ranks 8 and 9; 0.25 reads ranks 2 and 3.
    with pytest.raises(InvalidValueError, match="quantiles="):
        got.quantile(0.25)
    with pytest.raises(InvalidValueError, match="summary of 10 durations"):
        got.state.merge(DurationState.of_microseconds([1]))
    asked = duration_stats(lazy, "us", {}, quantiles=[0.25])
    assert asked.quantile(0.25) == exact.quantile(0.25)
    by_n = duration_stats(lazy, "us", {}, quantiles=lambda n: [1 / (n - 1)])
    assert by_n.quantile(1 / 9) == exact.quantile(1 / 9)
    with pytest.raises(InvalidValueError, match=r"\[0, 1\]"):
        duration_stats(lazy, "us", {}, quantiles=[1.5])


def test_beyond_double_precision_the_values_are_pulled() -> None:
    values = [2**60, 2**60 + 1, 2**60 + 3]
    got = duration_stats(nw.from_native(pl.LazyFrame({"us": values})), "us", {})
    assert got == DurationState.of_microseconds(values).result()
    assert got.quantile(0.75) == DurationState.of_microseconds(values).quantile(0.75)
