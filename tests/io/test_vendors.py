"""Vendor readers on the vendors' own fixtures (shared/data/vendors), against figures read by hand.

Each expected number cites the rows of the raw file it comes from.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cs8 import Channel, Priority, TicketStatus
from cs8.io import Dataset, read_freshdesk, read_zammad, read_zendesk
from tests._data import shared_file


def _accounted(ds: Dataset, used: dict[str, int]) -> None:
    """Every file's rows are either used (counted by the caller) or rejected."""
    rejected = Counter(r.source for r in ds.rejected)
    for name, rows in ds.rows_read.items():
        assert rows == used.get(Path(name).name, 0) + rejected[name], name


# ------------------------------------------------------------------------------------- Zendesk


def zendesk() -> Path:
    return shared_file("vendors/zendesk_dbt_seeds/seeds")


def test_zendesk_seeds_load_and_every_row_is_accounted_for() -> None:
    ds = read_zendesk(zendesk(), before_created="clamp")
    # ticket_data.csv: 10 rows; lines 2 (id 1595) and 7 (id 11013) have status "deleted".
    assert sorted(t.id for t in ds.tickets) == sorted(
        ["16988", "14173", "11071", "1966", "1404", "4721", "6171", "6605"]
    )
    # user_data.csv: line 2 (id 1111) is the one agent; the 9 others are end users.
    assert ([a.id for a in ds.agents], len(ds.customers)) == (["1111"], 9)
    # ticket_field_history_data.csv lines 2-19 and 39 are ticket 11071's (line 39 changes the
    # requester: read, not an event, counted in the warnings); lines 20-38 name tickets that are
    # not in ticket_data.csv, and so do all 20 rows of ticket_comment_data.csv.
    assert len(next(t for t in ds.tickets if t.id == "11071").events) == 18
    _accounted(
        ds,
        {
            "ticket_data.csv": 8,
            "user_data.csv": 10,
            "ticket_field_history_data.csv": 19,
            "ticket_comment_data.csv": 0,
            "group_data.csv": 8,
            "ticket_tag_data.csv": 10,
            "schedule_data.csv": 5,
            "schedule_holiday_data.csv": 2,
            # all 22 rows are targets of some policy version; ticket_sla_policy_data.csv lines 2
            # and 7 name the deleted tickets 1595 and 11013, the 8 others loaded tickets.
            "sla_policy_metric_history_data.csv": 22,
            "ticket_sla_policy_data.csv": 8,
        },
    )


def test_zendesk_first_reply_and_resolution_times_match_the_raw_rows() -> None:
    ds = read_zendesk(zendesk(), before_created="clamp")
    # No comment row belongs to a loaded ticket (see above): no ticket has a first reply.
    assert all(t.first_reply_at is None for t in ds.tickets)
    ticket = next(t for t in ds.tickets if t.id == "11071")
    # ticket_data.csv line 5: created 2020-08-28 18:06:36; ticket_field_history_data.csv: status
    # "solved" on 2020-11-14 11:01:27, "closed" on 2020-11-15 11:01:27, priority "urgent" last.
    assert ticket.solved_at - ticket.created_at == datetime(
        2020, 11, 14, 11, 1, 27, tzinfo=UTC
    ) - datetime(2020, 8, 28, 18, 6, 36, tzinfo=UTC)
    assert (ticket.status, ticket.current_priority, ticket.reopen_count) == (
        TicketStatus.CLOSED,
        Priority.URGENT,
        0,
    )
    # The three history rows at 11:01:27 that day are before the creation at 18:06:36.
    assert "field changes not read (requester_id): 1" in ds.warnings
    assert "3 event(s) before their ticket's creation were moved" in " ".join(ds.warnings)


def test_zendesk_history_before_creation_rejects_the_ticket_by_default() -> None:
    ds = read_zendesk(zendesk())
    assert "11071" not in [t.id for t in ds.tickets]
    assert any("earlier than created_at" in r.reason for r in ds.rejected)


def test_zendesk_schedule_becomes_the_calendar() -> None:
    cal = read_zendesk(zendesk()).calendar
    assert cal is not None
    # schedule_data.csv: minutes 1920-2640 from Sunday 00:00 are Monday 08:00-20:00, and so on to
    # Friday, in "Pacific Time (US & Canada)".
    monday = datetime(2020, 3, 2, 8, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert cal.business_duration(monday, monday + timedelta(days=1)) == timedelta(hours=12)


# ------------------------------------------------------------------------------------ Freshdesk

FRESHDESK = "vendors/freshdesk_api_fixtures/v2"


def test_freshdesk_ticket_and_conversations_load() -> None:
    base = shared_file(FRESHDESK)
    ds = read_freshdesk(
        base / "ticket_1.json",
        conversations=base / "conversations.json",
        contacts=base / "contacts.json",
        agents=base / "agents.json",
    )
    assert (len(ds.tickets), len(ds.customers), len(ds.agents), ds.rejected) == (1, 2, 2, ())
    ticket = ds.tickets[0]
    # ticket_1.json: source 2 (portal), priority 1 (low), status 2 (open), created 04:36:04Z.
    assert (ticket.channel, ticket.channel_raw, ticket.priority, ticket.status) == (
        Channel.WEB,
        "portal",
        Priority.LOW,
        TicketStatus.OPEN,
    )
    # conversations.json: object 1 is a private note at 2016-05-19T05:36:12Z (not a reply),
    # object 2 the public reply (incoming false) at 2016-05-19T05:36:14Z.
    assert ticket.first_reply_at - ticket.created_at == timedelta(days=1, hours=1, seconds=10)
    assert ticket.public_agent_replies == 1


def test_freshdesk_search_results_with_a_repeated_id() -> None:
    path = shared_file(FRESHDESK) / "search_tickets.json"
    # search_tickets.json: results 1 and 2 both have id 1.
    ds = read_freshdesk(path, duplicates="keep_first")
    assert [t.id for t in ds.tickets] == ["1"]
    assert [(r.line, r.reason) for r in ds.rejected] == [(2, "duplicate id '1' (kept object 1)")]
    rejected = read_freshdesk(path)  # the default rejects every copy
    assert [(r.line, r.reason) for r in rejected.rejected] == [
        (1, "duplicate id '1' (objects 1, 2)"),
        (2, "duplicate id '1' (objects 1, 2)"),
    ]


# --------------------------------------------------------------------------------------- Zammad

ZAMMAD = "vendors/zammad_api_cassettes/decoded/TestAPI."


def test_zammad_tickets_users_and_groups_load() -> None:
    tickets = shared_file(
        ZAMMAD + "test_tickets__00_GET_api_v1_tickets_page_1_per_page_10_expand_true.json"
    )
    ds = read_zammad(
        tickets,
        users=shared_file(
            ZAMMAD + "test_users__00_GET_api_v1_users_page_1_per_page_10_expand_true.json"
        ),
        groups=shared_file(
            ZAMMAD + "test_groups__00_GET_api_v1_groups_page_1_per_page_10_expand_true.json"
        ),
    )
    # users: id 3 has roles Admin and Agent; ids 1 ("-"), 2, 49, 55 and 61 do not.
    assert ([a.id for a in ds.agents], len(ds.customers), ds.rejected) == (["3"], 5, ())
    ticket = ds.tickets[0]
    # ticket 1: create_article_type "phone", state "new", priority_id 2, group "Users",
    # first_response_at null.
    assert (ticket.channel, ticket.status, ticket.priority, ticket.group) == (
        Channel.PHONE,
        TicketStatus.NEW,
        Priority.NORMAL,
        "Users",
    )
    assert ticket.first_reply_at is None


@pytest.mark.parametrize(
    "name",
    [
        "test_tickets__01_GET_api_v1_tickets_1.json",
        "test_tickets__02_POST_api_v1_tickets.json",
        "test_tickets__03_PUT_api_v1_tickets_5.json",
    ],
)
def test_zammad_unexpanded_tickets_use_the_default_state_ids(name: str) -> None:
    ds = read_zammad(shared_file(ZAMMAD + name))
    assert (len(ds.tickets), ds.rejected) == (1, ())
