"""Type-checked in CI: cs8.text used as a user would write it (also run by pytest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cs8 import Interaction, Message, Ticket
from cs8.kpi import Rate
from cs8.text import (
    ZENDESK_AUTOMATED_RESOLUTION,
    Evaluation,
    Flag,
    Prediction,
    TextClassifier,
    annotate,
    bot_containment,
    evaluate,
    flags,
    normalize,
    sentiment,
)


def main() -> None:
    clf: TextClassifier = TextClassifier.train(
        ["good", "bad", "great", "awful"],
        ["pos", "neg", "pos", "neg"],
        "en",
        min_df=1,
        calibrate=False,
    )
    p: Prediction = clf.predict("good")
    label: str = p.label
    score: float = p.score
    words: tuple[str, ...] = p.evidence
    again: TextClassifier = TextClassifier.from_json(clf.to_json())
    ev: Evaluation = evaluate(again, ["good"], ["pos"])
    accuracy: float = ev.accuracy
    mood: Prediction = sentiment("giao hàng chậm", language="vi")
    value: float | None = mood.value
    found: tuple[Flag, ...] = flags("hoàn tiền gấp")
    text: str = normalize("ko dc", "vi")
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    ticket: Ticket = annotate(
        Ticket(
            id="T",
            customer_id="C",
            channel="chat",
            created_at=t0,
            events=[Message(at=t0, author="customer", text="cần gấp")],
        )
    )
    bot = Interaction(
        id="b",
        customer_id="C",
        channel="chat",
        started_at=t0,
        answered_at=t0,
        ended_at=t0,
        handled_by="bot",
        transcript="hi",
    )
    rate: Rate = bot_containment([bot], timedelta(hours=72), "all", now=t0 + timedelta(days=4))
    zendesk: Rate = bot_containment([bot], definition=ZENDESK_AUTOMATED_RESOLUTION)
    assert (label, words, accuracy, text) == ("pos", ("good",), 1.0, "không được")
    assert 0 < score <= 1
    assert value is not None
    assert value < 0
    assert found
    assert ticket.attributes["urgency"] == "urgent"
    assert rate.value == 1.0
    assert zendesk.n == 0


if __name__ == "__main__":
    main()
