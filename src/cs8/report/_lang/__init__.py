"""The report's language catalogue: one module per language, each defining ``LANGUAGE``.

A language is labels (by key) plus how it writes numbers, percentages, durations and dates. Adding a
third language is adding one file here, ``xx.py`` with ``LANGUAGE = Language(code="xx", ...)``, with
the same keys as ``en.py`` (a test holds every catalogue to the English keys).

Example:
    >>> language("vi").number(1234.5)
    '1.234,5'
    >>> language("en").date(date(2026, 9, 2)), language("vi").date(date(2026, 9, 2))
    ('2026-09-02', '02/09/2026')
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping
from datetime import date, datetime

import attrs

from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError

__all__ = ["Language", "available_languages", "language"]

_CODE = re.compile(r"^[a-z]{2,3}$")
_Day = date  # the type, under a name the methods `date` and `datetime` do not shadow


def _labels(value: Mapping[str, str]) -> FrozenDict[str, str]:
    return value if isinstance(value, FrozenDict) else FrozenDict(value)


@attrs.frozen(kw_only=True)
class Language:
    """How the report speaks one language: its labels and its number and date formats.

    Args:
        code: ISO 639-1 code (``"en"``, ``"vi"``).
        name: The language's own name for itself.
        decimal: The decimal separator.
        thousands: The thousands separator.
        date_format: :meth:`datetime.date.strftime` format of a date (numeric fields only, so the
            output does not depend on the process locale).
        time_format: Format of a time of day.
        short_date_format: Format of a day and month without the year (chart axes).
        units: Duration unit names for ``"s"``, ``"min"``, ``"h"`` and ``"d"``.
        labels: Text by key; ``{name}`` fields are filled by :meth:`label`.

    Example:
        >>> en = language("en")
        >>> en.percent(0.742), en.duration(2700), en.label("n_of", n=3)
        ('74.2%', '45.0 min', 'n = 3')
    """

    code: str
    name: str
    decimal: str
    thousands: str
    date_format: str
    time_format: str
    short_date_format: str
    units: FrozenDict[str, str] = attrs.field(converter=_labels)
    labels: FrozenDict[str, str] = attrs.field(converter=_labels)

    def label(self, key: str, **fields: object) -> str:
        """Return the text of ``key`` with ``fields`` filled in.

        Raises:
            KeyError: If the catalogue has no such key (a programming error: every key the
                report uses is in every catalogue, which the tests check).

        Example:
            >>> language("vi").label("pillar.speed")
            'Tốc độ'
        """
        text = self.labels[key]
        return text.format(**fields) if fields else text

    def term(self, kind: str, value: object) -> str:
        """Return the translated name of an enum value or group key, or the value itself.

        Example:
            >>> language("vi").term("channel", "phone"), language("vi").term("agent", "A001")
            ('điện thoại', 'A001')
        """
        text = str(getattr(value, "value", value))
        return self.labels.get(f"{kind}.{text}", text)

    def number(self, value: float, digits: int = 1) -> str:
        """Return ``value`` with ``digits`` decimals and this language's separators.

        Example:
            >>> language("en").number(-1234567.891, 2), language("vi").number(3490, 0)
            ('-1,234,567.89', '3.490')
        """
        text = f"{value:,.{digits}f}"
        return text.translate({ord(","): "\x00", ord("."): self.decimal}).replace(
            "\x00", self.thousands
        )

    def percent(self, fraction: float, digits: int = 1) -> str:
        """Return a fraction in [0, 1] as a percentage.

        Example:
            >>> language("vi").percent(0.0645)
            '6,5%'
        """
        return f"{self.number(fraction * 100, digits)}%"

    def points(self, value: float, digits: int = 1) -> str:
        """Return a signed number of points (NPS and its changes).

        Example:
            >>> language("en").points(4.93)
            '+4.9'
        """
        sign = "+" if value > 0 else ""
        return sign + self.number(value, digits)

    def duration(self, seconds: float) -> str:
        """Return a duration in the largest unit that keeps it readable.

        Under two minutes in seconds, under an hour in minutes, under two days in hours, then
        days.

        Example:
            >>> language("en").duration(13), language("vi").duration(3 * 3600)
            ('13 s', '3,0 giờ')
        """
        size = abs(seconds)
        if size < 120:
            return f"{self.number(seconds, 0)} {self.units['s']}"
        if size < 3600:
            return f"{self.number(seconds / 60, 1)} {self.units['min']}"
        if size < 172800:
            return f"{self.number(seconds / 3600, 1)} {self.units['h']}"
        return f"{self.number(seconds / 86400, 1)} {self.units['d']}"

    def date(self, value: date) -> str:
        """Return a date in this language's numeric format.

        Example:
            >>> language("vi").date(date(2026, 7, 6))
            '06/07/2026'
        """
        return value.strftime(self.date_format)

    def short_date(self, value: _Day) -> str:
        """Return a day and month without the year (for chart axes).

        Example:
            >>> language("en").short_date(date(2026, 7, 6)), language("vi").short_date(date(2026, 7, 6))
            ('07-06', '06/07')
        """
        return value.strftime(self.short_date_format)

    def datetime(self, value: datetime) -> str:
        """Return a local date and time (``value`` is shown in its own offset).

        Example:
            >>> from datetime import timezone
            >>> language("vi").datetime(datetime(2026, 7, 6, 14, 5, tzinfo=timezone.utc))
            '06/07/2026 14:05'
        """
        return f"{value.strftime(self.date_format)} {value.strftime(self.time_format)}"


def available_languages() -> tuple[str, ...]:
    """Return the codes of the languages in the catalogue, sorted.

    Example:
        >>> available_languages()
        ('en', 'vi')
    """
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if _CODE.match(m.name)))


def language(code: str) -> Language:
    """Return the catalogue entry of language ``code``.

    Raises:
        InvalidValueError: If there is no such language.

    Example:
        >>> language("vi").name
        'Tiếng Việt'
    """
    if not isinstance(code, str) or code not in available_languages():
        raise InvalidValueError(
            f"language: no catalogue for {code!r}; available: {', '.join(available_languages())}"
        )
    module = importlib.import_module(f"{__name__}.{code}")
    found: Language = module.LANGUAGE
    return found
