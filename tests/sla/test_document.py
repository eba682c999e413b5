"""SLA policy documents: load, dump, round trip, error paths and the shipped JSON Schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import SlaError, Ticket
from cs8.sla import (
    BusinessCalendar,
    DatedCalendar,
    SlaMetric,
    SlaPolicy,
    SlaTarget,
    dump_policy,
    dumps_policy,
    load_policy,
    policy_schema,
)
from cs8.sla._document import _CALENDAR_KEYS, _POLICY_KEYS, _TARGET_KEYS

H = timedelta(hours=1)

FULL = {
    "version": 1,
    "name": "vn-shop",
    "calendar": {
        "periods": [
            {
                "from": "2026-01-01",
                "calendar": {
                    "timezone": "Asia/Ho_Chi_Minh",
                    "hours": {"mon": [["08:00", "12:00"], ["13:30", "17:30"]]},
                    "holidays": ["2026-09-02"],
                    "closures": [["2026-05-04T14:00:00+07:00", "2026-05-04T14:00:00+07:00"]],
                },
            },
            {
                "from": "2026-06-01",
                "calendar": {
                    "timezone": "Asia/Ho_Chi_Minh",
                    "hours": [{"mon": [["08:00", "17:00"]]}, {"tue": [["08:00", "17:00"]]}],
                    "cycle_start": "2026-06-01",
                    "clock": "wall",
                },
            },
        ]
    },
    "schedule": "latest",
    "pause_statuses": ["pending"],
    "targets": [
        {
            "metric": "first_reply",
            "within": "PT1H",
            "when": {"field": "ticket.attributes.order_amount", "op": "gt", "value": 2000000},
            "on_reopen": "resume",
            "reply_clock_start": "last_handoff_or_reopen",
            "warnings": [0.75, "PT10M"],
            "escalations": [{"level": "lead", "at": 1.0}],
        },
        {
            "metric": "group_ownership",
            "within": 7200,
            "group": ["tier2"],
            "priority": ["high", "urgent"],
            "business_hours": False,
            "pause_statuses": ["on_hold"],
        },
    ],
}


def test_a_full_document_loads() -> None:
    policy = load_policy(FULL)
    first, group = policy.targets
    assert (
        isinstance(policy.calendar, DatedCalendar),
        policy.schedule,
        first.on_reopen,
        first.reply_clock_start,
        first.within,
        group.group,
        group.metric,
    ) == (
        True,
        "latest",
        "resume",
        "last_handoff_or_reopen",
        H,
        frozenset({"tier2"}),
        SlaMetric.GROUP_OWNERSHIP,
    )


def test_a_document_round_trips() -> None:
    policy = load_policy(FULL)
    assert policy == load_policy(dump_policy(policy))


def test_json_text_and_files_load(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(FULL), "utf-8")
    assert load_policy(path) == load_policy(json.dumps(FULL)) == load_policy(FULL)


def test_the_condition_selects_the_target_as_the_constructor_does() -> None:
    policy = load_policy(FULL)
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    big = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=t0,
        attributes={"order_amount": 3_000_000},
    )
    small = Ticket(
        id="T2", customer_id="C1", channel="chat", created_at=t0, attributes={"order_amount": 10}
    )
    assert (1, 0) == (len(policy.evaluate(big, now=t0)), len(policy.evaluate(small, now=t0)))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"name": "p", "targets": [{"metric": "first_reply"}]},
            r"at targets\[0\]: a target needs 'metric' and 'within'",
        ),
        (
            {"name": "p", "targets": [{"metric": "first_reply", "within": "soon"}]},
            r"at targets\[0\]\.within",
        ),
        (
            {"name": "p", "targets": [{"metric": "first_reply", "within": 60, "colour": "red"}]},
            r"unknown key 'colour'",
        ),
        (
            {"name": "p", "targets": [{"metric": "eternity", "within": 60}]},
            r"at targets\[0\]: 'eternity' is not a valid SlaMetric",
        ),
        (
            {"name": "p", "calendar": {"timezone": "UTC"}},
            r"at calendar: a calendar needs 'timezone' and 'hours'",
        ),
        (
            {"name": "p", "calendar": {"periods": []}},
            r"at calendar\.periods: expected a non-empty list",
        ),
        ({"name": "p", "version": 2}, r"unsupported version 2"),
        ({"targets": []}, r"a policy needs a 'name'"),
        (
            {
                "name": "p",
                "targets": [
                    {
                        "metric": "first_reply",
                        "within": 60,
                        "when": {"field": "ticket.channel", "op": "equals", "value": "fax"},
                    }
                ],
            },
            r"targets\[0\]\.when\.value: 'fax' is not one of",
        ),
    ],
)
def test_errors_name_the_json_path(document: dict[str, object], message: str) -> None:
    with pytest.raises(SlaError, match=message):
        load_policy(document)


def test_invalid_json_text_raises_sla_error() -> None:
    with pytest.raises(SlaError, match="not valid JSON"):
        load_policy("{")


def test_dumps_policy_is_the_json_of_dump_policy() -> None:
    policy = load_policy(FULL)
    assert dump_policy(policy) == json.loads(dumps_policy(policy))


def test_a_custom_clock_has_no_document_form() -> None:
    class Clock:
        def business_duration(self, start: datetime, end: datetime) -> timedelta:
            return end - start

        def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
            return start + amount

    with pytest.raises(SlaError, match="no document form"):
        dump_policy(SlaPolicy(name="p", calendar=Clock()))


# -- the schema ----------------------------------------------------------------------------------


def test_the_schema_names_every_key_the_loader_reads() -> None:
    schema = policy_schema()
    defs = schema["$defs"]
    assert (
        set(schema["properties"]),
        set(defs["target"]["properties"]),
        set(defs["calendar"]["properties"]),
    ) == (
        _POLICY_KEYS,
        _TARGET_KEYS,
        _CALENDAR_KEYS,
    )


def test_the_schema_lists_every_metric() -> None:
    assert {m.value for m in SlaMetric} == set(
        policy_schema()["$defs"]["target"]["properties"]["metric"]["enum"]
    )


def test_the_schema_accepts_the_documents_cs8_writes() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(policy_schema()).validate(dump_policy(load_policy(FULL)))


_WITHIN = st.integers(1, 10**6).map(lambda s: timedelta(seconds=s))


@given(
    st.lists(
        st.tuples(
            st.sampled_from([m.value for m in SlaMetric]),
            _WITHIN,
            st.none() | st.sets(st.sampled_from(["low", "normal", "high", "urgent"]), min_size=1),
            st.booleans(),
            st.lists(st.floats(0.05, 0.95), max_size=2),
        ),
        max_size=4,
    ),
    st.sampled_from(["in_force", "latest"]),
)
def test_dump_then_load_gives_an_equal_policy(
    targets: list[tuple[str, timedelta, set[str] | None, bool, list[float]]], schedule: str
) -> None:
    policy = SlaPolicy(
        name="p",
        calendar=BusinessCalendar.from_periods(
            [
                (
                    date(2026, 1, 1),
                    BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]}),
                )
            ]
        ),
        schedule=schedule,  # type: ignore[arg-type]
        targets=[
            SlaTarget(metric=m, within=w, priority=p, business_hours=b, warnings=tuple(ws))
            for m, w, p, b, ws in targets
        ],
    )
    assert policy == load_policy(json.loads(dumps_policy(policy)))
