"""The language catalogue: every language has every key; numbers and dates as each writes them."""

from __future__ import annotations

import string
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.report import available_languages, language


@pytest.mark.parametrize("code", available_languages())
def test_every_catalogue_has_the_english_keys(code: str) -> None:
    assert set(language(code).labels) == set(language("en").labels)


@pytest.mark.parametrize("code", available_languages())
def test_every_label_uses_the_english_fields(code: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english = language("en").labels
    for key, text in language(code).labels.items():
        assert fields(text) == fields(english[key]), key


def test_vietnamese_is_written_with_precomposed_diacritics() -> None:
    labels = language("vi").labels
    assert all(unicodedata.is_normalized("NFC", text) for text in labels.values())
    assert labels["title"] == "Báo cáo chăm sóc khách hàng"


def test_vietnamese_numbers_and_dates() -> None:
    vi = language("vi")
    assert (vi.number(1234.5), vi.percent(0.742), vi.date(date(2026, 9, 2))) == (
        "1.234,5",
        "74,2%",
        "02/09/2026",
    )


def test_english_numbers_and_dates() -> None:
    en = language("en")
    assert (en.number(1234.5), en.percent(0.742), en.date(date(2026, 9, 2))) == (
        "1,234.5",
        "74.2%",
        "2026-09-02",
    )


def test_duration_units_follow_the_size() -> None:
    en = language("en")
    assert [en.duration(s) for s in (59, 600, 7200, 3 * 86400)] == [
        "59 s",
        "10.0 min",
        "2.0 h",
        "3.0 d",
    ]


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(InvalidValueError, match="available: en, vi"):
        language("fr")


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 3))
def test_every_language_writes_the_same_number(value: float, digits: int) -> None:
    plain = f"{value:.{digits}f}"
    for code in available_languages():
        lang = language(code)
        text = lang.number(value, digits)
        back = text.replace(lang.thousands, "").replace(lang.decimal, ".")
        assert back == plain, (code, text)
