"""ServiceNow incidents from their state history: one row per update of an incident.

The export is the ``incident`` table's history as the public "Incident management process
enriched event log" writes it (UCI Machine Learning Repository, dataset 498; Amaral, Fantinato
and Peres, FedCSIS 2018): ``number``, ``incident_state``, ``sys_mod_count`` (the update's
number, from 0), ``sys_updated_at``, ``opened_at``, ``caller_id``, ``assigned_to``,
``priority``, ``contact_type``, ``reopen_count``, ``made_sla`` ..., ``?`` for a missing value and
instants day-first (``29/2/2016 01:16``). :func:`read_servicenow` reads it through
:func:`~cs8.io.read_event_log` with ServiceNow's names mapped, and keeps each incident's own
``reopen_count`` and ``made_sla`` (at its last update) for :func:`~cs8.io.reconcile`. The
mapping table is on the docs page "ServiceNow".

Example:
    >>> import io
    >>> log = io.StringIO(
    ...     "number,incident_state,sys_mod_count,sys_updated_at,opened_at,caller_id,"
    ...     "assigned_to,priority,contact_type,reopen_count,made_sla\\n"
    ...     "INC1,New,0,29/2/2016 01:20,29/2/2016 01:16,Caller 7,?,3 - Moderate,Phone,0,true\\n"
    ...     "INC1,Resolved,1,29/2/2016 03:00,29/2/2016 01:16,Caller 7,Resolver 2,3 - Moderate,"
    ...     "Phone,0,true\\n")
    >>> ds = read_servicenow(log)
    >>> t = ds.tickets[0]
    >>> t.status, t.priority, t.assignee, dict(ds.vendor_metrics["INC1"])
    (TicketStatus.SOLVED, Priority.NORMAL, 'Resolver 2', {'reopens': 0, 'made_sla': True, 'updates_missing': 0})
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from cs8._frozen import FrozenDict
from cs8.exceptions import LoadError
from cs8.io._csvrows import csv_records
from cs8.io._dataset import Dataset, main_file
from cs8.io._eventlog import read_event_log
from cs8.io._rows import Progress, source_name
from cs8.io._source import PathOrFile, escape, open_source
from cs8.io._values import YEARS

__all__ = [
    "SERVICENOW_CHANNELS",
    "SERVICENOW_PRIORITIES",
    "SERVICENOW_STATES",
    "read_servicenow",
]

SERVICENOW_STATES: Mapping[str, str] = FrozenDict(
    {
        "New": "new",
        "Active": "open",
        "In Progress": "open",
        "Awaiting User Info": "pending",
        "Awaiting Caller": "pending",
        "On Hold": "on_hold",
        "Awaiting Problem": "on_hold",
        "Awaiting Vendor": "on_hold",
        "Awaiting Evidence": "on_hold",
        "Awaiting Change": "on_hold",
        "Resolved": "solved",
        "Closed": "closed",
        "Canceled": "closed",
    }
)
"""ServiceNow incident states -> cs8 statuses (``values={"status": ...}`` adds and overrides;
the UCI log's ``-100``, a state with no name, needs a mapping)."""

SERVICENOW_PRIORITIES: Mapping[str, str] = FrozenDict(
    {
        "1 - Critical": "urgent",
        "2 - High": "high",
        "3 - Moderate": "normal",
        "4 - Low": "low",
        "5 - Planning": "low",
    }
)
"""ServiceNow priorities -> cs8 priorities."""

SERVICENOW_CHANNELS: Mapping[str, str] = FrozenDict(
    {
        "Phone": "phone",
        "Email": "email",
        "Self service": "self_service",
        "Self-service": "self_service",
        "Chat": "chat",
        "Walk-in": "in_person",
        "IVR": "phone",
    }
)
"""ServiceNow ``contact_type`` values -> cs8 channels; others load as ``Channel.OTHER`` with
``channel_raw`` (``Direct opening``)."""

_DEFAULTS: Mapping[str, Mapping[str, str]] = FrozenDict(
    {"status": SERVICENOW_STATES, "priority": SERVICENOW_PRIORITIES, "channel": SERVICENOW_CHANNELS}
)
_FLAGS = {"true": True, "false": False}


def read_servicenow(
    path: PathOrFile,
    *,
    values: Mapping[str, Mapping[Any, Any]] | None = None,
    date_format: str | None = "%d/%m/%Y %H:%M",
    timezone: str = "UTC",
    years: tuple[int, int] | None = YEARS,
    before_created: str = "reject",
    strict: bool = False,
    encoding: str = "utf-8",
    progress: Progress = False,
) -> Dataset:
    """Read a ServiceNow incident state history (one row per update) into a :class:`Dataset`.

    An incident's rows are ordered by ``sys_mod_count`` (not by the file, nor by time); each
    change of ``incident_state`` is a status change, of ``assigned_to`` an assignment, of
    ``priority`` a priority change, at the row's ``sys_updated_at``; ``opened_at`` is the
    creation, ``caller_id`` the customer, ``contact_type`` the channel. ``?`` is a missing value.

    Args:
        path: The CSV file (a path, a binary file or a text stream), or a folder holding
            ``incident_event_log.csv`` or ``incident.csv``.
        values: ``"status"``, ``"priority"``, ``"channel"`` -> {raw value: cs8 value}, over
            :data:`SERVICENOW_STATES`, :data:`SERVICENOW_PRIORITIES` and
            :data:`SERVICENOW_CHANNELS`.
        date_format: How instants are written (default day-first ``%d/%m/%Y %H:%M``, as the
            UCI log; ``None`` for ISO 8601, as the REST API).
        timezone: IANA zone of the instants (the export writes none).
        years: Inclusive range of years an instant may fall in; ``None`` for any.
        before_created: ``"reject"`` an incident with an update before ``opened_at``, or
            ``"clamp"`` the update to it.
        strict: Raise :class:`~cs8.LoadError` at the first problem.
        encoding: The file's encoding (a byte-order mark overrides it).
        progress: ``True`` for a progress bar over the update rows read (needs ``tqdm``, the
            ``progress`` extra), or a callable given the number of rows read, every 10,000 rows.

    Returns:
        A :class:`Dataset`: a ticket per incident; ``rows_read`` and ``rejected`` count
        incidents (a rejected incident names its lines; rows that belong to no incident, such
        as broken CSV lines, are counted in the warnings); ``vendor_metrics`` holds each
        incident's ``reopen_count`` (``"reopens"``) and ``made_sla`` at its last update, and how
        many of its updates the log lacks (``"updates_missing"``: gaps in ``sys_mod_count``).

    Raises:
        LoadError: If the file lacks a column, cannot be read, or an option is not valid.
    """
    if isinstance(path, str | os.PathLike) and Path(path).is_dir():
        path = main_file(Path(path), "incident_event_log.csv", "incident.csv")
    maps = {k: dict(v) for k, v in _DEFAULTS.items()}
    for field, table in (values or {}).items():
        if field not in maps or not isinstance(table, Mapping):
            raise LoadError(
                f"values: {escape(repr(field))} cannot be mapped (map status, priority or channel)"
            )
        maps[field].update(table)
    name = source_name(path)
    first, second = _twice(path)
    result = read_event_log(
        first,
        case="number",
        at="sys_updated_at",
        created="opened_at",
        status="incident_state",
        resource="assigned_to",
        priority="priority",
        channel="contact_type",
        customer="caller_id",
        sequence="sys_mod_count",
        values=maps,
        missing=("?",),
        date_format=date_format,
        timezone=timezone,
        years=years,
        before_created=before_created,
        strict=strict,
        encoding=encoding,
        progress=progress,
    )
    metrics, unread = _figures(second, encoding, {t.id for t in result.records})
    warnings = list(result.warnings)
    if unread:
        warnings.append(
            "incidents whose reopen_count or made_sla at their last update is not a count or "
            f"true/false (that figure not kept): {unread}"
        )
    if result.rejected_events:
        warnings.append(
            f"update rows rejected: {len(result.rejected_events)} (a bad row rejects its "
            "incident; read_event_log's rejected_events lists the rows)"
        )
    return Dataset(
        tickets=result.records,
        rejected=tuple(
            r if r.source == name else attrs.evolve(r, source=name) for r in result.rejected
        ),
        rows_read={name: result.rows_read},
        warnings=tuple(warnings),
        vendor_metrics=metrics,
        source=name,
    )


def _twice(path: Any) -> tuple[Any, Any]:
    """Two sources of the same text: a path twice, or a stream read once into memory."""
    if isinstance(path, str | os.PathLike):
        return path, path
    data = path.read()
    if isinstance(data, bytes):
        return io.BytesIO(data), io.BytesIO(data)
    return io.StringIO(data), io.StringIO(data)


def _figures(source: Any, encoding: str, loaded: set[str]) -> tuple[dict[str, dict[str, Any]], int]:
    """Each loaded incident's ``reopen_count`` and ``made_sla`` at its last update (the highest
    ``sys_mod_count``) and the updates its rows lack; and how many incidents had an unreadable
    figure."""
    last: dict[str, tuple[int, str, str]] = {}
    seen: dict[str, set[int]] = {}
    with open_source(source, encoding) as src:
        header, records = csv_records(src.lines, ",", src.name)
        where = {c: header.index(c) for c in _FIGURE_COLUMNS if c in header}
        if len(where) < len(_FIGURE_COLUMNS):
            return {}, 0
        for _, cells, _ in records:
            if cells is None:
                continue
            number = cells[where["number"]].strip()
            if number not in loaded:
                continue
            try:
                mod = int(cells[where["sys_mod_count"]])
            except ValueError:
                continue  # read_event_log ordered it as text; no gap can be counted from it
            seen.setdefault(number, set()).add(mod)
            if number not in last or mod >= last[number][0]:
                last[number] = (mod, cells[where["reopen_count"]], cells[where["made_sla"]])
    out: dict[str, dict[str, Any]] = {}
    unread = 0
    for number, (mod, reopens, made) in last.items():
        figures: dict[str, Any] = {"updates_missing": mod + 1 - len(seen[number])}
        flag = _FLAGS.get(made.strip().lower())
        if flag is not None:
            figures["made_sla"] = flag
        if reopens.strip().isdigit():
            figures["reopens"] = int(reopens)
        unread += flag is None or "reopens" not in figures
        out[number] = {
            k: figures[k] for k in ("reopens", "made_sla", "updates_missing") if k in figures
        }
    return out, unread


_FIGURE_COLUMNS = ("number", "sys_mod_count", "reopen_count", "made_sla")
