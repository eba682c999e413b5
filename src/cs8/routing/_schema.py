"""Reading rule documents safely: size limits, JSON paths in errors, ISO 8601 durations, the schema.

Everything here works on plain JSON values (dicts with string keys, lists, strings, finite numbers,
booleans and null) and never evaluates or looks up anything by a user-supplied name.

Example:
    >>> parse_duration("PT1H30M", Loc("after"))
    datetime.timedelta(seconds=5400)
    >>> format_duration(parse_duration("P1DT0.5S", Loc("after")))
    'P1DT0.5S'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from importlib import resources
from typing import NoReturn, TypeAlias

import attrs

from cs8.exceptions import InvalidValueError, RuleError

__all__ = [
    "JsonValue",
    "Loc",
    "RuleLimits",
    "check_document",
    "format_duration",
    "parse_duration",
    "parse_text",
    "rules_schema",
]

JsonValue: TypeAlias = (
    "str | int | float | bool | Mapping[str, JsonValue] | Sequence[JsonValue] | None"
)
"""A JSON value as Python holds it (dicts with string keys, lists, scalars)."""


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name} must be a positive integer, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class RuleLimits:
    """Bounds on what :func:`load_rules` accepts, so a hostile document cannot exhaust memory or stack.

    Args:
        max_chars: Longest JSON text accepted, in characters.
        max_nodes: Most JSON values (objects, arrays and scalars, counted one each) in a document.
        max_depth: Deepest nesting of ``all`` / ``any`` / ``not`` in one condition.
        max_rules: Most rules in a document.
        max_list: Longest list of values in one comparison (``in``, ``not_in``, ``has``).
        max_string: Longest string anywhere in a document, in characters.

    Example:
        >>> RuleLimits().max_depth
        16
        >>> RuleLimits(max_depth=0)
        Traceback (most recent call last):
        ...
        cs8.exceptions.InvalidValueError: RuleLimits.max_depth must be a positive integer, got 0
    """

    max_chars: int = attrs.field(default=1_000_000, validator=_positive_int)
    max_nodes: int = attrs.field(default=100_000, validator=_positive_int)
    max_depth: int = attrs.field(default=16, validator=_positive_int)
    max_rules: int = attrs.field(default=1_000, validator=_positive_int)
    max_list: int = attrs.field(default=1_000, validator=_positive_int)
    max_string: int = attrs.field(default=1_000, validator=_positive_int)


@attrs.frozen
class Loc:
    """Where in a rule document a value sits: its JSON path and the rule it belongs to.

    Example:
        >>> Loc("rules[3]", rule="vip").key("when").key("all").index(1).key("op").path
        'rules[3].when.all[1].op'
    """

    path: str
    rule: str | None = None

    def key(self, name: str) -> Loc:
        """Return the location of member ``name`` of the object here."""
        return Loc(f"{self.path}.{name}" if self.path else name, self.rule)

    def index(self, i: int) -> Loc:
        """Return the location of item ``i`` of the array here."""
        return Loc(f"{self.path}[{i}]", self.rule)

    def named(self, rule: str) -> Loc:
        """Return this location inside the rule called ``rule``."""
        return Loc(self.path, rule)

    def error(self, problem: str) -> RuleError:
        """Return a :class:`RuleError` naming the rule (when known) and this path, to raise.

        Example:
            >>> raise Loc("rules[0].name", rule="vip").error("must be a string")
            Traceback (most recent call last):
            ...
            cs8.exceptions.RuleError: rule 'vip' at rules[0].name: must be a string
        """
        where = (
            f"rule {self.rule!r} at {self.path or '$'}" if self.rule else f"at {self.path or '$'}"
        )
        return RuleError(f"{where}: {problem}")


def describe(value: object) -> str:
    """Return a short, safe description of a JSON value for an error message.

    Example:
        >>> describe("x" * 100)
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"
    """
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:40] + "...")
    return repr(value)


def _reject_constant(name: str) -> NoReturn:  # json calls it for NaN and Infinity
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_text(text: str | bytes, limits: RuleLimits) -> object:
    """Parse JSON text, turning every failure (syntax, depth, NaN, duplicate keys) into RuleError.

    Example:
        >>> parse_text('{"rules": []}', RuleLimits())
        {'rules': []}
        >>> parse_text('{"a": NaN}', RuleLimits())
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: at $: not valid JSON: NaN is not a JSON number
    """
    if len(text) > limits.max_chars:
        raise Loc("").error(
            f"the document has {len(text)} characters, more than {limits.max_chars}"
        )
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise Loc("").error("not valid JSON: nested too deeply") from None
    except (ValueError, TypeError) as exc:
        raise Loc("").error(f"not valid JSON: {exc}") from exc


def check_document(document: object, limits: RuleLimits) -> None:
    """Check that ``document`` is plain JSON within the size limits, without recursion.

    Raises:
        RuleError: On a non-JSON value (a set, NaN, a non-string key ...), too many values, too long
            a string, or nesting deeper than the condition depth allows.

    Example:
        >>> check_document({"rules": [{"name": {1, 2}}]}, RuleLimits())
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: at rules[0].name: not a JSON value: a set
    """
    max_json_depth = 2 * limits.max_depth + 12
    stack: list[tuple[object, Loc, int]] = [(document, Loc(""), 0)]
    nodes = 0
    while stack:
        value, loc, depth = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise Loc("").error(f"the document has more than {limits.max_nodes} values")
        if depth > max_json_depth:
            raise loc.error(f"nested more than {max_json_depth} levels deep")
        if value is None or isinstance(value, bool | int):
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                raise loc.error(f"not a JSON value: {value!r}")
            continue
        if isinstance(value, str):
            if len(value) > limits.max_string:
                raise loc.error(f"a string longer than {limits.max_string} characters")
            continue
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise loc.error(f"object keys must be strings, got {key!r}")
                if len(key) > limits.max_string:
                    raise loc.error(f"a key longer than {limits.max_string} characters")
                stack.append((item, loc.key(key), depth + 1))
            continue
        if isinstance(value, list | tuple):
            for i, item in enumerate(value):
                stack.append((item, loc.index(i), depth + 1))
            continue
        kind = "a set" if isinstance(value, set | frozenset) else type(value).__name__
        raise loc.error(f"not a JSON value: {kind}")


# --------------------------------------------------------------------------------------------------
# Durations

_DURATION = re.compile(
    r"P(?:(?P<w>\d{1,6})W)?(?:(?P<d>\d{1,6})D)?"
    r"(?:T(?:(?P<h>\d{1,8}(?:[.,]\d{1,9})?)H)?(?:(?P<m>\d{1,10}(?:[.,]\d{1,9})?)M)?"
    r"(?:(?P<s>\d{1,12}(?:[.,]\d{1,9})?)S)?)?"
)
MAX_DURATION_SECONDS = 100 * 366 * 86400
"""The longest duration a rule document may hold (about a hundred years)."""


def parse_duration(value: object, loc: Loc, *, allow_negative: bool = False) -> timedelta:
    """Read a duration: ISO 8601 (``"PT30M"``, ``"P1DT2H"``; weeks, days, hours, minutes, seconds)
    or a number of seconds.

    Years and months are refused: their length varies.

    Raises:
        RuleError: Naming ``loc`` when the value is neither, or out of range.

    Example:
        >>> parse_duration(90, Loc("after")), parse_duration("PT1.5M", Loc("after"))
        (datetime.timedelta(seconds=90), datetime.timedelta(seconds=90))
        >>> parse_duration("P1M", Loc("after"))
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: at after: expected an ISO 8601 duration such as 'PT30M' (weeks, days, hours, minutes, seconds) or a number of seconds, got 'P1M'
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) and abs(value) > MAX_DURATION_SECONDS:
            raise loc.error(f"duration out of range: {describe(value)}")
        seconds = float(value)
    elif isinstance(value, str):
        match = _DURATION.fullmatch(value)  # designators are upper case, as ISO 8601 writes them
        if match is None or value in ("P", "PT") or value.endswith("T"):
            raise loc.error(
                "expected an ISO 8601 duration such as 'PT30M' (weeks, days, hours, minutes, "
                f"seconds) or a number of seconds, got {describe(value)}"
            )
        parts = {k: float(v.replace(",", ".")) if v else 0.0 for k, v in match.groupdict().items()}
        seconds = (
            parts["w"] * 604800
            + parts["d"] * 86400
            + parts["h"] * 3600
            + parts["m"] * 60
            + parts["s"]
        )
    else:
        raise loc.error(f"expected a duration (ISO 8601 text or seconds), got {describe(value)}")
    if not math.isfinite(seconds) or abs(seconds) > MAX_DURATION_SECONDS:
        raise loc.error(f"duration out of range: {describe(value)}")
    if seconds < 0 and not allow_negative:
        raise loc.error(f"duration must not be negative, got {describe(value)}")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """Write a duration as canonical ISO 8601 text (days, hours, minutes, seconds).

    Example:
        >>> format_duration(timedelta(hours=26, seconds=1)), format_duration(timedelta(0))
        ('P1DT2H1S', 'PT0S')
    """
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    days = value.days
    secs = value.seconds
    micros = value.microseconds
    hours, secs = divmod(secs, 3600)
    minutes, secs = divmod(secs, 60)
    out = f"{sign}P{days}D" if days else f"{sign}P"
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if secs or micros:
        time += f"{secs}.{micros:06d}".rstrip("0").rstrip(".") + "S"
    if time:
        out += "T" + time
    elif not days:
        out += "T0S"
    return out


def rules_schema() -> dict[str, object]:
    """Return the JSON Schema (draft 2020-12) of rule documents shipped as ``rules.schema.json``.

    Example:
        >>> rules_schema()["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
    """
    text = resources.files("cs8.routing").joinpath("rules.schema.json").read_text("utf-8")
    schema = json.loads(text)
    if not isinstance(schema, dict):  # pragma: no cover - the shipped file is an object
        raise RuleError("rules.schema.json is not a JSON object")
    return schema
