"""Normalisation of Vietnamese and English customer text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.text import (
    ABBREVIATIONS,
    detect_language,
    normalize,
    place_tone_marks,
    strip_diacritics,
    syllables,
)

VI_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
words = st.text(alphabet=VI_LETTERS, min_size=1, max_size=7)
phrases = st.lists(words, min_size=1, max_size=6).map(" ".join)


# Old (traditional) and new tone-mark placement: the spelling reform pairs listed in the Vietnamese
# Ministry of Education's 1984 rules, as summarised e.g. by Unikey's "đặt dấu oà, uý" option.
@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("hoà", "hòa"),
        ("khoẻ", "khỏe"),
        ("thuỷ", "thủy"),
        ("loá", "lóa"),
        ("tuý", "túy"),
        ("hoạ", "họa"),
    ],
)
def test_old_and_new_placement_differ_only_for_oa_oe_uy(new: str, old: str) -> None:
    assert place_tone_marks(new, "old") == old
    assert place_tone_marks(old, "new") == new


@pytest.mark.parametrize(
    "word",
    ["hoàng", "người", "khuyến", "quá", "giá", "gì", "thuyền", "mười", "tiền", "hỏi", "của"],
)
def test_placement_agrees_in_both_styles_elsewhere(word: str) -> None:
    assert place_tone_marks(word, "old") == word
    assert place_tone_marks(word, "new") == word


def test_misplaced_mark_moves_to_the_nucleus() -> None:
    # "tìên" / "ngừơi": the mark typed on the wrong vowel of a marked cluster.
    assert place_tone_marks("tìên ngừơi") == "tiền người"


def test_decomposed_input_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "giao hàng chậm")
    assert normalize(decomposed, "vi") == "giao hàng chậm"


@given(phrases)
def test_placement_keeps_letters_and_tone(text: str) -> None:
    placed = place_tone_marks(text)
    assert strip_diacritics(placed) == strip_diacritics(text)
    assert place_tone_marks(place_tone_marks(text, "new"), "old") == placed


@given(phrases)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text, "vi")
    assert normalize(once, "vi") == once


@given(phrases)
def test_strip_diacritics_leaves_ascii(text: str) -> None:
    assert strip_diacritics(text).isascii()


def test_abbreviations_expand() -> None:
    assert normalize("sp ko dc, ship cham", "vi") == "sản phẩm không được , giao cham"
    assert ABBREVIATIONS["dc"] == "được"


def test_english_is_not_expanded() -> None:
    assert normalize("ok k thanks", "en") == "ok k thanks"


def test_emoji_and_emoticons_become_tokens() -> None:
    assert normalize("tệ quá 😡 :(", "vi") == "tệ quá :pouting_face: :slightly_frowning_face:"


def test_repeated_letters_and_marks_are_cut() -> None:
    assert syllables("ngonnnnn quáaaa!!!", "vi") == ["ngon", "quá", "!"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("giao hàng chậm", "vi"),
        ("ko nhan duoc hang", "vi"),
        ("where is my card", "en"),
        ("I want a refund please", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="'fr'"):
        normalize("bonjour", "fr")  # type: ignore[arg-type]


def test_unknown_style_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="style"):
        place_tone_marks("hoà", "modern")  # type: ignore[arg-type]
