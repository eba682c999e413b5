"""Zendesk SLA policies (Fivetran's ``sla_policy_metric_history`` and ``ticket_sla_policy``) as cs8.

A row of ``sla_policy_metric_history`` is one target of one policy (``metric``, ``priority``,
``target`` in minutes, ``business_hours``) as of ``sla_policy_updated_at``; ``index`` is its
order. Each version of a policy (each distinct ``sla_policy_updated_at``) becomes a block of
:class:`~cs8.sla.SlaTarget`, holding for each (metric, priority) the latest row up to that version (in one version, the
lowest ``index``),
with a ``condition`` on the ticket attribute ``zendesk_sla_policy`` (``"<policy id>@<version>"``).
``ticket_sla_policy`` gives each ticket that attribute: the policy applied to it last, in the
version in force when it was applied (the earliest version if none was yet). The definition
choices are on the docs page "Zendesk".

Example:
    >>> from datetime import timezone
    >>> policy_key("1001", datetime(2020, 6, 1, tzinfo=timezone.utc))
    '1001@2020-06-01T00:00:00+00:00'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from cs8._enums import Priority
from cs8._frozen import FrozenDict
from cs8._ticket import Ticket
from cs8.exceptions import LoadError
from cs8.io._dataset import VendorLoad
from cs8.io._source import escape
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaTarget

__all__ = ["ZENDESK_SLA_METRICS", "apply_policies", "metric_row", "policy_key", "read_policy"]

ZENDESK_SLA_METRICS: Mapping[str, SlaMetric] = FrozenDict(
    {
        "first_reply_time": SlaMetric.FIRST_REPLY,
        "next_reply_time": SlaMetric.NEXT_REPLY,
        "requester_wait_time": SlaMetric.REQUESTER_WAIT,
        "agent_work_time": SlaMetric.AGENT_WORK,
        "periodic_update_time": SlaMetric.PERIODIC_UPDATE,
        "pausable_update_time": SlaMetric.PAUSABLE_UPDATE,
    }
)
"""Zendesk's SLA metric names -> cs8 metrics."""

ATTRIBUTE = "zendesk_sla_policy"
"""The ticket attribute naming the policy version applied to it."""

_Row = tuple[str, datetime, int, SlaMetric, Priority, timedelta, bool]
_Parsers = tuple[Callable[[VendorLoad, str], Priority], Callable[[str], bool]]


def policy_key(policy_id: str, version: datetime) -> str:
    """The value of the ``zendesk_sla_policy`` ticket attribute for one policy version (UTC)."""
    return f"{policy_id}@{version.astimezone(UTC).isoformat()}"


def metric_row(load: VendorLoad, row: Mapping[str, str], parse: _Parsers) -> _Row:
    """One ``sla_policy_metric_history`` row, parsed and checked.

    Raises:
        LoadError: If a value is not valid.
    """
    priority, flag = parse
    policy_id = row.get("sla_policy_id", "").strip()
    if not policy_id:
        raise LoadError("sla_policy_id is empty")
    at = load.at(row.get("sla_policy_updated_at", "").strip())
    if at is None:
        raise LoadError("sla_policy_updated_at is empty")
    metric_name = row.get("metric", "").strip()
    if metric_name not in ZENDESK_SLA_METRICS:
        raise LoadError(f"metric {escape(repr(metric_name))} is not a Zendesk SLA metric")
    minutes = int(row.get("target", "").strip())
    if minutes <= 0:
        raise LoadError(f"target {minutes} must be a positive number of minutes")
    return (
        policy_id,
        at,
        int(row.get("index", "").strip()),
        ZENDESK_SLA_METRICS[metric_name],
        priority(load, row.get("priority", "")),
        timedelta(minutes=minutes),
        flag(row.get("business_hours", "")),
    )


def read_policy(
    load: VendorLoad,
    metric_rows: Iterable[tuple[str, int, Mapping[str, str]]] | None,
    calendar: BusinessCalendar | None,
    parse: _Parsers,
) -> tuple[SlaPolicy | None, dict[str, list[datetime]]]:
    """The export's SLA policies as one :class:`SlaPolicy`, and each policy's versions.

    ``metric_rows`` are ``(file, line, row)`` in the shape of ``sla_policy_metric_history``
    (texts: ``sla_policy_id``, ``index``, ``sla_policy_updated_at``, ``metric``, ``priority``,
    ``target``, ``business_hours``). ``parse`` is the Zendesk reader's (priority, flag) parsers,
    so ``values=`` applies here too.
    """
    if metric_rows is None:
        return None, {}
    rows: list[_Row] = []
    for name, line, row in metric_rows:
        parsed = load.attempt(name, line, row, metric_row, load, row, parse)
        if parsed is not None:
            rows.append(parsed)
    versions: dict[str, list[datetime]] = {}
    for policy_id, at, *_ in rows:
        if at not in versions.setdefault(policy_id, []):
            versions[policy_id].append(at)
    targets: list[SlaTarget] = []
    for policy_id in sorted(versions, key=lambda p: (len(p), p)):
        versions[policy_id].sort()
        for version in versions[policy_id]:
            latest: dict[tuple[SlaMetric, Priority], _Row] = {}
            for item in sorted(rows, key=lambda r: (r[1], r[2])):
                if item[0] != policy_id or item[1] > version:
                    continue
                key = (item[3], item[4])
                if key in latest and latest[key][1] == item[1]:
                    # Two rows of one version for one priority (``medium`` and ``normal``):
                    # the lower index matches first in Zendesk, the other never applies.
                    if version == versions[policy_id][-1]:
                        load.note("SLA targets shadowed by a lower index for the same priority")
                    continue
                latest[key] = item  # a later version's row replaces an earlier one
            condition = {
                "field": f"ticket.attributes.{ATTRIBUTE}",
                "op": "equals",
                "value": policy_key(policy_id, version),
            }
            for _, _, _, metric, priority, within, business in sorted(
                latest.values(), key=lambda r: (r[3].value, r[2])
            ):
                targets.append(
                    SlaTarget(
                        metric=metric,
                        within=within,
                        priority=priority,
                        business_hours=business,
                        condition=condition,
                    )
                )
    if not targets:
        return None, versions
    if calendar is None and any(t.business_hours for t in targets):
        load.warnings.append(
            "business-hours SLA targets count calendar hours: the export has no single schedule"
        )
    return SlaPolicy(name="zendesk", calendar=calendar, targets=targets), versions


def apply_policies(
    load: VendorLoad,
    path: Path | None,
    tickets: list[Ticket],
    versions: Mapping[str, list[datetime]],
) -> list[Ticket]:
    """Give each ticket of ``ticket_sla_policy`` the attribute naming its policy version."""
    if path is None:
        return tickets
    name = escape(str(path))
    by_id = {t.id: t for t in tickets}
    applied: dict[str, tuple[datetime, str]] = {}
    for line, row in load.csv_table(path):
        ticket_id = row.get("ticket_id", "").strip()
        policy_id = row.get("sla_policy_id", "").strip()
        if ticket_id not in by_id:
            load.reject(name, line, f"no ticket {ticket_id!r} was loaded", row)
            continue
        if policy_id not in versions:
            load.reject(name, line, f"no SLA policy {policy_id!r} in sla_policy_metric_history")
            continue
        at = load.attempt(name, line, row, load.at, row.get("policy_applied_at", "").strip())
        if at is None:
            if not row.get("policy_applied_at", "").strip():
                load.reject(name, line, "policy_applied_at is empty", row)
            continue
        if ticket_id in applied and applied[ticket_id][0] > at:
            load.note("tickets with several SLA policies: the one applied last is read")
            continue
        earlier = [v for v in versions[policy_id] if v <= at]
        if not earlier:
            load.note("SLA policies applied before their first version: the first version is read")
        version = earlier[-1] if earlier else versions[policy_id][0]
        applied[ticket_id] = (at, policy_key(policy_id, version))
    out = []
    for ticket in tickets:
        if ticket.id in applied:
            attributes: dict[str, Any] = {**ticket.attributes, ATTRIBUTE: applied[ticket.id][1]}
            ticket = attrs.evolve(ticket, attributes=attributes)
        out.append(ticket)
    return out
