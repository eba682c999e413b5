"""The sample shop's message texts: on every message, in the customer's language, nothing else moved."""

from __future__ import annotations

import attrs

from cs8 import Message, Ticket
from cs8.datasets import sample_shop
from cs8.datasets._shop_text import with_text
from cs8.text import detect_language, sentiment


def _without_text(ticket: Ticket) -> Ticket:
    events = tuple(attrs.evolve(e, text=None) if type(e) is Message else e for e in ticket.events)
    return attrs.evolve(ticket, events=events)


def test_every_message_has_a_text_in_the_ticket_language() -> None:
    shop = sample_shop(n_customers=300, weeks=3)
    messages = [(t, e) for t in shop.tickets for e in t.events if type(e) is Message]
    assert messages
    assert all(e.text for _, e in messages)
    english = [e.text for t, e in messages if t.language == "en" and e.text]
    assert english
    assert all(detect_language(text) == "en" for text in english)


def test_texts_change_nothing_else() -> None:
    shop = sample_shop(n_customers=200, weeks=2)
    bare = [_without_text(t) for t in shop.tickets]
    assert [_without_text(t) for t in with_text(bare, seed=0)] == bare
    assert tuple(with_text(bare, seed=0)) == shop.tickets  # the same seed, the same texts
    assert tuple(with_text(bare, seed=1)) != shop.tickets


def test_complaints_open_in_a_negative_tone() -> None:
    shop = sample_shop(n_customers=600, weeks=4)
    openings = [
        next(e.text for e in t.events if type(e) is Message and e.author.value == "customer")
        for t in shop.tickets
        if t.category == "complaint" and t.events
    ]
    assert openings
    assert all(sentiment(text).label == "negative" for text in openings)
