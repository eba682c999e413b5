"""The polarity of what each customer said in a time window: contacts and ticket messages.

One reading shared by the churn score's negative-sentiment component and the S8 scorecard's
empathy measure: a contact counts once, by its ``Interaction.sentiment`` when scored, else by the
sentiment of its ``transcript``; a public customer message on a ticket counts once by the
sentiment of its ``text`` (:func:`cs8.text.sentiment`, the shipped offline lexicons, language
detected). Contacts and messages without either are not read.

Example:
    >>> from datetime import datetime, timedelta, timezone
    >>> from cs8 import Interaction
    >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
    >>> talks = [Interaction(id="1", customer_id="a", channel="chat", started_at=t,
    ...                      transcript="Giao hàng chậm quá, thất vọng"),
    ...          Interaction(id="2", customer_id="a", channel="phone", started_at=t, sentiment=0.4)]
    >>> {c: [round(v, 2) for v in vs] for c, vs in polarities((), talks, t, t + timedelta(1)).items()}
    {'a': [-0.76, 0.4]}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cs8._enums import ActorKind
from cs8._models import Interaction, Message, Ticket
from cs8.text._sentiment import sentiment

__all__ = ["polarities"]


def polarities(
    tickets: Iterable[Ticket], interactions: Iterable[Interaction], start: datetime, end: datetime
) -> dict[str, list[float]]:
    """Return each customer's polarities in [-1, 1] of contacts and messages in ``[start, end)``.

    A contact is placed at ``started_at``, a message at its ``at``; see the module documentation.
    Each distinct text is scored once per call (people repeat themselves; templates do more).
    """
    seen: dict[str, float] = {}

    def read(text: str) -> float:
        found = seen.get(text)
        if found is None:
            value = sentiment(text).value
            assert value is not None  # a sentiment prediction always carries its polarity
            found = seen[text] = value
        return found

    out: dict[str, list[float]] = {}
    for contact in interactions:
        if not start <= contact.started_at < end:
            continue
        if contact.sentiment is not None:
            value = contact.sentiment
        elif contact.transcript:
            value = read(contact.transcript)
        else:
            continue
        out.setdefault(contact.customer_id, []).append(value)
    for ticket in tickets:
        for event in ticket.events:
            if (
                type(event) is Message
                and event.public
                and event.author is ActorKind.CUSTOMER
                and event.text
                and start <= event.at < end
            ):
                out.setdefault(ticket.customer_id, []).append(read(event.text))
    return out
