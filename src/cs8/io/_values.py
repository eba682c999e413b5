"""From a cell (or a JSON value) to a typed value: dates in any stated format, value maps, channels.

One parser per field is built once per file (:func:`cell_parser`, :func:`json_parser`) and applied to
every row, so the per-row work is one call per cell. Parsers raise
:class:`~cs8.InvalidValueError` naming the field and the (escaped) value; they never coerce what
they are not told to: JSON ``"false"`` is not a bool, ``9.7`` is not an integer, ``"refund"`` is
not a list of tags.

Example:
    >>> parse = DateParser("Ticket.created_at", "%d-%m-%Y %H:%M", "Asia/Ho_Chi_Minh")
    >>> parse("29-02-2016 01:16").isoformat()
    '2016-02-29T01:16:00+07:00'
    >>> DateParser("Interaction.started_at", "epoch_ms")("1767225600000").isoformat()
    '2026-01-01T00:00:00+00:00'
"""

from __future__ import annotations

import json
import math
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cs8._enums import Channel, enum_key
from cs8._frozen import FrozenDict
from cs8.exceptions import Cs8Error, InvalidValueError, LoadError, NaiveDatetimeError
from cs8.io._source import escape
from cs8.serialization import parse_duration

__all__ = [
    "VENDOR_CHANNELS",
    "DateFormat",
    "DateParser",
    "Parser",
    "ValueMap",
    "cell_parser",
    "json_parser",
    "load_json",
    "map_channel",
    "strip_optional",
    "unquote",
]

DateFormat: TypeAlias = "str | Sequence[str] | Mapping[str, str | Sequence[str]] | None"
"""``None`` (ISO 8601), a strptime format, several tried in order, ``"dayfirst"``,
``"monthfirst"``, ``"epoch"`` (seconds) or ``"epoch_ms"``; or a mapping field -> one of those."""

Parser: TypeAlias = Callable[[Any], Any]

YEARS: tuple[int, int] = (1900, 2200)
"""The years an instant may fall in unless a reader is told otherwise (``years=``)."""

MAX_JSON_DEPTH = 64
"""JSON nested deeper than this is rejected before it is parsed (no ``RecursionError``)."""

VENDOR_CHANNELS: Mapping[str, Channel] = FrozenDict(
    {
        # Zendesk via.channel, Freshdesk source names, Zammad article types, Chatwoot inboxes.
        "voice": Channel.PHONE,
        "call": Channel.PHONE,
        "telephone": Channel.PHONE,
        "phone_call": Channel.PHONE,
        "mail": Channel.EMAIL,
        "e-mail": Channel.EMAIL,
        "e_mail": Channel.EMAIL,
        "outbound_email": Channel.EMAIL,
        "portal": Channel.WEB,
        "web_form": Channel.WEB,
        "help_center": Channel.WEB,
        "web_widget": Channel.WEB,
        "feedback_widget": Channel.WEB,
        "web_service": Channel.WEB,
        "live_chat": Channel.CHAT,
        "livechat": Channel.CHAT,
        "chat_transcript": Channel.CHAT,
        "web_chat": Channel.CHAT,
        "twitter": Channel.SOCIAL,
        "twitter_status": Channel.SOCIAL,
        "twitter_direct_message": Channel.SOCIAL,
        "facebook": Channel.SOCIAL,
        "facebook_feed_post": Channel.SOCIAL,
        "facebook_feed_comment": Channel.SOCIAL,
        "instagram": Channel.SOCIAL,
        "forum": Channel.SOCIAL,
        "whatsapp": Channel.MESSAGING,
        "telegram": Channel.MESSAGING,
        "telegram_personal_message": Channel.MESSAGING,
        "line": Channel.MESSAGING,
        "wechat": Channel.MESSAGING,
        "messenger": Channel.MESSAGING,
        "native_messaging": Channel.MESSAGING,
        "mobile_sdk": Channel.MESSAGING,
        "mobihelp": Channel.MESSAGING,
        "text": Channel.SMS,
        "walk_in": Channel.IN_PERSON,
    }
)
"""Common vendor names for channels, mapped by default (``values={"channel": ...}`` overrides).

A name that is neither a :class:`~cs8.Channel` value nor here loads as ``Channel.OTHER`` with the
name kept in ``channel_raw``."""


class ValueMap:
    """One field's map from raw values to cs8 values (the ``values=`` option of every reader).

    A key matches exactly, else ignoring case and outer spaces; a value not in the map is
    returned as it is. Immutable after construction, so safe to share between threads.

    Args:
        values: Raw value -> cs8 value.

    Example:
        >>> status = ValueMap({"Awaiting User Info": "pending", 8: "on_hold"})
        >>> status(" awaiting user info"), status(8), status("open"), bool(status)
        ('pending', 'on_hold', 'open', True)
    """

    __slots__ = ("_exact", "_folded")

    def __init__(self, values: Mapping[Any, Any]) -> None:
        self._exact = dict(values)
        self._folded = {k.strip().casefold(): v for k, v in values.items() if isinstance(k, str)}

    def __bool__(self) -> bool:
        return bool(self._exact)

    def __call__(self, raw: Any, default: Any = None) -> Any:
        """The cs8 value of ``raw``; ``raw`` itself (or ``default`` when given) if unmapped."""
        exact = self._exact
        try:
            if raw in exact:
                return exact[raw]
        except TypeError:  # an unhashable JSON value (a list or an object) maps to nothing
            pass
        if isinstance(raw, str):
            folded = raw.strip().casefold()
            if folded in self._folded:
                return self._folded[folded]
        return raw if default is None else default


def strip_optional(kind: Any) -> tuple[Any, bool]:
    """Return ``(kind without None, whether None was allowed)``."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) in (typing.Union, UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return kind, False


def map_channel(value: str) -> tuple[Channel, str | None]:
    """Return the channel for a source's name and the raw name to keep (``None`` when canonical).

    Example:
        >>> map_channel("voice"), map_channel("Email"), map_channel("fax")
        ((Channel.PHONE, 'voice'), (Channel.EMAIL, None), (Channel.OTHER, 'fax'))
    """
    key = enum_key(value)
    try:
        return Channel(key), None
    except ValueError:
        return VENDOR_CHANNELS.get(key, Channel.OTHER), value


# ------------------------------------------------------------------------------------------- dates

_DMY = re.compile(
    r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*$"
)


def _zone(timezone: str | None) -> ZoneInfo | None:
    if timezone is None:
        return None
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LoadError(f"timezone must be an IANA zone such as 'UTC', got {timezone!r}") from None


class DateParser:
    """Parse one field's instants in a stated format, in a time zone, within a range of years.

    Args:
        field: The field, for messages (``"Ticket.created_at"``).
        date_format: See :data:`DateFormat` (one format, not a mapping).
        timezone: IANA zone for instants written without an offset; without it they are rejected.
        years: The inclusive range of years accepted (an instant in year 1 or 9999 is a typo, and
            crashes date arithmetic later); ``None`` accepts any.

    Raises:
        LoadError: If the time zone or the format is not valid.
    """

    def __init__(
        self,
        field: str,
        date_format: str | Sequence[str] | None = None,
        timezone: str | None = None,
        years: tuple[int, int] | None = YEARS,
    ) -> None:
        self.field = field
        self.zone = _zone(timezone)
        self.years = years
        formats: tuple[str, ...]
        if date_format is None:
            formats = ("iso",)
        elif isinstance(date_format, str):
            formats = (date_format,)
        else:
            formats = tuple(date_format)
        for fmt in formats:
            if fmt not in ("iso", "epoch", "epoch_ms", "dayfirst", "monthfirst") and "%" not in fmt:
                raise LoadError(
                    f"date_format for {field} must be a strptime format (with %), 'dayfirst', "
                    f"'monthfirst', 'epoch' or 'epoch_ms', got {fmt!r}"
                )
        self.formats = formats
        self._one = self._parsers()[0] if len(formats) == 1 else None

    def checked_by_column(self) -> Callable[[str], datetime] | None:
        """The parse of texts already checked, by column, to be instants this parser accepts.

        For a text known to match ISO 8601 with a UTC offset and a year within ``years`` (the
        columnar CSV path checks both with polars), it returns what :meth:`__call__` returns,
        without checking the offset and the year again. ``None`` unless the one format is
        ISO 8601.

        Example:
            >>> DateParser("Ticket.created_at").checked_by_column()("2026-01-05T09:00:00+07:00")
            datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=25200)))
        """
        if self.formats != ("iso",):
            return None
        return datetime.fromisoformat

    def _parsers(self) -> list[Callable[[str], datetime]]:
        return [self._parser(f) for f in self.formats]

    def _parser(self, fmt: str) -> Callable[[str], datetime]:
        if fmt == "iso":
            return datetime.fromisoformat
        if fmt in ("epoch", "epoch_ms"):
            scale = 1000.0 if fmt == "epoch_ms" else 1.0

            def epoch(text: str) -> datetime:
                return datetime.fromtimestamp(float(text) / scale, UTC)

            return epoch
        if fmt in ("dayfirst", "monthfirst"):
            first = fmt == "dayfirst"

            def numeric(text: str) -> datetime:
                m = _DMY.match(text)
                if m is None:
                    raise ValueError(text)
                a, b, year, hour, minute, second, frac = m.groups()
                day, month = (a, b) if first else (b, a)
                micro = int((frac or "0").ljust(6, "0"))
                return datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour or 0),
                    int(minute or 0),
                    int(second or 0),
                    micro,
                )

            return numeric
        return lambda text: datetime.strptime(text, fmt)

    def _describe(self) -> str:
        names = {
            "iso": "an ISO 8601 date-time",
            "epoch": "epoch seconds",
            "epoch_ms": "epoch milliseconds",
            "dayfirst": "a day-first date (DD/MM/YYYY [HH:MM[:SS]])",
            "monthfirst": "a month-first date (MM/DD/YYYY [HH:MM[:SS]])",
        }
        return " or ".join(names.get(f, f"a date-time in the format {f!r}") for f in self.formats)

    def __call__(self, value: Any) -> datetime:
        one, years = self._one, self.years
        if one is not None and type(value) is str and years is not None:
            # The common case in one go: an aware instant, in range, in the one format.
            try:
                parsed = one(value)
            except (ValueError, OverflowError, OSError):
                pass
            else:
                if parsed.tzinfo is not None and years[0] <= parsed.year <= years[1]:
                    return parsed
        return self._checked(value)

    def _checked(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            parsed = value
        else:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise InvalidValueError(
                    f"{self.field} must be {self._describe()}, got {escape(repr(value))}"
                )
            text = value.strip() if isinstance(value, str) else repr(value)
            parsed = self._parse(text, value)
        if parsed.tzinfo is None:
            if self.zone is None:
                raise NaiveDatetimeError(
                    f"{self.field} {escape(repr(value))} has no UTC offset: pass timezone= "
                    "(an aware datetime is needed)"
                )
            parsed = parsed.replace(tzinfo=self.zone)
        if self.years is not None and not self.years[0] <= parsed.year <= self.years[1]:
            raise InvalidValueError(
                f"{self.field} {escape(repr(value))} is outside the years "
                f"{self.years[0]}-{self.years[1]} (pass years= to allow it)"
            )
        return parsed

    def _parse(self, text: str, value: Any) -> datetime:
        if self._one is not None:
            try:
                return self._one(text)
            except (ValueError, OverflowError, OSError):
                pass
        else:
            for parse in self._parsers():
                try:
                    return parse(text)
                except (ValueError, OverflowError, OSError):
                    continue
        raise InvalidValueError(
            f"{self.field} must be {self._describe()}, got {escape(repr(value))}"
        )


def date_parser(
    field: str,
    name: str,
    date_format: DateFormat,
    timezone: str | None,
    years: tuple[int, int] | None,
) -> DateParser:
    """Build the :class:`DateParser` of field ``name`` (``date_format`` may map fields)."""
    fmt: str | Sequence[str] | None
    fmt = date_format.get(name) if isinstance(date_format, Mapping) else date_format
    return DateParser(field, fmt, timezone, years)


# ------------------------------------------------------------------------------------ JSON safety


def load_json(text: str | bytes) -> Any:
    """``json.loads`` that turns deep nesting and huge numbers into :class:`~cs8.InvalidValueError`.

    Example:
        >>> load_json("[" * 100 + "]" * 100)
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: JSON nested deeper than 64 levels
    """
    depth = 0
    deepest = 0
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if raw.count("[") + raw.count("{") > MAX_JSON_DEPTH:
        in_string = escaped = False
        for ch in raw:
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch in "[{":
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_JSON_DEPTH:
                    raise InvalidValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            elif ch in "]}":
                depth -= 1
    try:
        return json.loads(text)
    except RecursionError:
        raise InvalidValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise InvalidValueError(f"invalid JSON: {escape(str(exc))}") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InvalidValueError(f"invalid JSON: {escape(str(exc))}") from None


# ------------------------------------------------------------------------------ per-field parsers

_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def _bad(field: str, what: str, value: Any) -> InvalidValueError:
    return InvalidValueError(f"{field} must be {what}, got {escape(repr(value))}")


def _duration(field: str) -> Parser:
    def parse(value: Any) -> timedelta:
        if type(value) is str and value.isascii() and value.isdigit() and len(value) < 10:
            return timedelta(seconds=int(value))  # whole seconds, the common case
        try:
            result = parse_duration(value, field)
        except (OverflowError, ValueError) as exc:
            if isinstance(exc, Cs8Error):
                raise InvalidValueError(escape(str(exc))) from None
            raise _bad(field, "a duration", value) from None
        if not math.isfinite(result.total_seconds()):
            raise _bad(field, "a finite duration", value)
        return result

    return parse


def _split_set(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", text) if part.strip()]


def _json_object(field: str) -> Parser:
    def parse(text: Any) -> Any:
        value = load_json(text) if isinstance(text, str) else text
        if not isinstance(value, dict):
            raise _bad(field, "a JSON object", text)
        return value

    return parse


def cell_parser(
    field: str,
    kind: Any,
    *,
    date: DateParser | None = None,
) -> Parser:
    """Return the function that turns one CSV cell (non-empty text) into a value of ``kind``.

    Args:
        field: ``"Model.field"``, for messages.
        kind: The field's type, without ``None``.
        date: The parser for instants (required when ``kind`` is ``datetime``).

    Example:
        >>> cell_parser("Interaction.proactive", bool)("yes")
        True
        >>> sorted(cell_parser("Ticket.tags", frozenset[str])("vip; refund"))
        ['refund', 'vip']
    """
    origin = typing.get_origin(kind)
    if kind is datetime:
        assert date is not None
        return date
    if kind is str:
        return unquote
    if kind is bool:

        def boolean(value: Any) -> bool:
            if isinstance(value, bool):
                return value
            low = str(value).strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise _bad(field, "true or false", value)

        return boolean
    if kind is int:

        def integer(value: Any) -> int:
            try:
                return int(value)
            except (ValueError, TypeError, OverflowError):
                raise _bad(field, "an integer", value) from None

        return integer
    if kind is float:

        def number(value: Any) -> float:
            try:
                result = float(value)
            except (ValueError, TypeError):
                raise _bad(field, "a number", value) from None
            if not math.isfinite(result):
                raise _bad(field, "a finite number", value)
            return result

        return number
    if kind is timedelta:
        return _duration(field)
    if kind is Decimal:
        return _identity
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum(field, kind)
    if origin is frozenset:
        (item,) = typing.get_args(kind)
        inner = _enum(field, item) if isinstance(item, type) and issubclass(item, Enum) else None
        return lambda text: frozenset(
            inner(p) if inner else p for p in (_split_set(text) if isinstance(text, str) else text)
        )
    if kind is FrozenDict or origin is FrozenDict:
        return _json_object(field)
    if origin is tuple:

        def pair(value: Any) -> list[int]:
            parts = [p for p in re.split(r"[-,;.\s]+", str(value).strip()) if p]
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise _bad(field, "two integers like '1-5'", value) from None

        return pair
    return _identity


def _identity(value: Any) -> Any:
    return value


_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def unquote(value: Any) -> Any:
    """A text cell, with the quote a formula-safe writer put before ``=``, ``+``, ``-`` ... removed."""
    if type(value) is str and value[:1] == "'" and _NEUTRALISED.match(value):
        return value[1:]
    return value


def _enum(field: str, kind: type[Enum]) -> Parser:
    def parse(value: Any) -> Enum:
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(str(m.value) for m in kind)
            raise InvalidValueError(
                f"{escape(repr(value))} is not a valid {kind.__name__} for {field} "
                f"(one of {choices}; map others with values=)"
            ) from None

    return parse


def json_parser(field: str, kind: Any, *, date: DateParser | None = None) -> Parser:
    """Return the function that checks one JSON value against ``kind`` as the constructor would.

    Strings only where text is expected, ``true``/``false`` only for flags, integers only for
    integers; instants as text (or numbers with ``date_format="epoch"``), durations as seconds or
    text.

    Example:
        >>> json_parser("Interaction.proactive", bool)("false")
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: Interaction.proactive must be true or false, got 'false'
    """
    origin = typing.get_origin(kind)
    if kind is datetime:
        assert date is not None
        epoch = any(f.startswith("epoch") for f in date.formats)

        def instant(value: Any) -> datetime:
            if isinstance(value, str) or (
                epoch and isinstance(value, int | float) and not isinstance(value, bool)
            ):
                return date(value)
            raise _bad(field, "a date-time as text", value)

        return instant
    if kind is str:
        return _typed(field, str, "a string")
    if kind is bool:
        return _typed(field, bool, "true or false")
    if kind is int:
        return _typed(field, int, "an integer")
    if kind is float:
        return _typed(field, (int, float), "a number")
    if kind is timedelta:
        duration = _duration(field)
        return lambda v: duration(v) if not isinstance(v, bool) else duration(str(v))
    if kind is Decimal:

        def decimal(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise _bad(field, "a decimal number", value)
            return value

        return decimal
    if isinstance(kind, type) and issubclass(kind, Enum):
        enum = _enum(field, kind)
        return lambda v: enum(v) if isinstance(v, str) else enum(_raise(_bad(field, "text", v)))
    if origin is frozenset:
        (item,) = typing.get_args(kind)
        inner = (
            _enum(field, item)
            if isinstance(item, type) and issubclass(item, Enum)
            else _typed(field, str, "a list of strings")
        )

        def items(value: Any) -> frozenset[Any]:
            if not isinstance(value, list):
                raise _bad(field, "a list", value)
            return frozenset(inner(v) for v in value)

        return items
    if kind is FrozenDict or origin is FrozenDict:
        return _json_object(field)
    if origin is tuple:

        def pair(value: Any) -> Any:
            if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in value
            ):
                raise _bad(field, "a list of two integers", value)
            return value

        return pair
    return _identity


def _raise(exc: Exception) -> Any:
    raise exc


def _typed(field: str, types: type | tuple[type, ...], what: str) -> Parser:
    def check(value: Any) -> Any:
        if isinstance(value, bool) and types is not bool:
            raise _bad(field, what, value)
        if not isinstance(value, types):
            raise _bad(field, what, value)
        return value

    return check
