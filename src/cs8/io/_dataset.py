"""What a vendor reader returns (:class:`Dataset`), and the pieces every vendor reader shares.

A vendor export is several tables (tickets, comments, users, groups ...). :class:`VendorLoad`
reads each table (CSV through the same line-accounting reader as :func:`read_records`, JSON with
the same depth guard), builds models through their constructors and keeps, per file, how many rows
were read, so ``records + rejected == rows read`` can be checked file by file
(:attr:`Dataset.rows_read`). In JSON files a row's "line" is its 1-based position in the file's
list of objects.

Example:
    >>> ds = Dataset(source="demo")
    >>> ds.tickets, ds.calendar, ds.ok
    ((), None, True)
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import attrs

from cs8._display import DictReprMixin
from cs8._enums import Channel, Priority, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import Agent, Customer, Interaction, SurveyResponse, Ticket, TicketEvent
from cs8.exceptions import Cs8Error, LoadError
from cs8.io._common import RejectedRow
from cs8.io._csvrows import csv_records
from cs8.io._duplicates import check_rule, settle
from cs8.io._events import attach, order_warnings
from cs8.io._rows import Meter, Progress
from cs8.io._source import _decode_error, _detect_bom, escape, open_source
from cs8.io._values import DateParser, ValueMap, _enum, load_json, map_channel
from cs8.sla import BusinessCalendar, OngoingCycle, SlaCycle, SlaPolicy

__all__ = ["Dataset", "VendorLoad", "VendorOptions", "by_ticket", "get_path", "vendor_load"]

_ABSENT = object()
_E = TypeVar("_E")

_VALUE_KINDS: Mapping[str, type[TicketStatus] | type[Priority]] = FrozenDict(
    {"status": TicketStatus, "priority": Priority}
)


def _tuple(values: Any) -> tuple[Any, ...]:
    return tuple(values)


def _frozen(value: Mapping[str, Any]) -> FrozenDict[str, Any]:
    if not isinstance(value, Mapping):
        raise LoadError(f"expected a mapping, got {escape(repr(value))}")
    return FrozenDict(value)


def _cycles(
    values: Mapping[str, Mapping[str, Sequence[SlaCycle]]],
) -> FrozenDict[str, FrozenDict[str, tuple[SlaCycle, ...]]]:
    return FrozenDict(
        {t: FrozenDict({n: tuple(c) for n, c in by.items()}) for t, by in values.items()}
    )


def _ongoing(
    values: Mapping[str, Mapping[str, OngoingCycle]],
) -> FrozenDict[str, FrozenDict[str, OngoingCycle]]:
    return FrozenDict({t: FrozenDict(by) for t, by in values.items()})


def _metrics(
    values: Mapping[str, Mapping[str, timedelta | int | None]],
) -> FrozenDict[str, FrozenDict[str, timedelta | int | None]]:
    return FrozenDict({t: FrozenDict(by) for t, by in values.items()})


def _counts(values: Mapping[str, int]) -> FrozenDict[str, int]:
    return values if isinstance(values, FrozenDict) else FrozenDict(values)


@attrs.frozen(kw_only=True, repr=False)
class Dataset(DictReprMixin):
    """Everything a vendor export holds, as cs8 models, with every row that did not load.

    Attributes:
        tickets: The tickets with their event logs.
        customers: Requesters (end users, contacts).
        agents: Agents (staff users).
        interactions: Contacts (calls, chats), for exports that have them.
        surveys: Survey responses (satisfaction ratings), for exports that have them.
        rejected: Every row that did not become a record or an event, with its file, line and
            reason.
        calendar: The business calendar of the export's schedule, when it has one.
        policy: The SLA policy of the export, when it has one.
        source: Where the data came from (the path given).
        rows_read: File name -> rows read from it.
        warnings: Definition choices that applied to this data, with counts.
        sla_cycles: Ticket id -> the export's SLA name -> the vendor's own completed cycles
            (Jira Service Management SLA fields), for :func:`~cs8.io.reconcile`.
        ongoing_cycles: Ticket id -> the export's SLA name -> the vendor's own cycle still
            running when the export was taken (Jira Service Management's ``ongoingCycle``), for
            :func:`~cs8.io.reconcile`.
        vendor_metrics: Ticket id -> metric name (:data:`~cs8.io.VENDOR_METRICS`) -> the
            vendor's own figure (a duration or a count, ``None`` where it has none), for
            :func:`~cs8.io.reconcile`.
    """

    tickets: tuple[Ticket, ...] = attrs.field(default=(), converter=_tuple)
    customers: tuple[Customer, ...] = attrs.field(default=(), converter=_tuple)
    agents: tuple[Agent, ...] = attrs.field(default=(), converter=_tuple)
    interactions: tuple[Interaction, ...] = attrs.field(default=(), converter=_tuple)
    surveys: tuple[SurveyResponse, ...] = attrs.field(default=(), converter=_tuple)
    rejected: tuple[RejectedRow, ...] = attrs.field(default=(), converter=_tuple)
    calendar: BusinessCalendar | None = None
    policy: SlaPolicy | None = None
    source: str = ""
    rows_read: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_counts)
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    sla_cycles: FrozenDict[str, FrozenDict[str, tuple[SlaCycle, ...]]] = attrs.field(
        factory=FrozenDict, converter=_cycles
    )
    vendor_metrics: FrozenDict[str, FrozenDict[str, timedelta | int | None]] = attrs.field(
        factory=FrozenDict, converter=_metrics
    )
    ongoing_cycles: FrozenDict[str, FrozenDict[str, OngoingCycle]] = attrs.field(
        factory=FrozenDict, converter=_ongoing
    )

    @property
    def ok(self) -> bool:
        """Whether every row loaded."""
        return not self.rejected

    def to_dict(self) -> dict[str, object]:
        """Return a summary: how many of each model, the rejections and the warnings.

        Example:
            >>> Dataset(source="export/").to_dict()["tickets"]
            0
        """
        return {
            "source": self.source,
            "tickets": len(self.tickets),
            "customers": len(self.customers),
            "agents": len(self.agents),
            "interactions": len(self.interactions),
            "surveys": len(self.surveys),
            "rejected": len(self.rejected),
            "first_rejections": [str(row) for row in self.rejected[:5]],
            "calendar": self.calendar is not None,
            "policy": self.policy is not None,
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        """A summary, never the records."""
        return (
            f"Dataset(source={self.source!r}, tickets={len(self.tickets):,}, "
            f"customers={len(self.customers):,}, agents={len(self.agents):,}, "
            f"rejected={len(self.rejected):,})"
        )

    _hidden: ClassVar[frozenset[str]] = frozenset({"source"})

    def _title(self) -> str:
        return f"Dataset {self.source}"


@attrs.frozen(kw_only=True)
class VendorOptions:
    """The options every vendor reader takes (checked when the read starts).

    Attributes:
        columns: cs8 ticket field -> the column (CSV) or key path (JSON, dotted:
            ``"custom_fields.cf_product"``) that holds it, instead of the vendor's own.
        values: ``"status"``, ``"priority"`` or ``"channel"`` -> {raw value: cs8 value}, tried
            before the vendor's own codes (a custom status name, a custom priority code).
        date_format: How the export writes instants (see :class:`~cs8.io._values.DateParser`:
            a strptime format, several, ``"iso"``, ``"epoch"``, ``"epoch_ms"``, ``"dayfirst"``).
        timezone: IANA zone for instants written without a UTC offset.
        encoding: The files' text encoding (a byte-order mark overrides it).
        duplicates: A ticket id read more than once: ``"reject"`` every copy (the default),
            ``"keep_first"`` or ``"keep_last"`` (:data:`~cs8.io._duplicates.DUPLICATES`).
        progress: ``True`` for a progress bar over the rows and objects read, or a callable
            given that count (see :class:`~cs8.io._rows.Meter`).
    """

    columns: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=_frozen)
    values: Mapping[str, Mapping[Any, Any]] = attrs.field(factory=FrozenDict, converter=_frozen)
    date_format: str | Sequence[str] | None = None
    timezone: str = "UTC"
    encoding: str = "utf-8"
    duplicates: str = attrs.field(default="reject", converter=check_rule)
    progress: Progress = False


def vendor_load(
    source: str | os.PathLike[str],
    keys: Mapping[str, str],
    *,
    columns: Mapping[str, str] | None,
    values: Mapping[str, Mapping[Any, Any]] | None,
    date_format: str | Sequence[str] | None,
    timezone: str,
    encoding: str,
    duplicates: str = "reject",
    before_created: str = "reject",
    progress: Progress = False,
) -> VendorLoad:
    """The :class:`VendorLoad` of a vendor reader's common options (checked here)."""
    options = VendorOptions(
        columns=columns or {},
        values=values or {},
        date_format=date_format,
        timezone=timezone,
        encoding=encoding,
        duplicates=duplicates,
        progress=progress,
    )
    return VendorLoad(source, options, keys, before_created)


def by_ticket(
    items: Iterable[tuple[str, int, Ticket, Sequence[Any]]],
) -> tuple[
    list[tuple[str, int, Ticket]],
    dict[str, list[tuple[int, TicketEvent]]],
    dict[str, tuple[Any, ...]],
]:
    """Split the tickets a vendor reader read, ``(file, position, ticket, (events, *rest))`` as
    :meth:`VendorLoad.ticket_objects` yields them, into ``(file, position, ticket)`` for
    :meth:`VendorLoad.tickets`, ticket id -> its events at the ticket's position (for
    :meth:`VendorLoad.children` to add to), and ticket id -> ``(position, *rest)``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket, TicketStatus
        >>> from cs8._ticket import StatusChange
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="7", customer_id="c", channel="chat", created_at=t0)
        >>> solved = StatusChange(at=t0, status=TicketStatus.SOLVED)
        >>> tickets, events, rest = by_ticket([("f.json", 3, t, ([solved], "extra"))])
        >>> [(f, p, x.id) for f, p, x in tickets], events["7"] == [(3, solved)], rest["7"]
        ([('f.json', 3, '7')], True, (3, 'extra'))
    """
    tickets: list[tuple[str, int, Ticket]] = []
    events: dict[str, list[tuple[int, TicketEvent]]] = {}
    rest: dict[str, tuple[Any, ...]] = {}
    for source, position, ticket, (own, *more) in items:
        tickets.append((source, position, ticket))
        events[ticket.id] = [(position, e) for e in own]
        rest[ticket.id] = (position, *more)
    return tickets, events, rest


def get_path(obj: Mapping[str, Any], key: str) -> Any:
    """``obj[key]``, or the value at the dotted path ``key`` (``"meta.sender.id"``); ``None``
    where the path leads nowhere."""
    return obj[key] if key in obj else _dig(obj, key)


class VendorLoad:
    """The state of one vendor read: rows read per file, rejected rows, warnings.

    Args:
        source: The path given to the reader.
        options: The reader's :class:`VendorOptions`.
        keys: cs8 ticket field -> the vendor's own column or key for it (what ``columns=`` may
            replace).
        before_created: ``"reject"`` or ``"clamp"`` an event before its ticket's creation.

    A context manager: leaving it ends the progress report (:class:`~cs8.io._rows.Meter`).
    Not thread-safe: one reader owns it.

    Raises:
        LoadError: If an option is not valid (an unknown field, a value map that is not a
            mapping, an unknown time zone or encoding, a date format without ``%``).
        MissingExtraError: If ``progress`` is ``True`` and tqdm is not installed.
    """

    def __init__(
        self,
        source: str | os.PathLike[str],
        options: VendorOptions,
        keys: Mapping[str, str],
        before_created: str = "reject",
    ) -> None:
        self.source = escape(str(source))
        self.before_created = before_created
        self.rows_read: dict[str, int] = {}
        self.rejected: list[RejectedRow] = []
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {}
        for field, column in options.columns.items():
            if field not in keys:
                raise LoadError(
                    f"columns: {escape(repr(field))} is not a field this reader reads (one of "
                    f"{', '.join(sorted(keys))})"
                )
            if not isinstance(column, str) or not column:
                raise LoadError(f"columns[{field!r}] must be a column name or key path")
        self.renames = {keys[f]: c for f, c in options.columns.items()}
        self.maps: dict[str, ValueMap] = {}
        for field, table in options.values.items():
            if field not in (*_VALUE_KINDS, "channel"):
                raise LoadError(
                    f"values: {escape(repr(field))} cannot be mapped (map status, priority or "
                    "channel)"
                )
            if not isinstance(table, Mapping):
                raise LoadError(f"values[{field!r}] must map raw values to cs8 values")
            self.maps[field] = ValueMap({k: _cs8_value(field, v) for k, v in table.items()})
        if isinstance(options.date_format, Mapping):
            raise LoadError("a vendor reader takes one date_format for all its instants")
        try:
            codecs.lookup(options.encoding)
        except (LookupError, TypeError):
            raise LoadError(f"unknown encoding {escape(repr(options.encoding))}") from None
        self.encoding = options.encoding
        self.duplicates = options.duplicates
        self.instant = DateParser("instant", options.date_format, options.timezone)
        self.epoch = (
            self.instant
            if options.date_format is not None
            else DateParser("instant", "epoch", options.timezone)
        )
        self.meter = Meter(options.progress, self.source)

    def __enter__(self) -> VendorLoad:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        self.meter.__exit__(kind, *rest)

    # ------------------------------------------------------------------------------ reading

    def csv_table(
        self, path: Path, *, renamed: bool = False
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(line, column -> cell)`` for each row of a CSV table; bad rows are rejected.

        With ``renamed``, the ``columns=`` option applies: each vendor column it replaces reads
        the user's column (which must be in the header).
        """
        with open_source(path, self.encoding) as src:
            header, records = csv_records(src.lines, ",", src.name)
            if renamed:
                absent = sorted({c for c in self.renames.values() if c not in header})
                if absent:
                    raise LoadError(
                        f"{src.name}: no column {escape(', '.join(map(repr, absent)))} "
                        f"(columns= names it; the header has {escape(', '.join(header), 300)})"
                    )
            self.rows_read.setdefault(src.name, 0)
            for line, cells, problem in records:
                self.rows_read[src.name] += 1
                self.meter.add()
                if cells is None:
                    self.reject(src.name, line, str(problem))
                    continue
                row = dict(zip(header, cells, strict=True))
                yield line, self.renamed(row) if renamed else row

    def csv_rows(self, path: Path) -> Iterator[tuple[str, int, dict[str, str]]]:
        """Yield ``(file name, line, column -> cell)`` for each good row of a CSV table."""
        name = escape(str(path))
        for line, row in self.csv_table(path):
            yield name, line, row

    def renamed(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """``row`` with each vendor key that ``columns=`` replaces read from the user's key.

        A CSV column is a key; in JSON a dotted path reaches into objects
        (``"custom_fields.cf_product"``) unless the object has that exact key. A path that is
        absent reads as an absent key.
        """
        out = dict(row)
        for key, path in self.renames.items():
            out[key] = row[path] if path in row else _dig(row, path)
        return out

    def mapped(self, field: str, raw: Any) -> Any:
        """The cs8 value the ``values=`` map gives ``raw`` for ``field``, or ``None``.

        ``status`` and ``priority`` give the enum member; ``channel`` gives ``(channel, raw
        name)``.

        """
        table = self.maps.get(field)
        if table is None:
            return None
        value = table(raw, _ABSENT)
        if value is _ABSENT:
            return None
        return (value, str(raw)) if field == "channel" else value

    def json_table(
        self, path: Path, *keys: str, renamed: bool = False
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield ``(position, object)`` for each object of a JSON file.

        The file holds one object, a list of objects, or an object with the list under one of
        ``keys`` (``"results"``, ``"tickets"``, dotted: ``"data.payload"`` ...). A JSON Lines
        file works too.
        """
        name = escape(str(path))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise LoadError(f"cannot read {name}: {exc.strerror or exc}") from None
        text = _decode(data, name, self.encoding)
        try:
            value = load_json(text)
        except Cs8Error as exc:
            if not text.lstrip().startswith("{") or "\n{" not in text:
                raise LoadError(f"{name}: {exc}") from None
            value = None
        if value is None:  # JSON Lines
            items: list[Any] = []
            for line in text.splitlines():
                if line.strip():
                    try:
                        items.append(load_json(line))
                    except Cs8Error as exc:
                        items.append(_Bad(str(exc)))
        elif isinstance(value, list):
            items = value
        elif isinstance(value, dict):
            found = next((v for k in keys if isinstance(v := _dig(value, k), list)), None)
            items = found if found is not None else [value]
        else:
            raise LoadError(f"{name}: expected JSON objects, got {type(value).__name__}")
        self.rows_read[name] = self.rows_read.get(name, 0) + len(items)
        for position, item in enumerate(items, 1):
            self.meter.add()
            if isinstance(item, dict):
                yield position, item if not renamed else self.renamed(item)
            else:
                reason = item.reason if isinstance(item, _Bad) else "expected a JSON object"
                self.reject(name, position, reason)

    # ----------------------------------------------------------------------------- building

    def reject(
        self, source: str, line: int, reason: str, row: Mapping[str, Any] | None = None
    ) -> None:
        """Record a rejected row."""
        self.rejected.append(
            RejectedRow(
                source=source,
                line=line,
                column=None,
                value=None,
                reason=escape(reason, 400),
                row={k: v for k, v in (row or {}).items() if _scalar(v)},
            )
        )

    def build(
        self,
        cls: Callable[..., Any],
        source: str,
        line: int,
        row: Mapping[str, Any],
        make: Callable[..., dict[str, Any]],
        *args: Any,
    ) -> Any:
        """Build ``cls(**make(*args))``, or reject the row with the reason and return None."""
        return self.attempt(source, line, row, lambda: cls(**make(*args)))

    def attempt(
        self,
        source: str,
        line: int,
        row: Mapping[str, Any],
        make: Callable[..., Any],
        *args: Any,
    ) -> Any:
        """Return ``make(*args)``, or reject the row with the reason and return None."""
        try:
            return make(*args)
        except (Cs8Error, ValueError, TypeError, KeyError, OverflowError) as exc:
            self.reject(source, line, str(exc), row)
            return None

    def at(self, value: Any) -> datetime | None:
        """An instant from an ISO 8601 text (``None`` for ``None`` or an empty text)."""
        if value is None or value == "":
            return None
        return self.instant(value)

    def stamp(self, value: Any) -> datetime | None:
        """An instant written as epoch seconds (a JSON number) or as text (ISO 8601), as the
        chat vendors' APIs mix them; with ``date_format=`` given, that format reads both."""
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.epoch(value)
        return self.instant(value)

    def ticket_objects(
        self,
        path: Path,
        keys: Sequence[str],
        make_ticket: Callable[..., dict[str, Any]],
        make_extra: Callable[..., Any],
    ) -> Iterator[tuple[str, int, Ticket, Any]]:
        """Yield ``(file, position, ticket, extra)`` for each object of a tickets file.

        ``make_ticket(self, obj)`` gives the :class:`Ticket` fields and ``make_extra(self, obj)``
        what else the object holds: ``(its events, *anything else)``, which :func:`by_ticket`
        splits; an object either fails is rejected with the reason. A repeated ticket id is settled by the ``duplicates=`` rule (:meth:`unique`).
        ``columns=`` applies.
        """
        name = escape(str(path))
        items: list[tuple[str, int, Ticket, Any]] = []
        for position, obj in self.json_table(path, *keys, renamed=True):
            ticket = self.build(Ticket, name, position, obj, make_ticket, self, obj)
            if ticket is None:
                continue
            extra = self.attempt(name, position, obj, make_extra, self, obj)
            if extra is not None:
                items.append((name, position, ticket, extra))
        yield from self.unique(items)

    def unique(
        self,
        items: Sequence[tuple[str, int, Ticket, _E]],
        *,
        order: Callable[[_E], Any] | None = None,
        unit: str = "object",
    ) -> list[tuple[str, int, Ticket, _E]]:
        """``items`` (``(file, line, ticket, extra)``) with each repeated ticket id settled by
        the ``duplicates=`` rule (:func:`~cs8.io._duplicates.settle`, as the CSV readers do);
        each copy dropped is a rejected row naming the copy kept.

        Args:
            items: The tickets read, in read order.
            order: With ``duplicates="keep_last"``, which copy is the latest, from its
                ``extra`` (Zendesk: ``updated_at``); ``None`` for read order.
            unit: ``"object"`` (JSON) or ``"line"`` (CSV), for the reasons.
        """
        copies: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            copies.setdefault(item[2].id, []).append(i)
        drop: set[int] = set()
        for ident, where in copies.items():
            if len(where) == 1:
                continue
            keys = None if order is None else [order(items[i][3]) for i in where]
            lines = [items[i][1] for i in where]
            _, dropped = settle(self.duplicates, lines, order=keys, unit=unit)
            for j, detail in dropped:
                source, line = items[where[j]][:2]
                drop.add(where[j])
                self.reject(source, line, f"duplicate id {ident!r} ({detail})")
        return [item for i, item in enumerate(items) if i not in drop] if drop else list(items)

    def children(
        self,
        path: Path,
        events: Mapping[str, list[tuple[int, TicketEvent]]],
        make: Callable[..., TicketEvent | None],
        *args: Any,
        key: str = "ticket_id",
        keys: Sequence[str] = (),
    ) -> set[str]:
        """Read a table of per-ticket objects (conversations, articles, messages) into ``events``.

        Each object names its ticket under ``key``; ``make(self, obj, *args)`` gives its event,
        or None for an object that is read but is not an event (counted by ``make`` in the
        warnings). An object of no loaded ticket, or whose ``make`` raises, is rejected.

        Returns:
            The ids of the tickets that got an event.
        """
        name = escape(str(path))
        got: set[str] = set()
        for position, obj in self.json_table(path, *keys):
            ticket_id = str(obj.get(key, ""))
            if ticket_id not in events:
                self.reject(name, position, f"no ticket {ticket_id!r} was loaded", obj)
                continue
            event = self.attempt(name, position, obj, make, self, obj, *args)
            if event is not None:
                events[ticket_id].append((position, event))
                got.add(ticket_id)
        return got

    def people(self, path: Path | None, cls: Callable[..., Any], *keys: str) -> list[Any]:
        """One ``cls`` (:class:`Customer` or :class:`Agent`) per object of a people file, by its
        ``id``; none without a file. ``keys`` find the list in an API response."""
        if path is None:
            return []
        name = escape(str(path))
        out = []
        for position, obj in self.json_table(path, *keys):
            person = self.build(cls, name, position, obj, _person, obj)
            if person is not None:
                out.append(person)
        return out

    def note(self, what: str, n: int = 1) -> None:
        """Count a definition choice that applied (reported in the warnings)."""
        self.counts[what] = self.counts.get(what, 0) + n

    def tickets(
        self,
        tickets: list[tuple[str, int, Ticket]],
        events: Mapping[str, list[tuple[int, TicketEvent]]],
    ) -> list[Ticket]:
        """Give each ticket its events; a ticket whose events cannot be ordered is rejected."""
        out: list[Ticket] = []
        clamped = 0
        for source, line, ticket in tickets:
            outcome, _, moved = attach(ticket, events.get(ticket.id, []), self.before_created)
            clamped += moved
            if isinstance(outcome, str):
                self.reject(source, line, outcome)
            else:
                out.append(outcome)
        self.warnings += order_warnings(0, clamped)
        return out

    def dataset(self, **parts: Any) -> Dataset:
        """The :class:`Dataset` of the read."""
        warnings = list(self.warnings)
        warnings += [f"{what}: {n}" for what, n in sorted(self.counts.items())]
        self.rejected.sort(key=lambda r: (r.source, r.line))
        return Dataset(
            source=self.source,
            rejected=tuple(self.rejected),
            rows_read=self.rows_read,
            warnings=tuple(warnings),
            **parts,
        )


class _Bad:
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _person(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": ident(obj.get("id"))}


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _decode(data: bytes, name: str, encoding: str) -> str:
    encoding = _detect_bom(data[:4], encoding)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _decode_error(name, io.BytesIO(data), encoding) from None
    except UnicodeError as exc:  # e.g. UTF-16 with an odd number of bytes
        raise LoadError(f"{name}: cannot decode the text as {encoding}: {exc}") from None


def _cs8_value(field: str, value: Any) -> Any:
    """A ``values=`` target as the cs8 value it names (checked once, before any row is read)."""
    if field == "channel":
        return map_channel(value.value if isinstance(value, Channel) else str(value))[0]
    try:
        return _enum(f"values[{field!r}]", _VALUE_KINDS[field])(value)
    except Cs8Error as exc:
        raise LoadError(str(exc)) from None


def _dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(part)
    return obj


def ident(value: Any) -> str:
    """A vendor id (a number or a text) as cs8 text.

    Raises:
        LoadError: If it is neither.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise LoadError(f"expected an id (a number or text), got {escape(repr(value))}")
    return str(value).strip()


def main_file(base: Path, *names: str) -> Path:
    """A vendor export's main table: ``base`` itself when it is a file, else the first of
    ``names`` in the folder; a :class:`LoadError` naming the first when there is none."""
    found = base if base.is_file() else choose(base, None, *names)
    if found is None:
        raise LoadError(f"{escape(str(base))} has no {names[0]}")
    return found


def choose(path: str | os.PathLike[str], explicit: Any, *names: str) -> Path | None:
    """The file of one table: ``explicit`` if given, else the first of ``names`` in the folder."""
    if explicit is not None:
        chosen = Path(explicit)
        if not chosen.exists():
            raise LoadError(f"file not found: {escape(str(chosen))}")
        return chosen
    folder = Path(path)
    if folder.is_dir():
        return next((folder / n for n in names if (folder / n).exists()), None)
    return None
