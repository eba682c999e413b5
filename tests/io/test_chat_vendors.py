"""read_chatwoot and read_intercom on fixtures hand-built from the vendors' API references.

Chatwoot (tests/io/fixtures/chatwoot, README there): conversation and message shapes from
https://developers.chatwoot.com/api-reference/conversations/conversations-list and
https://developers.chatwoot.com/api-reference/messages/get-messages (message_type 0 incoming,
1 outgoing, 2 activity, 3 template: chatwoot/chatwoot swagger/definitions/resource/message.yml).
Intercom (tests/io/fixtures/intercom): https://developers.intercom.com/docs/references/rest-api/
api.intercom.io/conversations/retrieveconversation (conversation, source, conversation_parts,
statistics). Every expected figure is computed by hand from those files; T below is the first
conversation's created_at.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cs8 import ActorKind, Channel, Handoff, Priority, TicketStatus
from cs8.io import read_chatwoot, read_intercom

FIXTURES = Path(__file__).parent / "fixtures"


def _names(counts: dict[str, int]) -> dict[str, int]:
    return {Path(k).name: v for k, v in counts.items()}


# ------------------------------------------------------------------------------------ Chatwoot

CHATWOOT_T = datetime(2023, 10, 10, tzinfo=UTC)  # created_at 1696896000 of conversation 24


def test_chatwoot_counts_and_accounting() -> None:
    ds = read_chatwoot(FIXTURES / "chatwoot")
    assert [t.id for t in ds.tickets] == ["24", "25", "26"]
    assert (len(ds.customers), len(ds.agents)) == (3, 2)
    # messages.json object 9 names conversation 99, which is not in conversations.json.
    assert [(Path(r.source).name, r.line) for r in ds.rejected] == [("messages.json", 9)]
    assert _names(dict(ds.rows_read)) == {
        "conversations.json": 3,
        "messages.json": 9,
        "reporting_events.json": 3,
        "contacts.json": 3,
        "agents.json": 2,
    }


def test_chatwoot_replies_notes_bots_and_templates() -> None:
    first, second, third = read_chatwoot(FIXTURES / "chatwoot").tickets
    # 24: contact at T; private note at T+600 (not a reply); agent 3's public reply at T+3600.
    assert first.first_reply_at - first.created_at == timedelta(hours=1)
    assert (first.channel, first.channel_raw, first.priority) == (
        Channel.CHAT,
        "Channel::WebWidget",
        Priority.HIGH,
    )
    # reporting_events object 2: conversation_resolved, event_end_time T+2h.
    assert first.solved_at == CHATWOOT_T + timedelta(hours=2)
    assert first.status is TicketStatus.SOLVED
    assert first.assignee == "3"
    # 25: created T+600; template (T+601) and AgentBot (T+660) are not agent replies; user 4
    # replies at T+2400 ("outgoing" as a name): 30 minutes.
    assert second.first_reply_at - second.created_at == timedelta(minutes=30)
    authors = [e.author for e in second.events if hasattr(e, "author")]
    assert authors == [ActorKind.CUSTOMER, ActorKind.SYSTEM, ActorKind.BOT, ActorKind.AGENT]
    # reporting_events object 3: the bot handed conversation 25 over at T+20 min.
    assert [e.at for e in second.events if isinstance(e, Handoff)] == [
        CHATWOOT_T + timedelta(minutes=20)
    ]
    assert (second.channel, second.status) == (Channel.EMAIL, TicketStatus.OPEN)
    # 26 is "pending" (with the bot): a new ticket with no events.
    assert (third.status, third.events) == (TicketStatus.NEW, ())


def test_chatwoot_embedded_messages_alone_and_the_first_reply_stand_in(tmp_path: Path) -> None:
    (tmp_path / "conversations.json").write_bytes(
        (FIXTURES / "chatwoot" / "conversations.json").read_bytes()
    )
    ds = read_chatwoot(tmp_path)
    first = ds.tickets[0]
    # Without messages.json, conversation 24 has its one embedded message: the T+3600 reply.
    assert first.first_reply_at == CHATWOOT_T + timedelta(hours=1)
    # Without reporting events, "resolved" holds from last_activity_at (T+7200).
    assert first.solved_at == CHATWOOT_T + timedelta(hours=2)
    assert ds.rejected == ()


def test_chatwoot_duplicate_conversation_is_rejected(tmp_path: Path) -> None:
    text = (FIXTURES / "chatwoot" / "conversations.json").read_text()
    (tmp_path / "conversations.json").write_text(text.replace('"id": 25,', '"id": 24,'))
    ds = read_chatwoot(tmp_path, duplicates="keep_first")
    assert [t.id for t in ds.tickets] == ["24", "26"]
    assert Counter(r.reason for r in ds.rejected) == {"duplicate id '24' (kept object 1)": 1}
    assert [t.id for t in read_chatwoot(tmp_path).tickets] == ["26"]  # reject, the default


# ------------------------------------------------------------------------------------ Intercom

INTERCOM_T = datetime(2022, 9, 19, 14, 20, 23, tzinfo=UTC)  # created_at 1663597223 of 1295


def test_intercom_counts_and_accounting() -> None:
    ds = read_intercom(FIXTURES / "intercom")
    assert [t.id for t in ds.tickets] == ["1295", "1296"]
    # Conversation 3 (1297) opens with an author of type "robot", not an Intercom type.
    assert [(Path(r.source).name, r.line) for r in ds.rejected] == [("conversations.json", 3)]
    assert (len(ds.customers), len(ds.agents)) == (2, 2)
    assert "conversation parts not read (conversation_rating_changed): 1" in ds.warnings


def test_intercom_first_reply_and_resolution_match_the_parts() -> None:
    first, second = read_intercom(FIXTURES / "intercom").tickets
    # 1295: the admin's note at T+300 is private; the comment at T+1200 is the first reply,
    # as the conversation's own statistics.time_to_admin_reply (1200) says.
    assert first.first_reply_at - first.created_at == timedelta(seconds=1200)
    assert first.solved_at - first.created_at == timedelta(seconds=7200)  # close part at T+7200
    assert (first.priority, first.category, first.tags, first.assignee) == (
        Priority.HIGH,
        "billing",
        frozenset({"Test tag"}),
        "991267",
    )
    # 1296 (created T+600): the bot's comment (T+660) and close (T+900) come before the user
    # reopens at T+1800; the admin replies at T+5400: first reply 4800 s, one reopen, solved at
    # the bot's close; snoozed then opened again, so it ends open.
    assert second.first_reply_at - second.created_at == timedelta(seconds=4800)
    assert second.solved_at == INTERCOM_T + timedelta(seconds=900)
    assert (second.reopen_count, second.status, second.channel) == (
        1,
        TicketStatus.OPEN,
        Channel.EMAIL,
    )
