"""Survey KPIs take columns: list, tuple, numpy array, pandas or polars Series; blanks are non-responses."""

from __future__ import annotations

import math

import pytest

from cs8.kpi import ces, csat, nps

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

SCORES = [5, 4, None, 3, 5, float("nan")]


@pytest.mark.parametrize(
    "column",
    [
        SCORES,
        tuple(SCORES),
        np.array(SCORES, dtype=float),
        pd.Series(SCORES, dtype=float),
        pd.Series([5, 4, None, 3, 5, None], dtype="Int64"),
        pl.Series([5, 4, None, 3, 5, None]),
        pl.Series(SCORES, dtype=pl.Float64, nan_to_null=False),
    ],
    ids=["list", "tuple", "numpy", "pandas-float", "pandas-Int64", "polars", "polars-nan"],
)
def test_csat_reads_any_column_and_counts_blanks_as_non_responses(column: object) -> None:
    rate = csat(column)  # type: ignore[arg-type]
    assert (rate.successes, rate.n, dict(rate.excluded)) == (3, 4, {"no_response": 2})


def test_nps_and_ces_read_a_float_column_with_blanks() -> None:
    frame = pd.DataFrame({"nps": [10, 9, math.nan, 3], "ces": [7, math.nan, 5, 6]})
    assert (nps(frame.nps).n, nps(frame.nps).excluded["no_response"]) == (3, 1)
    assert ces(frame.ces).value == 6.0


def test_a_fractional_score_is_refused() -> None:
    with pytest.raises(ValueError, match="score 0"):
        csat([4.5])


def test_nps_on_five_point_looking_data_warns() -> None:
    with pytest.warns(UserWarning, match="1-5 scale"):
        nps([1, 2, 3, 4, 5] * 4)


def test_nps_on_eleven_point_data_does_not_warn(recwarn: pytest.WarningsRecorder) -> None:
    nps(iter([0, 3, 5, 7, 8, 9, 10, 10, 2, 4]))
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
