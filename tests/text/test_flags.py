"""Flags with evidence, and tickets annotated before routing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cs8 import Message, Priority, Ticket
from cs8.exceptions import InvalidValueError
from cs8.text import FlagRules, TextClassifier, annotate, flags

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def kinds(text: str, language: str = "auto") -> list[str]:
    return [f.kind for f in flags(text, language)]  # type: ignore[arg-type]


def test_negative_message_needs_a_supervisor_with_its_words() -> None:
    (flag,) = flags("Nhân viên thái độ thô lỗ, thất vọng", "vi")
    assert flag.kind == "needs_supervisor"
    assert flag.reason == "negative, needs a supervisor"
    assert set(flag.evidence) <= {"thô lỗ", "thất vọng", "thái độ"}
    assert flag.score > 0.3


def test_mildly_negative_message_is_not_flagged() -> None:
    assert kinds("hơi chậm", "vi") == []


def test_urgent_and_refund_phrases_unaccented() -> None:
    assert kinds("can hoan tien gap", "vi") == ["refund_request"]  # "gap" alone may be "gặp"
    assert kinds("hoàn tiền gấp", "vi") == ["urgent", "refund_request"]


def test_english_flags() -> None:
    assert kinds("Please refund me immediately", "en") == ["urgent", "refund_request"]


def test_rules_are_configurable() -> None:
    rules = FlagRules(negative_at=-0.9, urgent={"vi": {"hỏa tốc"}}, refund={"vi": set()})
    assert [f.kind for f in flags("giao hoả tốc, hoàn tiền", "vi", rules=rules)] == ["urgent"]


def test_bad_phrase_table_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="'fr'"):
        FlagRules(urgent={"fr": {"urgent"}})


def ticket(*texts: str, priority: str = "normal", category: str | None = None) -> Ticket:
    events = [
        Message(at=T0 + timedelta(minutes=i), author="customer", text=text)
        for i, text in enumerate(texts)
    ]
    return Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        priority=priority,
        category=category,
        events=events,
    )


def test_annotate_sets_what_routing_reads() -> None:
    t = annotate(ticket("Đơn hàng chưa nhận được", "Hoàn tiền gấp giúp mình, tệ quá"))
    assert t.attributes["urgency"] == "urgent"
    assert isinstance(t.attributes["sentiment"], float)
    assert t.attributes["sentiment"] < 0
    assert t.tags == {"urgent", "refund_request", "needs_supervisor"}
    assert t.current_priority is Priority.URGENT
    assert t.events[-1].at == T0 + timedelta(minutes=1)


def test_annotate_never_lowers_priority() -> None:
    t = annotate(ticket("cần gấp"), priorities={"urgent": "high"})
    assert (
        annotate(ticket("cần gấp", priority="urgent")).events
        == ticket("cần gấp", priority="urgent").events
    )
    assert t.current_priority is Priority.HIGH


def test_annotate_reads_only_customer_text() -> None:
    t = Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=T0,
        events=[
            Message(at=T0, author="agent", text="xin lỗi, tệ quá"),
        ],
    )
    assert annotate(t) is t


def test_annotate_uses_classifiers_when_confident() -> None:
    texts = ["ko nhận được hàng", "giao hàng chậm", "hoàn tiền giúp mình", "muốn hoàn tiền"] * 3
    labels = ["delivery", "delivery", "refund", "refund"] * 3
    clf = TextClassifier.train(texts, labels, language="vi", min_df=1, calibrate=False)
    t = annotate(ticket("chưa nhận được hàng"), category=clf, intent=clf)
    assert t.category == "delivery"
    assert t.attributes["intent"] == "delivery"
    kept = annotate(ticket("chưa nhận được hàng", category="billing"), category=clf)
    assert kept.category == "billing"
    unsure = annotate(ticket("chưa nhận được hàng"), category=clf, min_score=0.999)
    assert unsure.category is None


def test_annotate_interaction_scores_the_transcript_once() -> None:
    from cs8 import Interaction
    from cs8.text import annotate_interaction, sentiment

    chat = Interaction(
        id="I1",
        customer_id="C1",
        channel="chat",
        started_at=T0,
        transcript="giao hàng chậm, thất vọng",
    )
    scored = annotate_interaction(chat)
    assert scored.sentiment == sentiment("giao hàng chậm, thất vọng").value
    already = Interaction(
        id="I3",
        customer_id="C1",
        channel="chat",
        started_at=T0,
        transcript="tuyệt vời",
        sentiment=-0.5,
    )
    assert annotate_interaction(already).sentiment == -0.5
    assert annotate_interaction(already, overwrite=True).sentiment == sentiment("tuyệt vời").value
    assert (
        annotate_interaction(
            Interaction(id="I2", customer_id="C1", channel="chat", started_at=T0)
        ).sentiment
        is None
    )
