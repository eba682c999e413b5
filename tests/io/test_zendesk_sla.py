"""Zendesk SLA policies from the dbt_zendesk seeds, against targets read by hand from the raw rows.

sla_policy_metric_history_data.csv (line 1 is the header; target in minutes):
- lines 2-5: policy 1001 as of 2020-01-01, first_reply_time urgent 60, high 240, normal 480,
  low 1440; lines 6-9: next_reply_time urgent 30, high 120, normal 240, low 720; business hours.
- lines 10-13: policy 1001 as of 2020-06-01, first_reply_time urgent 45, high 180, normal 360,
  low 1440 (next_reply_time has no newer row, so lines 6-9 still hold).
- lines 14-21: policy 1002 as of 2020-01-01, calendar hours, first_reply_time urgent 120, high 480,
  normal 960, low 2880; requester_wait_time urgent 240, high 960, normal 1920, low 5760.
- lines 22-23: policy 1002, index 4 and 5, "medium" 720 and 1440: medium is cs8's normal, and
  index 2 and 3 (normal) come first, so they never apply.
ticket_sla_policy_data.csv: ticket -> (policy, policy_applied_at), one row each.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cs8 import Priority
from cs8.io import Dataset, read_zendesk
from cs8.io._zendesk_sla import ATTRIBUTE
from cs8.sla import SlaMetric
from tests._data import shared_file

M = timedelta(minutes=1)
V1001_JAN, V1001_JUN = "1001@2020-01-01T00:00:00+00:00", "1001@2020-06-01T00:00:00+00:00"
V1002 = "1002@2020-01-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return read_zendesk(shared_file("vendors/zendesk_dbt_seeds/seeds"), before_created="clamp")


def test_each_ticket_gets_the_policy_version_in_force_when_it_was_applied(ds: Dataset) -> None:
    # ticket_sla_policy_data.csv: 16988 (2020-12-22) and 14173 (2020-10-28) got 1001 after its
    # 2020-06-01 version; 1966 (2020-02-27), 1404 (2020-02-13) and 6171 (2020-05-17) before it;
    # 11071, 4721 and 6605 got 1002.
    assert {t.id: t.attributes[ATTRIBUTE] for t in ds.tickets} == {
        "16988": V1001_JUN,
        "14173": V1001_JUN,
        "1966": V1001_JAN,
        "1404": V1001_JAN,
        "6171": V1001_JAN,
        "11071": V1002,
        "4721": V1002,
        "6605": V1002,
    }


def test_the_targets_are_the_raw_rows_per_version(ds: Dataset) -> None:
    assert ds.policy is not None
    got: dict[str, list[tuple[str, Priority, timedelta, bool]]] = {}
    for target in ds.policy.targets:
        assert target.condition is not None
        assert target.priority is not None
        version = next(v for v in (V1001_JAN, V1001_JUN, V1002) if v in target.condition.name)
        (priority,) = target.priority
        got.setdefault(version, []).append(
            (target.metric.value, priority, target.within, target.business_hours)
        )
    order = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)

    def block(metric: str, minutes: tuple[int, ...], business: bool) -> list[Any]:
        return [(metric, p, m * M, business) for p, m in zip(order, minutes, strict=True)]

    next_reply = block("next_reply", (30, 120, 240, 720), True)
    assert sorted(got[V1001_JAN], key=str) == sorted(
        block("first_reply", (60, 240, 480, 1440), True) + next_reply, key=str
    )
    assert sorted(got[V1001_JUN], key=str) == sorted(
        block("first_reply", (45, 180, 360, 1440), True) + next_reply, key=str
    )
    assert sorted(got[V1002], key=str) == sorted(
        block("first_reply", (120, 480, 960, 2880), False)
        + block("requester_wait", (240, 960, 1920, 5760), False),
        key=str,
    )
    assert "SLA targets shadowed by a lower index for the same priority: 2" in ds.warnings
    assert ds.policy.calendar == ds.calendar


def test_evaluation_picks_each_tickets_version_and_priority(ds: Dataset) -> None:
    assert ds.policy is not None
    # Every loaded ticket but 11071 has an empty priority (normal); 11071 ends urgent
    # (ticket_data.csv line 5, ticket_field_history_data.csv line 17).
    want = {
        "16988": 360 * M,
        "14173": 360 * M,
        "1966": 480 * M,
        "1404": 480 * M,
        "6171": 480 * M,
        "11071": 120 * M,
        "4721": 960 * M,
        "6605": 960 * M,
    }
    for ticket in ds.tickets:
        now = max([ticket.created_at, *(e.at for e in ticket.events)]) + timedelta(days=1)
        first = next(
            r for r in ds.policy.evaluate(ticket, now=now) if r.metric is SlaMetric.FIRST_REPLY
        )
        assert first.target == want[ticket.id], ticket.id
