"""The constructors type-check what they are given: nothing is silently made text, flag or number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cs8 import Customer, Interaction, InvalidValueError, Message, Ticket

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (Interaction, {"proactive": "false"}),
        (Interaction, {"agent_id": 7}),
        (Interaction, {"sentiment": True}),
        (Interaction, {"channel_raw": 3}),
        (Ticket, {"category": 5}),
        (Ticket, {"tags": [1, 2]}),
        (Ticket, {"attributes": {"a": {1, 2}}}),
        (Customer, {"name": 5}),
        (Message, {"public": "yes"}),
        (Message, {"author_id": 1.5}),
    ],
)
def test_a_wrong_type_is_an_invalid_value(cls: type, kwargs: dict[str, Any]) -> None:
    base: dict[str, Any] = {
        Interaction: {"id": "I1", "customer_id": "C1", "channel": "phone", "started_at": T0},
        Ticket: {"id": "T1", "customer_id": "C1", "channel": "web", "created_at": T0},
        Customer: {"id": "C1"},
        Message: {"at": T0},
    }[cls]
    with pytest.raises(InvalidValueError):
        cls(**base, **kwargs)


def test_a_single_string_is_one_tag() -> None:
    ticket = Ticket(id="T1", customer_id="C1", channel="web", created_at=T0, tags="refund")
    assert ticket.tags == frozenset({"refund"})
