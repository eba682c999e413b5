"""The report's "what customers wrote" section: sentiment and flags of the customers' messages."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from cs8 import Message, Ticket
from cs8.datasets import SampleShop
from cs8.report import ServiceData, ServiceReport, build_report
from cs8.report._words import FLAGGED_ROWS
from cs8.text import flags, sentiment

T0 = datetime(2026, 7, 6, 9, tzinfo=UTC)


def test_counts_are_the_sentiment_and_flags_of_each_customer_message(small: SampleShop) -> None:
    report = build_report(ServiceData.from_shop(small))
    texts = [
        e.text
        for t in small.tickets
        for e in t.events
        if type(e) is Message and e.author.value == "customer" and e.public and e.text
    ]
    section = report.words
    assert section is not None
    assert section.messages == len(texts)
    labels = Counter(sentiment(x).label for x in texts)
    assert dict(section.sentiment) == {k: labels[k] for k in ("negative", "neutral", "positive")}
    raised = Counter(f.kind for x in texts for f in flags(x))
    assert dict(section.flags) == {
        k: raised[k] for k in ("needs_supervisor", "urgent", "refund_request")
    }
    assert len(section.flagged) == min(FLAGGED_ROWS, raised["needs_supervisor"])
    assert [m.at for m in section.flagged] == sorted((m.at for m in section.flagged), reverse=True)


def test_hand_made_messages() -> None:
    ticket = Ticket(id="T1", customer_id="C1", channel="chat", created_at=T0, events=[
        Message(at=T0, author="customer", text="Hàng lỗi, shop làm ăn tệ quá, hoàn tiền gấp cho tôi"),
        Message(at=T0 + timedelta(minutes=5), author="agent", text="Dạ shop xin lỗi ạ"),
        Message(at=T0 + timedelta(hours=1), author="customer", text="Cảm ơn shop nhiều"),
    ])  # fmt: skip
    report = build_report(ServiceData(tickets=[ticket]))
    section = report.words
    assert section is not None
    assert section.messages == 2  # the agent's message is not the customer's
    assert dict(section.sentiment) == {"negative": 1, "neutral": 0, "positive": 1}
    assert dict(section.flags) == {"needs_supervisor": 1, "urgent": 1, "refund_request": 1}
    (flagged,) = section.flagged
    assert (flagged.ticket_id, flagged.flags) == (
        "T1",
        ("needs_supervisor", "urgent", "refund_request"),
    )
    md = report.to_markdown(lang="vi")
    assert "## Khách hàng viết gì" in md
    assert "| tiêu cực, cần quản lý | 1 | 50,0% |" in md
    assert "gấp" in md


def test_json_and_the_note_without_text(quarter_report: ServiceReport) -> None:
    data = json.loads(quarter_report.to_json())["words"]
    assert data["messages"] == sum(n for _, n in data["sentiment"])
    empty = build_report(ServiceData())
    assert empty.words is None
    assert "No customer message has a text" in empty.to_text()


def test_a_tally_added_up_in_batches_is_the_section_of_all_at_once(small: SampleShop) -> None:
    # The DuckDB report adds the section up over the batches of its ticket stream.
    from cs8.report._words import WordsTally, words_section

    tickets = list(small.tickets)
    for size in (1, 7, 250):
        tally = WordsTally()
        for k in range(0, len(tickets), size):
            tally.add(tickets[k : k + size])
        assert tally.section() == words_section(ServiceData(tickets=tickets)), size
