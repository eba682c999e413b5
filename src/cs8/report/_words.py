"""What customers wrote: the sentiment and flags of their ticket messages, as report numbers.

Each public customer message with a text is read once by :func:`cs8.text.sentiment` (its label)
and :func:`cs8.text.flags` (given that sentiment, so it is not scored twice). The section counts
the messages by label and by flag and lists the latest messages that need a supervisor, with the
words that raised the flag. Without any message text the section is ``None`` and the report says
so.

Example:
    >>> from cs8.datasets import sample_shop
    >>> from cs8.report import ServiceData
    >>> section = words_section(ServiceData.from_shop(sample_shop(n_customers=200, weeks=2)))
    >>> [label for label, _ in section.sentiment]
    ['negative', 'neutral', 'positive']
    >>> words_section(ServiceData()) is None
    True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import attrs

from cs8._enums import ActorKind
from cs8._models import Message, Ticket
from cs8.report._data import ServiceData

__all__ = ["FLAGGED_ROWS", "FlaggedMessage", "WordsSection", "WordsTally", "words_section"]

FLAGGED_ROWS = 10
"""Messages that need a supervisor listed in the report, the latest first (all are counted)."""

_LABELS = ("negative", "neutral", "positive")
_FLAGS = ("needs_supervisor", "urgent", "refund_request")


@attrs.frozen(kw_only=True)
class FlaggedMessage:
    """A customer message flagged for a supervisor: where, when, and the words that weighed.

    Example:
        >>> from datetime import timezone
        >>> FlaggedMessage(ticket_id="T1", at=datetime(2026, 7, 6, tzinfo=timezone.utc),
        ...                flags=("needs_supervisor",), evidence=("tệ",)).ticket_id
        'T1'
    """

    ticket_id: str
    at: datetime
    flags: tuple[str, ...]
    evidence: tuple[str, ...]


@attrs.frozen(kw_only=True)
class WordsSection:
    """The report's section on what customers wrote.

    Attributes:
        messages: Public customer messages with a text.
        sentiment: ``(label, messages)`` for negative, neutral and positive.
        flags: ``(flag, messages)`` for needs a supervisor, urgent and refund request.
        flagged: The :data:`FLAGGED_ROWS` latest messages that need a supervisor.
    """

    messages: int
    sentiment: tuple[tuple[str, int], ...]
    flags: tuple[tuple[str, int], ...]
    flagged: tuple[FlaggedMessage, ...]


def words_section(data: ServiceData) -> WordsSection | None:
    """Return the sentiment and flags of the customers' messages, or ``None`` without text.

    Example:
        >>> words_section(ServiceData(tickets=())) is None
        True
    """
    tally = WordsTally()
    tally.add(data.tickets)
    return tally.section()


class WordsTally:
    """The words section added up over batches of tickets (the DuckDB report streams them).

    Mutable; one report's lifetime, not thread-safe. Within one :meth:`add` each distinct text is
    read once (people repeat themselves; templates do more); only the counts and the
    :data:`FLAGGED_ROWS` latest flagged messages are kept between batches.

    Example:
        >>> tally = WordsTally()
        >>> tally.add([])
        >>> tally.section() is None
        True
    """

    def __init__(self) -> None:
        self._labels: Counter[str] = Counter()
        self._raised: Counter[str] = Counter()
        self._supervisor: list[FlaggedMessage] = []

    def add(self, tickets: Iterable[Ticket]) -> None:
        """Read the public customer messages with a text of ``tickets``."""
        from cs8.text import Flag, flags, sentiment

        seen: dict[str, tuple[str, tuple[Flag, ...]]] = {}
        for ticket in tickets:
            for event in ticket.events:
                if not (
                    type(event) is Message
                    and event.public
                    and event.author is ActorKind.CUSTOMER
                    and event.text
                ):
                    continue
                if event.text not in seen:
                    mood = sentiment(event.text)
                    seen[event.text] = (mood.label, flags(event.text, mood=mood))
                label, found = seen[event.text]
                self._labels[label] += 1
                self._raised.update(f.kind for f in found)
                if any(f.kind == "needs_supervisor" for f in found):
                    kinds = tuple(f.kind for f in found)
                    words = tuple(dict.fromkeys(w for f in found for w in f.evidence))
                    self._supervisor.append(
                        FlaggedMessage(
                            ticket_id=ticket.id, at=event.at, flags=kinds, evidence=words
                        )
                    )
        self._supervisor.sort(key=lambda m: (m.at, m.ticket_id), reverse=True)
        del self._supervisor[FLAGGED_ROWS:]

    def section(self) -> WordsSection | None:
        """The section of what was added, or ``None`` when no message had a text."""
        total = sum(self._labels.values())
        if not total:
            return None
        return WordsSection(
            messages=total,
            sentiment=tuple((label, self._labels[label]) for label in _LABELS),
            flags=tuple((kind, self._raised[kind]) for kind in _FLAGS),
            flagged=tuple(self._supervisor),
        )
