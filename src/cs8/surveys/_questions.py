"""Single-question instruments (CSAT, NPS, CES), response collection, and when to send a survey.

The questions are cs8's own phrasings of the usual forms (English and Vietnamese); ``{company}``
in a text is replaced by the name given to :meth:`Question.text`.

Non-responses are counted (``SurveyTally.non_responses``) and never turned into a score: a
customer who did not answer is not a detractor and not a zero.

Example:
    >>> from datetime import datetime, timezone
    >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
    >>> tally = NPS_QUESTION.collect([10, 9, None, 3], at=at)
    >>> tally.non_responses, [r.score for r in tally.responses]
    (1, [10, 9, 3])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._enums import Channel, SurveyKind, TicketStatus
from cs8._frozen import FrozenDict
from cs8._models import SurveyResponse, Ticket
from cs8._time import require_aware
from cs8.exceptions import SurveyError

__all__ = [
    "CES_EFFORT_QUESTION",
    "CES_QUESTION",
    "CSAT_QUESTION",
    "NPS_QUESTION",
    "Question",
    "SurveyTally",
    "survey_due",
    "survey_due_at",
]


def _texts(value: Mapping[str, str]) -> FrozenDict[str, str]:
    return FrozenDict(dict(value))


def _anchors(value: Mapping[str, tuple[str, str]]) -> FrozenDict[str, tuple[str, str]]:
    return FrozenDict({k: (str(a), str(b)) for k, (a, b) in dict(value).items()})


@attrs.frozen(kw_only=True)
class Question:
    """A one-question survey (CSAT, NPS, CES) with its scale and wording in several languages.

    Args:
        kind: The instrument kind (:class:`cs8.SurveyKind`).
        scale: ``(lowest, highest)`` score.
        texts: Question by language code; ``{company}`` is filled in by :meth:`text`.
        anchors: Labels of the lowest and highest score by language.
        higher_is_better: ``False`` for effort scales where a low score is the good outcome.
        name: A name for the question.

    Example:
        >>> CSAT_QUESTION.text("vi", company="Cửa hàng An")
        'Bạn hài lòng đến mức nào với sự hỗ trợ của Cửa hàng An?'
    """

    kind: SurveyKind = attrs.field(converter=SurveyKind)
    scale: tuple[int, int]
    texts: FrozenDict[str, str] = attrs.field(converter=_texts)
    anchors: FrozenDict[str, tuple[str, str]] = attrs.field(converter=_anchors)
    higher_is_better: bool = True
    name: str = ""

    def __attrs_post_init__(self) -> None:
        low, high = self.scale
        if not low < high:
            raise SurveyError(f"Question.scale must be (low, high), got {self.scale!r}")
        if "en" not in self.texts:
            raise SurveyError(f"Question.texts needs an English text (question {self.name!r})")

    def text(self, language: str = "en", *, company: str = "us") -> str:
        """Return the question in ``language`` (English if missing) with the company filled in.

        Example:
            >>> NPS_QUESTION.text(company="Acme")
            'How likely are you to recommend Acme to a friend or colleague?'
        """
        return self.texts.get(language, self.texts["en"]).format(company=company)

    def response(
        self,
        score: int,
        *,
        at: datetime,
        customer_id: str | None = None,
        ticket_id: str | None = None,
        agent_id: str | None = None,
        channel: Channel | str | None = None,
        comment: str | None = None,
    ) -> SurveyResponse:
        """Validate one answer and return it as a :class:`cs8.SurveyResponse`.

        Raises:
            SurveyError: If the score is not a whole number on the scale.
            NaiveDatetimeError: If ``at`` has no time zone.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> CES_EFFORT_QUESTION.response(2, at=at).scale
            (1, 5)
            >>> CSAT_QUESTION.response(6, at=at)
            Traceback (most recent call last):
            ...
            cs8.exceptions.SurveyError: csat answer must be a whole number in 1..5, got 6
        """
        low, high = self.scale
        if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
            raise SurveyError(
                f"{self.kind.value} answer must be a whole number in {low}..{high}, got {score!r}"
            )
        return SurveyResponse(
            kind=self.kind,
            score=score,
            at=at,
            scale=self.scale,
            customer_id=customer_id,
            ticket_id=ticket_id,
            agent_id=agent_id,
            channel=channel,
            comment=comment,
        )

    def collect(
        self,
        answers: Iterable[int | str | None],
        *,
        at: datetime,
        strict: bool = True,
    ) -> SurveyTally:
        """Validate a batch of answers to invitations; ``None`` or ``""`` is a non-response.

        Args:
            answers: One entry per invitation sent: a score, or ``None``/``""`` when the customer
                did not answer. Numeric strings (``"9"``) are accepted.
            at: Timestamp given to every response.
            strict: Raise on an invalid answer; with ``False`` it is counted in ``invalid``.

        Raises:
            SurveyError: With ``strict``, if an answer is off the scale or not a number; the
                message gives its position.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 2, tzinfo=timezone.utc)
            >>> CSAT_QUESTION.collect([5, "4", "", 9], at=at, strict=False).invalid
            1
        """
        require_aware(at, "at")
        responses: list[SurveyResponse] = []
        invited = non = invalid = 0
        for pos, raw in enumerate(answers):
            invited += 1
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                non += 1
                continue
            try:
                value: object = raw
                if isinstance(raw, str):
                    try:
                        value = int(raw.strip())
                    except ValueError:
                        raise SurveyError(
                            f"{self.kind.value} answer must be a whole number, got {raw!r}"
                        ) from None
                responses.append(self.response(value, at=at))  # type: ignore[arg-type]
            except SurveyError as exc:
                if strict:
                    raise SurveyError(f"answer {pos}: {exc}") from None
                invalid += 1
        return SurveyTally(
            question=self,
            invited=invited,
            responses=tuple(responses),
            non_responses=non,
            invalid=invalid,
        )


@attrs.frozen(kw_only=True, repr=False)
class SurveyTally(DictsReprMixin):
    """The result of sending a question: valid responses, non-responses and invalid answers.

    Attributes:
        question: The question asked.
        invited: Invitations counted.
        responses: Valid responses (pass their scores to :mod:`cs8.kpi`).
        non_responses: Invitations without an answer; never scored.
        invalid: Answers rejected with ``strict=False``.

    Example:
        >>> from datetime import datetime, timezone
        >>> t = CSAT_QUESTION.collect([5, None], at=datetime(2026, 3, 2, tzinfo=timezone.utc))
        >>> t.response_rate
        0.5
    """

    __repr__ = DictsReprMixin._short_repr

    question: Question
    invited: int
    responses: tuple[SurveyResponse, ...]
    non_responses: int
    invalid: int = 0

    @property
    def scores(self) -> tuple[int, ...]:
        """The valid scores.

        Example:
            >>> from datetime import datetime, timezone
            >>> CSAT_QUESTION.collect([5, None, 3], at=datetime(2026, 3, 2, tzinfo=timezone.utc)).scores
            (5, 3)
        """
        return tuple(r.score for r in self.responses)

    @property
    def response_rate(self) -> float:
        """Valid responses over invitations (NaN with no invitations).

        Example:
            >>> from datetime import datetime, timezone
            >>> CSAT_QUESTION.collect([], at=datetime(2026, 3, 2, tzinfo=timezone.utc)).response_rate
            nan
        """
        return len(self.responses) / self.invited if self.invited else float("nan")

    def to_dicts(self) -> list[Row]:
        """Return one row with the counts.

        Example:
            >>> from datetime import datetime, timezone
            >>> CSAT_QUESTION.collect([5], at=datetime(2026, 3, 2, tzinfo=timezone.utc)).to_dicts()[0]["responses"]
            1
        """
        return [
            {
                "kind": self.question.kind.value,
                "invited": self.invited,
                "responses": len(self.responses),
                "non_responses": self.non_responses,
                "invalid": self.invalid,
                "response_rate": self.response_rate,
            }
        ]


#: Customer satisfaction, 1 (very dissatisfied) to 5 (very satisfied).
CSAT_QUESTION = Question(
    name="CSAT",
    kind=SurveyKind.CSAT,
    scale=(1, 5),
    texts={
        "en": "How satisfied are you with the support you received from {company}?",
        "vi": "Bạn hài lòng đến mức nào với sự hỗ trợ của {company}?",
    },
    anchors={
        "en": ("Very dissatisfied", "Very satisfied"),
        "vi": ("Rất không hài lòng", "Rất hài lòng"),
    },
)

#: Net Promoter Score (Reichheld 2003), 0 (not at all likely) to 10 (extremely likely).
NPS_QUESTION = Question(
    name="NPS",
    kind=SurveyKind.NPS,
    scale=(0, 10),
    texts={
        "en": "How likely are you to recommend {company} to a friend or colleague?",
        "vi": "Bạn có khả năng giới thiệu {company} cho bạn bè hoặc đồng nghiệp đến mức nào?",
    },
    anchors={
        "en": ("Not at all likely", "Extremely likely"),
        "vi": ("Hoàn toàn không", "Chắc chắn sẽ giới thiệu"),
    },
)

#: Customer Effort Score, CES 2.0 form: agreement 1 (strongly disagree) to 7 (strongly agree)
#: that the company made the issue easy to handle; higher is better.
CES_QUESTION = Question(
    name="CES",
    kind=SurveyKind.CES,
    scale=(1, 7),
    texts={
        "en": "{company} made it easy for me to get my issue handled.",
        "vi": "{company} giúp tôi giải quyết vấn đề của mình một cách dễ dàng.",
    },
    anchors={
        "en": ("Strongly disagree", "Strongly agree"),
        "vi": ("Hoàn toàn không đồng ý", "Hoàn toàn đồng ý"),
    },
)

#: The older effort form (Dixon, Freeman and Toman 2010): effort 1 (very low) to 5 (very high);
#: lower is better.
CES_EFFORT_QUESTION = Question(
    name="CES (effort, 1-5)",
    kind=SurveyKind.CES,
    scale=(1, 5),
    texts={
        "en": "How much effort did you have to put in to get your request handled?",
        "vi": "Bạn đã phải bỏ ra bao nhiêu công sức để yêu cầu của mình được xử lý?",
    },
    anchors={"en": ("Very low effort", "Very high effort"), "vi": ("Rất ít", "Rất nhiều")},
    higher_is_better=False,
)

_DONE = frozenset({TicketStatus.SOLVED, TicketStatus.CLOSED})


def survey_due_at(
    ticket: Ticket,
    *,
    delay: timedelta = timedelta(hours=24),
    last_surveyed_at: datetime | None = None,
    quiet_period: timedelta = timedelta(days=30),
) -> datetime | None:
    """Return when a survey about ``ticket`` may be sent, or ``None`` if it should not be.

    The survey follows the ticket's latest solve by ``delay``. It is not sent for a ticket that
    was never solved, nor again for a solve already surveyed (``last_surveyed_at`` at or after
    the latest solve), and not within ``quiet_period`` of the customer's previous survey: then
    the due time moves to the end of the quiet period.

    Args:
        ticket: The ticket.
        delay: Time after the latest solve.
        last_surveyed_at: When this customer was last sent a survey, if ever.
        quiet_period: Minimum time between two surveys to the same customer.

    Raises:
        NaiveDatetimeError: If ``last_surveyed_at`` has no time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Channel, StatusChange, TicketStatus
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel=Channel.EMAIL, created_at=t0,
        ...            events=[StatusChange(at=t0.replace(hour=11), status=TicketStatus.SOLVED)])
        >>> survey_due_at(t)
        datetime.datetime(2026, 3, 3, 11, 0, tzinfo=datetime.timezone.utc)
    """
    solved = ticket.last_solved_at
    if solved is None:
        return None
    due = solved + delay
    if last_surveyed_at is not None:
        require_aware(last_surveyed_at, "last_surveyed_at")
        if last_surveyed_at >= solved:
            return None
        due = max(due, last_surveyed_at + quiet_period)
    return due


def survey_due(
    ticket: Ticket,
    *,
    now: datetime,
    delay: timedelta = timedelta(hours=24),
    last_surveyed_at: datetime | None = None,
    quiet_period: timedelta = timedelta(days=30),
    expires_after: timedelta | None = timedelta(days=7),
) -> bool:
    """Say whether a survey about ``ticket`` should be sent at ``now``.

    True when :func:`survey_due_at` gives a time at or before ``now``, the ticket is still
    solved or closed at ``now`` (a reopened ticket waits for its next solve), and, with
    ``expires_after``, no more than that has passed since the due time (late surveys measure
    memory rather than service).

    Raises:
        NaiveDatetimeError: If ``now`` or ``last_surveyed_at`` has no time zone.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Channel, StatusChange, TicketStatus
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> t = Ticket(id="T1", customer_id="C1", channel=Channel.EMAIL, created_at=t0,
        ...            events=[StatusChange(at=t0.replace(hour=11), status=TicketStatus.SOLVED)])
        >>> survey_due(t, now=t0.replace(day=3, hour=12)), survey_due(t, now=t0.replace(hour=12))
        (True, False)
    """
    require_aware(now, "now")
    due = survey_due_at(
        ticket, delay=delay, last_surveyed_at=last_surveyed_at, quiet_period=quiet_period
    )
    if due is None or now < due:
        return False
    if expires_after is not None and now > due + expires_after:
        return False
    return ticket.status_at(now) in _DONE
