"""cs8.io: real exports load with mappings alone: date formats, value maps, constants, channels."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from cs8 import Channel, LoadError, Priority
from cs8.io import read_interactions, read_tickets
from cs8.io._values import VENDOR_CHANNELS, DateParser, map_channel

ICT = timezone(timedelta(hours=7))


def tickets(rows: str, header: str = "id,customer_id,channel,created_at") -> io.StringIO:
    return io.StringIO(header + "\n" + rows)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        # ServiceNow's list export writes day-first with minutes (issue 12).
        ("29-02-2016 01:16", "%d-%m-%Y %H:%M", datetime(2016, 2, 29, 1, 16, tzinfo=ICT)),
        ("03/02/2026 09:00", "dayfirst", datetime(2026, 2, 3, 9, tzinfo=ICT)),
        ("03/02/2026 09:00", "monthfirst", datetime(2026, 3, 2, 9, tzinfo=ICT)),
        ("3.2.2026", "dayfirst", datetime(2026, 2, 3, tzinfo=ICT)),
        ("1767225600", "epoch", datetime(2026, 1, 1, tzinfo=UTC)),
        ("1767225600500", "epoch_ms", datetime(2026, 1, 1, 0, 0, 0, 500_000, tzinfo=UTC)),
        ("2026-01-05T09:00:00Z", None, datetime(2026, 1, 5, 9, tzinfo=UTC)),
    ],
)
def test_date_formats(text: str, fmt: str | None, expected: datetime) -> None:
    parsed = DateParser("t", fmt, "Asia/Ho_Chi_Minh")(text)
    assert parsed == expected


def test_several_formats_are_tried_in_order() -> None:
    parse = DateParser("t", ["%Y-%m-%d %H:%M", "%d/%m/%Y"], "UTC")
    assert (parse("2026-01-05 10:00").hour, parse("05/01/2026").month) == (10, 1)


def test_a_date_format_per_field() -> None:
    text = "I1,C1,phone,05/01/2026 09:00,1767603630\n"
    result = read_interactions(
        tickets(text, "id,customer_id,channel,started_at,answered_at"),
        date_format={"started_at": "dayfirst", "answered_at": "epoch"},
        timezone="UTC",
    )
    assert result.records[0].wait_time == timedelta(seconds=30)


def test_a_bad_date_format_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="strptime format"):
        read_tickets(tickets(""), date_format="yyyy-mm-dd")


def test_a_bad_timezone_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="IANA zone"):
        read_tickets(tickets("T1,C1,web,2026-01-05 09:00\n"), timezone="Mars/Olympus")


def test_value_maps_translate_a_vendors_words() -> None:
    text = "INC1,C1,web,2026-01-05 09:00,3 - Moderate\nINC2,C1,web,2026-01-05 09:00,1 - Critical\n"
    result = read_tickets(
        tickets(text, "id,customer_id,channel,created_at,priority"),
        values={"priority": {"3 - Moderate": "normal", "1 - critical": Priority.URGENT}},
        timezone="UTC",
    )
    assert [t.priority for t in result.records] == [Priority.NORMAL, Priority.URGENT]


def test_a_value_map_for_an_unknown_field_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="values maps 'colour'"):
        read_tickets(tickets(""), values={"colour": {"a": "b"}})


def test_constants_fill_fields_the_file_has_no_column_for() -> None:
    result = read_tickets(
        tickets("T1,2026-01-05 09:00\n", "id,created_at"),
        constants={"customer_id": "unknown", "channel": "voice"},
        timezone="UTC",
    )
    ticket = result.records[0]
    assert (ticket.customer_id, ticket.channel, ticket.channel_raw) == (
        "unknown",
        Channel.PHONE,
        "voice",
    )


def test_joined_columns_alternatives_and_missing_texts() -> None:
    # The Anonymous Bank log's shape: a yymmdd date column, H:MM:SS time columns, 0:00:00 for none.
    text = "id,date,start,served,served_end,left\nA,990201,8:00:00,8:00:30,8:05:00,0:00:00\n"
    text += "B,990201,8:10:00,0:00:00,0:00:00,8:11:00\n"
    result = read_interactions(
        io.StringIO(text),
        columns={
            "started_at": ("date", "start"),
            "answered_at": ("date", "served"),
            "ended_at": [("date", "served_end"), ("date", "left")],
        },
        constants={"customer_id": "unknown", "channel": "phone"},
        missing={"served": ["0:00:00"], "served_end": ["0:00:00"], "left": ["0:00:00"]},
        date_format="%y%m%d %H:%M:%S",
        timezone="Asia/Jerusalem",
    )
    a, b = result.records
    assert (a.wait_time, a.abandoned) == (timedelta(seconds=30), False)
    assert (b.wait_time, b.abandoned) == (timedelta(minutes=1), True)


@pytest.mark.parametrize(("name", "channel"), sorted(VENDOR_CHANNELS.items()))
def test_vendor_channel_names_map_by_default(name: str, channel: Channel) -> None:
    assert map_channel(name) == (channel, name)


def test_zendesk_api_loads_as_other_with_its_name() -> None:
    result = read_tickets(tickets("T1,C1,api,2026-01-05 09:00\n"), timezone="UTC")
    assert (result.records[0].channel, result.records[0].channel_raw) == (Channel.OTHER, "api")


def test_a_channel_map_overrides_the_default() -> None:
    result = read_tickets(
        tickets("T1,C1,api,2026-01-05 09:00\n"),
        values={"channel": {"api": "web"}},
        timezone="UTC",
    )
    assert (result.records[0].channel, result.records[0].channel_raw) == (Channel.WEB, "api")
