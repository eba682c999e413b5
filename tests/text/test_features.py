"""Syllable and character n-gram features."""

from __future__ import annotations

import pytest

from cs8.exceptions import InvalidValueError
from cs8.text import FeatureSpec


def test_syllable_bigrams_carry_compound_words() -> None:
    feats = FeatureSpec(word_ngrams=(1, 2)).extract("giao hàng chậm", "vi")
    assert {"w:giao hàng", "w:hàng chậm"} <= set(feats)


def test_plain_features_match_text_typed_without_accents() -> None:
    spec = FeatureSpec(word_ngrams=(1, 2), plain=True)
    accented = {k for k in spec.extract("hoàn tiền", "vi") if k.startswith("p:")}
    bare = {k for k in spec.extract("hoan tien", "vi") if k.startswith("p:")}
    assert accented == bare == {"p:hoan", "p:tien", "p:hoan tien"}


def test_char_ngrams_stay_inside_a_syllable() -> None:
    feats = FeatureSpec(word_ngrams=(1, 1), char_ngrams=(2, 2)).extract("ab cd", "en")
    assert sorted(k for k in feats if k.startswith("c:")) == [
        "c:<a",
        "c:<c",
        "c:ab",
        "c:b>",
        "c:cd",
        "c:d>",
    ]


def test_counts_repeat() -> None:
    assert FeatureSpec(word_ngrams=(1, 1)).extract("no no no", "en")["w:no"] == 3


def test_punctuation_can_be_dropped() -> None:
    feats = FeatureSpec(word_ngrams=(1, 1), punctuation=False).extract("why ?", "en")
    assert set(feats) == {"w:why"}


@pytest.mark.parametrize("bad", [(0, 1), (2, 1), (1, 9), "12"])
def test_bad_ranges_are_refused(bad: object) -> None:
    with pytest.raises(InvalidValueError, match="word_ngrams"):
        FeatureSpec(word_ngrams=bad)  # type: ignore[arg-type]
