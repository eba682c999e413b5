"""Evaluation: accuracy, macro-F1 and the confusion matrix against brute-force counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.text import Evaluation

labels = st.sampled_from(["a", "b", "c"])
pairs = st.lists(st.tuples(labels, labels), min_size=1, max_size=40)


@given(pairs)
def test_counts_match_brute_force(data: list[tuple[str, str]]) -> None:
    truth = [t for t, _ in data]
    predicted = [p for _, p in data]
    ev = Evaluation.of(truth, predicted)
    assert ev.accuracy == sum(t == p for t, p in data) / len(data)
    assert sum(sum(row) for row in ev.matrix()) == len(data)
    for label in ev.labels:
        tp = sum(t == p == label for t, p in data)
        fp = sum(p == label != t for t, p in data)
        fn = sum(t == label != p for t, p in data)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        assert ev.per_label[label][2] == pytest.approx(f1)


def test_macro_f1_by_hand() -> None:
    # a: precision 1, recall 1/2, F1 2/3; b: precision 2/3, recall 1, F1 4/5; mean 11/15.
    ev = Evaluation.of(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert ev.macro_f1 == pytest.approx(11 / 15)


def test_calibration_error_of_perfect_scores_is_zero() -> None:
    ev = Evaluation.of(["a", "b"], ["a", "b"], scores=[1.0, 1.0])
    assert ev.calibration_error == 0.0


def test_length_mismatch_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="2 true labels, 1 predictions"):
        Evaluation.of(["a", "b"], ["a"])


def test_text_shows_accuracy_and_one_row_per_label() -> None:
    lines = str(Evaluation.of(["a", "b"], ["a", "a"])).splitlines()
    assert lines[:2] == ["Evaluation (n=2)", "  accuracy           50.0%"]
    assert lines[-2:] == [
        "a      0.5        1       0.6667  1",
        "b      0          0       0       1",
    ]
