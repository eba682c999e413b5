"""Flags per message, with their evidence, and a ticket annotated before routing.

:func:`flags` reads one text and says what a person should know: it is negative enough for a
supervisor, it is urgent, it asks for a refund, each with the words that triggered it.
:func:`annotate` reads a ticket's customer messages and writes what it found where the routing
rules read it: ``attributes["sentiment"]`` (``ticket.sentiment``), ``attributes["intent"]`` and
``attributes["urgency"]``, the flags as tags, the category from a classifier and, for urgent
tickets, a priority change.

Example:
    >>> [str(f) for f in flags("Hàng lỗi, shop làm ăn tệ quá, hoàn tiền gấp cho tôi")]
    ['negative, needs a supervisor (tệ, lỗi)', 'urgent (gấp)', 'refund request (hoàn tiền)']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

import attrs

from cs8._enums import ActorKind, Priority
from cs8._frozen import FrozenDict
from cs8._models import Interaction, Message, PriorityChange, Ticket
from cs8.exceptions import InvalidValueError
from cs8.text._classifier import Prediction, TextClassifier
from cs8.text._normalize import Language, detect_language, normalize, strip_diacritics
from cs8.text._sentiment import sentiment

__all__ = ["Flag", "FlagRules", "annotate", "annotate_interaction", "flags"]

_KINDS = {
    "needs_supervisor": "negative, needs a supervisor",
    "urgent": "urgent",
    "refund_request": "refund request",
}


@attrs.frozen(kw_only=True)
class Flag:
    """Something a person should know about a message.

    Args:
        kind: ``"needs_supervisor"``, ``"urgent"`` or ``"refund_request"``.
        evidence: The words that raised it.
        score: Its strength in [0, 1] (the size of the negative polarity; 1 for a phrase found).

    Example:
        >>> str(Flag(kind="urgent", evidence=("gấp",), score=1.0))
        'urgent (gấp)'
    """

    kind: str
    evidence: tuple[str, ...] = ()
    score: float = 1.0

    @property
    def reason(self) -> str:
        """The flag in words ("negative, needs a supervisor")."""
        return _KINDS.get(self.kind, self.kind)

    def __str__(self) -> str:
        why = f" ({', '.join(self.evidence)})" if self.evidence else ""
        return f"{self.reason}{why}"


def _phrases(value: Mapping[str, Iterable[str]]) -> FrozenDict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for language, phrases in value.items():
        if language not in ("vi", "en") or isinstance(phrases, str):
            raise InvalidValueError(
                f"FlagRules: phrases must map 'vi' / 'en' to a set of phrases, got {language!r}: "
                f"{phrases!r}"
            )
        lang: Literal["vi", "en"] = "vi" if language == "vi" else "en"
        out[language] = frozenset(normalize(str(p), lang) for p in phrases)
    return FrozenDict(out)


_URGENT = {
    "vi": {
        "gấp",
        "gấp gấp",
        "khẩn",
        "khẩn cấp",
        "lập tức",
        "ngay lập tức",
        "ngay bây giờ",
        "càng sớm càng tốt",
        "sớm nhất có thể",
        "cần ngay",
        "urgent",
    },
    "en": {
        "urgent",
        "urgently",
        "asap",
        "as soon as possible",
        "immediately",
        "right now",
        "right away",
        "emergency",
    },
}
_REFUND = {
    "vi": {
        "hoàn tiền",
        "hoàn lại tiền",
        "trả lại tiền",
        "trả tiền lại",
        "hoàn trả",
        "lấy lại tiền",
        "đòi tiền",
        "refund",
    },
    "en": {
        "refund",
        "refunded",
        "refunds",
        "money back",
        "reimburse",
        "reimbursement",
        "chargeback",
    },
}


@attrs.frozen(kw_only=True)
class FlagRules:
    """When :func:`flags` raises each flag.

    Args:
        negative_at: A sentiment polarity at or below this needs a supervisor.
        urgent: Phrases that make a message urgent, per language (``"vi"``, ``"en"``).
        refund: Phrases that ask for a refund, per language.

    Example:
        >>> "gấp" in FlagRules().urgent["vi"]
        True
    """

    negative_at: float = -0.3
    urgent: FrozenDict[str, frozenset[str]] = attrs.field(
        factory=lambda: _phrases(_URGENT), converter=_phrases
    )
    refund: FrozenDict[str, frozenset[str]] = attrs.field(
        factory=lambda: _phrases(_REFUND), converter=_phrases
    )


def _find(tokens: list[str], phrases: frozenset[str]) -> list[str]:
    """The phrases present in ``tokens``, in the order met; unaccented text matches too."""
    if not phrases:
        return []
    longest = max(p.count(" ") + 1 for p in phrases)
    plain = {strip_diacritics(p): p for p in phrases if " " in p}
    found: list[str] = []
    for i in range(len(tokens)):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            window = " ".join(tokens[i : i + n])
            hit = window if window in phrases else None
            if hit is None and window.isascii():
                hit = plain.get(window)
            if hit is not None and hit not in found:
                found.append(hit)
                break
    return found


_DEFAULT_RULES = FlagRules()


def flags(
    text: str,
    language: Language = "auto",
    *,
    rules: FlagRules = _DEFAULT_RULES,
    mood: Prediction | None = None,
) -> tuple[Flag, ...]:
    """Return the flags of one message, each with its evidence, in a fixed order.

    Args:
        text: What the customer wrote.
        language: ``"vi"``, ``"en"`` or ``"auto"``.
        rules: The thresholds and phrases.
        mood: The text's :func:`~cs8.text.sentiment`, if already computed.

    Example:
        >>> [f.kind for f in flags("I need a refund ASAP, this is terrible", "en")]
        ['needs_supervisor', 'urgent', 'refund_request']
        >>> flags("cảm ơn shop", "vi")
        ()
    """
    lang = detect_language(text) if language == "auto" else language
    if lang not in ("vi", "en"):
        raise InvalidValueError(f"language must be 'vi', 'en' or 'auto', got {language!r}")
    mood = mood if mood is not None else sentiment(text, lang)
    out: list[Flag] = []
    if mood.value is not None and mood.value <= rules.negative_at:
        out.append(Flag(kind="needs_supervisor", evidence=mood.evidence, score=-mood.value))
    tokens = normalize(text, lang).split()
    for kind, table in (("urgent", rules.urgent), ("refund_request", rules.refund)):
        found = _find(tokens, table.get(lang, frozenset()))
        if found:
            out.append(Flag(kind=kind, evidence=tuple(found)))
    return tuple(out)


def _customer_text(ticket: Ticket) -> str:
    return "\n".join(
        e.text
        for e in ticket.events
        if isinstance(e, Message) and e.author is ActorKind.CUSTOMER and e.public and e.text
    )


def annotate(
    ticket: Ticket,
    *,
    category: TextClassifier | None = None,
    intent: TextClassifier | None = None,
    urgency: TextClassifier | None = None,
    language: Language = "auto",
    rules: FlagRules = _DEFAULT_RULES,
    min_score: float = 0.5,
    priorities: Mapping[str, Priority | str] = FrozenDict({"urgent": Priority.URGENT}),
    at: datetime | None = None,
) -> Ticket:
    """Return ``ticket`` with what its customer wrote read into fields routing rules can use.

    The public customer messages with text are read together. Set on the returned ticket:

    - ``attributes["sentiment"]``: the polarity in [-1, 1] (rules: ``ticket.sentiment``);
    - ``attributes["intent"]``: the ``intent`` classifier's label, when its score reaches
      ``min_score`` (``ticket.intent``);
    - ``attributes["urgency"]``: the ``urgency`` classifier's label when given and confident,
      else ``"urgent"`` or ``"normal"`` from the urgent flag (``ticket.urgency``);
    - the flag kinds as tags (``needs_supervisor``, ``urgent``, ``refund_request``);
    - ``category`` from the ``category`` classifier, when the ticket has none and the score
      reaches ``min_score``;
    - a :class:`~cs8.PriorityChange` to ``priorities[urgency]`` when that is above the current
      priority, at ``at`` (default: the latest event, or creation).

    A ticket without customer text comes back unchanged.

    Args:
        ticket: The ticket.
        category: A classifier of categories.
        intent: A classifier of intents.
        urgency: A classifier of urgency labels.
        language: ``"vi"``, ``"en"`` or ``"auto"``.
        rules: Flag thresholds and phrases.
        min_score: The least classifier score that is acted upon.
        priorities: Urgency label to the priority it calls for.
        at: When the priority change happens.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Message, Ticket
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0, events=[
        ...     Message(at=t0, author="customer", text="Sao chưa giao hàng? Cần gấp, tệ quá")])
        >>> t = annotate(t)
        >>> t.attributes["urgency"], t.current_priority, sorted(t.tags)
        ('urgent', Priority.URGENT, ['needs_supervisor', 'urgent'])
    """
    text = _customer_text(ticket)
    if not text:
        return ticket
    lang = detect_language(text) if language == "auto" else language
    mood = sentiment(text, lang)
    raised = flags(text, lang, rules=rules, mood=mood)
    found = {f.kind for f in raised}
    attributes = dict(ticket.attributes)
    attributes["sentiment"] = mood.value
    changes: dict[str, object] = {}
    if intent is not None:
        guess = intent.predict(text)
        if guess.score >= min_score:
            attributes["intent"] = guess.label
    level = "urgent" if "urgent" in found else "normal"
    if urgency is not None:
        guess = urgency.predict(text)
        if guess.score >= min_score:
            level = guess.label
    attributes["urgency"] = level
    if category is not None and ticket.category is None:
        guess = category.predict(text)
        if guess.score >= min_score:
            changes["category"] = guess.label
    events = list(ticket.events)
    wanted = priorities.get(level)
    if wanted is not None:
        target = Priority(wanted)
        if target.rank > ticket.current_priority.rank:
            when = at if at is not None else (events[-1].at if events else ticket.created_at)
            events.append(PriorityChange(at=when, priority=target))
    return attrs.evolve(
        ticket,
        attributes=attributes,
        tags=ticket.tags | found,
        events=events,
        **changes,  # type: ignore[arg-type]
    )


def annotate_interaction(
    interaction: Interaction, language: Language = "auto", *, overwrite: bool = False
) -> Interaction:
    """Return ``interaction`` with ``sentiment`` scored from its ``transcript``.

    An interaction without a transcript, or already scored (unless ``overwrite``), comes back
    unchanged.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Interaction
        >>> chat = Interaction(id="I1", customer_id="C1", channel="chat",
        ...                    started_at=datetime(2026, 3, 2, 9, tzinfo=timezone.utc),
        ...                    transcript="Cảm ơn bạn, hỗ trợ rất nhiệt tình")
        >>> round(annotate_interaction(chat).sentiment, 2)
        0.73
    """
    if not interaction.transcript or (interaction.sentiment is not None and not overwrite):
        return interaction
    value = sentiment(interaction.transcript, language).value
    return attrs.evolve(interaction, sentiment=value)
