"""NPS and CES on frames and engines equal the object path (CSAT: ``test_columnar.py``).

Dirty columns: blanks (null, and NaN in a pandas float column), every score of the scale, ties;
each engine must give the object path's ``n``, ``excluded`` and values.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8.exceptions import SurveyError
from cs8.kpi import ces, ces_index, nps

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
pytest.importorskip("narwhals")
pytest.importorskip("pandas")


def _tables(scores: list[int | None]) -> dict[str, object]:
    frame = pl.DataFrame({"score": scores}, schema={"score": pl.Int64})
    return {
        "polars-series": frame["score"],
        "polars-lazy": frame.lazy(),
        "pandas-series": frame.to_pandas()["score"],  # a float column with NaN for blanks
        "duckdb": duckdb.connect().from_arrow(frame.to_arrow()),
    }


def _same(a: object, b: object) -> bool:
    """Equal results; with no answers the value is NaN on both paths (NaN != NaN)."""
    if a == b:
        return True
    da, db = a.to_dict(), b.to_dict()  # type: ignore[attr-defined]
    return da.keys() == db.keys() and all(
        da[k] == db[k] or (isinstance(da[k], float) and math.isnan(da[k]) and math.isnan(db[k]))
        for k in da
    )


_CASES: dict[str, tuple[Callable[..., object], dict[str, object], int, int]] = {
    "nps": (nps, {}, 0, 10),
    "nps-wald": (nps, {"method": "wald", "max_width": None}, 0, 10),
    "ces": (ces, {}, 1, 7),
    "ces-index": (ces_index, {}, 1, 7),
    "ces-index-5": (ces_index, {"scale": 5, "easy_from": 2, "higher_is_easier": False}, 1, 5),
}


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_nps_and_ces_on_engines_equal_the_object_path(data: st.DataObject) -> None:
    for name, (kpi, options, low, high) in _CASES.items():
        scores = data.draw(
            st.lists(st.one_of(st.none(), st.integers(low, high)), max_size=40), label=name
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the five-point warning: tested below
            expected = kpi(scores, **options)
            for engine, table in _tables(scores).items():
                got = kpi.frame(table, **options)  # type: ignore[attr-defined]
                assert _same(got, expected), (engine, name)


def test_on_sqlframe_with_a_named_column() -> None:
    from tests.kpi.test_columnar import sqlframe_table

    scores = [10, 9, None, 7, 0, 6, 3, 10, 8]
    table = sqlframe_table(pl.DataFrame({"id": list(range(9)), "score": scores}), "cs8_nps")
    assert nps.frame(table, column="score") == nps(scores)
    ces_scores = [s if s is None else min(7, max(1, s)) for s in scores]
    table = sqlframe_table(pl.DataFrame({"score": ces_scores}), "cs8_ces")
    assert ces.frame(table) == ces(ces_scores)
    assert ces_index.frame(table) == ces_index(ces_scores)


def test_nps_warns_of_a_five_point_scale_as_the_object_path_does() -> None:
    scores = [1, 2, 3, 4, 5] * 2
    with pytest.warns(UserWarning, match="1-5 scale"):
        expected = nps(scores)
    with pytest.warns(UserWarning, match="1-5 scale"):
        assert nps.frame(pl.Series("score", scores)) == expected


def test_off_scale_scores_are_refused() -> None:
    with pytest.raises(SurveyError, match="1 scores"):
        nps.frame(pl.Series("score", [10, 11]))
    with pytest.raises(SurveyError):
        nps([10, 11])  # the object path refuses it too
    with pytest.raises(SurveyError, match="1 scores"):
        ces.frame(pl.Series("score", [0, 7]))
