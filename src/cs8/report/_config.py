"""The report's configuration file (TOML): reader options, calendar, SLA policy, targets.

One file lets any export be reported without code::

    [input]                       # options every reader takes (timezone, encoding, date_format ...)
    timezone = "Asia/Ho_Chi_Minh"
    [input.tickets]               # options of one file role (--from cs8): its column map
    columns = {id = "Ticket ID", created_at = "Created"}
    [input.values.status]         # raw value -> cs8 value (readers that take values=)
    Resolved = "solved"           # "" maps a value to nothing (TOML has no null)

    [calendar]                    # a BusinessCalendar's data form (cs8.serialization)
    timezone = "Asia/Ho_Chi_Minh"
    holidays = ["2026-09-02"]
    [calendar.hours]
    mon = [["08:00", "12:00"], ["13:30", "17:30"]]

    [sla]                         # an SLA policy document (cs8.sla.load_policy), in TOML
    name = "standard"
    [[sla.targets]]
    metric = "first_reply"
    within = "PT4H"               # seconds or ISO 8601
    priority = ["high", "urgent"]

    [scorecard]
    csat = 0.85
    answer_within = 20

    [staffing]                    # next week's staffing plan (see cs8.report._staffing)
    channels = ["phone"]
    [[staffing.shifts]]
    name = "day"
    start = "08:00"
    length = "PT9H"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from cs8._frozen import FrozenDict
from cs8.exceptions import Cs8Error, InvalidValueError
from cs8.report._scorecard import ScorecardTargets
from cs8.report._staffing import StaffingOptions, parse_staffing
from cs8.serialization import parse_duration
from cs8.sla import BusinessCalendar, SlaPolicy, load_policy

__all__ = ["ReportConfig", "load_config"]

_SECTIONS = {"input", "calendar", "sla", "scorecard", "staffing"}


def _frozen(value: Mapping[str, Any]) -> FrozenDict[str, Any]:
    return FrozenDict(value)


@attrs.frozen(kw_only=True)
class ReportConfig:
    """What a configuration file sets; every part is optional.

    Args:
        input: Reader options: common keys, and one table per file role (``tickets``, ...).
        calendar: The business calendar.
        policy: The SLA policy (on ``calendar`` when both are given).
        targets: The scorecard targets.
        staffing: How the staffing plan is made (interval, channels, shift templates).

    Example:
        >>> ReportConfig().targets.csat
        0.85
    """

    input: FrozenDict[str, Any] = attrs.field(factory=FrozenDict, converter=_frozen)
    calendar: BusinessCalendar | None = None
    policy: SlaPolicy | None = None
    targets: ScorecardTargets = attrs.field(factory=ScorecardTargets)
    staffing: StaffingOptions = attrs.field(factory=StaffingOptions)

    def reader_options(self, role: str | None, roles: frozenset[str]) -> dict[str, Any]:
        """Return the options for one reader: the common keys, then the role's own table.

        Example:
            >>> cfg = parse_config({"input": {"timezone": "UTC", "tickets": {"columns": {"id": "No"}}}})
            >>> cfg.reader_options("tickets", frozenset({"tickets"}))
            {'timezone': 'UTC', 'columns': {'id': 'No'}}
        """
        common = {k: v for k, v in self.input.items() if k not in roles}
        own = self.input.get(role, {}) if role is not None else {}
        return {**common, **dict(own)}


def _fail(source: str, where: str, problem: str) -> Cs8Error:
    return InvalidValueError(f"{source}: [{where}] {problem}")


def _calendar(spec: Mapping[str, Any], source: str) -> BusinessCalendar:
    """The ``[calendar]`` table, read by :mod:`cs8.serialization` (the calendar's data form)."""
    from cs8.serialization import from_data

    try:
        return from_data(dict(spec), BusinessCalendar)
    except Cs8Error as exc:
        raise _fail(source, "calendar", str(exc)) from exc


def _policy(spec: Mapping[str, Any], calendar: BusinessCalendar | None, source: str) -> SlaPolicy:
    """The ``[sla]`` table: an SLA policy document (:func:`cs8.sla.load_policy`) in TOML.

    Without a calendar of its own, the policy counts business time on ``[calendar]``.
    """
    try:
        policy = load_policy({"name": "custom", **spec})
    except Cs8Error as exc:
        raise _fail(source, "sla", str(exc)) from exc
    if policy.calendar is None and calendar is not None:
        policy = attrs.evolve(policy, calendar=calendar)
    return policy


def _targets(spec: Mapping[str, Any], source: str) -> ScorecardTargets:
    values = dict(spec)
    try:
        if "answer_within" in values:
            values["answer_within"] = parse_duration(values["answer_within"], "answer_within")
        return ScorecardTargets(**values)
    except (Cs8Error, ValueError, TypeError) as exc:
        raise _fail(source, "scorecard", str(exc)) from exc


def _null_values(table: Mapping[str, Any]) -> dict[str, Any]:
    """``""`` in a ``values`` map means "no value" (``None``): TOML has no null.

    Example:
        >>> _null_values({"values": {"activity": {"Assign seriousness": ""}}, "timezone": ""})
        {'values': {'activity': {'Assign seriousness': None}}, 'timezone': ''}
    """
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key == "values" and isinstance(value, Mapping):
            out[key] = {
                role: {
                    raw: None if cooked == "" else cooked for raw, cooked in dict(mapping).items()
                }
                if isinstance(mapping, Mapping)
                else mapping
                for role, mapping in value.items()
            }
        elif isinstance(value, Mapping):
            out[key] = _null_values(value)
        else:
            out[key] = value
    return out


def parse_config(data: Mapping[str, Any], source: str = "config") -> ReportConfig:
    """Build a :class:`ReportConfig` from parsed TOML.

    Raises:
        InvalidValueError: If a section or a value is not understood; the message names the
            file, the section and the problem.

    Example:
        >>> cfg = parse_config({"calendar": {"timezone": "Asia/Ho_Chi_Minh",
        ...                                  "hours": {"mon": [["08:00", "17:00"]]}},
        ...                     "sla": {"targets": [{"metric": "first_reply", "within": "PT4H"}]}})
        >>> cfg.calendar.timezone, cfg.policy.targets[0].within
        ('Asia/Ho_Chi_Minh', datetime.timedelta(seconds=14400))
    """
    unknown = set(data) - _SECTIONS
    if unknown:
        raise InvalidValueError(
            f"{source}: unknown section(s) {sorted(unknown)}; known: {sorted(_SECTIONS)}"
        )
    calendar = _calendar(data["calendar"], source) if "calendar" in data else None
    policy = _policy(data["sla"], calendar, source) if "sla" in data else None
    targets = _targets(data.get("scorecard", {}), source)
    return ReportConfig(
        input=_null_values(data.get("input", {})),
        calendar=calendar,
        policy=policy,
        targets=targets,
        staffing=parse_staffing(data.get("staffing", {}), source),
    )


def load_config(path: Path) -> ReportConfig:
    """Read a TOML configuration file.

    Raises:
        InvalidValueError: If the file is not valid TOML or a value is not understood.
        OSError: If the file cannot be read.

    Example:
        >>> import tempfile, os
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = Path(d, "cs8.toml")
        ...     _ = p.write_text('[scorecard]\\ncsat = 0.9\\n', encoding="utf-8")
        ...     load_config(p).targets.csat
        0.9
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValueError(f"{path}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidValueError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    return parse_config(data, str(path))
