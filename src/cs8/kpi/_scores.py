"""CSAT and CES: score histograms (:class:`ScoreState`) and the KPIs read from them.

Example:
    >>> csat([5, 4, 3, None]).value
    0.6666666666666666
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs

from cs8._enums import SurveyKind
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.kpi._columnar_scores import ces_frame, ces_index_frame, csat_frame, csat_mean_frame
from cs8.kpi._kpi import with_frame
from cs8.kpi._stats import Mean, MeanState, Rate, RateState
from cs8.kpi._surveys import (
    _MIN_N,
    Score,
    _bump,
    _counts,
    _extra,
    _merged,
    _read,
    _scale_of,
)

__all__ = ["ScoreState", "ces", "ces_index", "csat", "csat_mean"]


@attrs.frozen(kw_only=True)
class ScoreState:
    """The mergeable state of answers on an integer scale: how many gave each score.

    A histogram is enough for every CSAT and CES figure (share at or above a threshold, mean, t
    interval), so one state serves them all and merges exactly.

    Args:
        kind: The instrument whose :class:`~cs8.SurveyResponse` values count.
        low: The lowest score of the scale.
        high: The highest score.
        counts: How many answers gave ``low``, ``low + 1``, ... ``high``.
        excluded: Answers left out, by reason (``no_response``, ``other_kind``).

    Example:
        >>> s = ScoreState.of([5, 4, 4, None, 1], kind="csat", scale=5)
        >>> s.counts, dict(s.excluded)
        ((1, 0, 0, 2, 1), {'no_response': 1})
        >>> s.share_at_least(4).value, s.mean().value
        (0.75, 3.5)
    """

    kind: SurveyKind = attrs.field(converter=SurveyKind)
    low: int
    high: int
    counts: tuple[int, ...]
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_counts)

    def __attrs_post_init__(self) -> None:
        if len(self.counts) != self.high - self.low + 1:
            raise InvalidValueError(
                f"ScoreState.counts must have one count per score {self.low}..{self.high}, "
                f"got {len(self.counts)}"
            )

    @property
    def n(self) -> int:
        """Answers counted."""
        return sum(self.counts)

    @classmethod
    def empty(cls, *, kind: SurveyKind | str, scale: int | tuple[int, int]) -> ScoreState:
        """Return the state of no answers on ``scale`` (an int ``k`` means 1..k).

        Example:
            >>> ScoreState.empty(kind="ces", scale=7).counts
            (0, 0, 0, 0, 0, 0, 0)
        """
        low, high = _scale_of(scale, "ScoreState")
        return cls(kind=SurveyKind(kind), low=low, high=high, counts=(0,) * (high - low + 1))

    @classmethod
    def of(
        cls, scores: Iterable[Score], *, kind: SurveyKind | str, scale: int | tuple[int, int]
    ) -> ScoreState:
        """Return the state of ``scores``.

        Raises:
            SurveyError: If a score is off the scale or a response is on another scale.

        Example:
            >>> ScoreState.of([1, 2, 2], kind="csat", scale=(1, 3)).counts
            (1, 2, 0)
        """
        return cls.empty(kind=kind, scale=scale).extend(scores)

    def add(self, score: Score) -> ScoreState:
        """Return a new state with one more answer.

        Example:
            >>> ScoreState.empty(kind="csat", scale=5).add(5).counts[-1]
            1
        """
        return self.extend((score,))

    def extend(self, scores: Iterable[Score]) -> ScoreState:
        """Return a new state with every answer added.

        Example:
            >>> ScoreState.empty(kind="csat", scale=5).extend([5, 5, None]).n
            2
        """
        values, missing, other = _read(scores, self.kind, self.low, self.high, self.kind.value)
        counts = list(self.counts)
        for v in values:
            counts[v - self.low] += 1
        return attrs.evolve(
            self, counts=tuple(counts), excluded=_bump(self.excluded, _extra(missing, other))
        )

    def merge(self, other: ScoreState) -> ScoreState:
        """Return the state of both states' answers (same instrument and scale).

        Raises:
            InvalidValueError: If the instruments or scales differ.

        Example:
            >>> a = ScoreState.of([5], kind="csat", scale=5)
            >>> (a + ScoreState.of([1], kind="csat", scale=5)).mean().value
            3.0
        """
        if (self.kind, self.low, self.high) != (other.kind, other.low, other.high):
            raise InvalidValueError(
                f"cannot merge a {self.kind.value} {self.low}..{self.high} state with a "
                f"{other.kind.value} {other.low}..{other.high} state"
            )
        return attrs.evolve(
            self,
            counts=tuple(x + y for x, y in zip(self.counts, other.counts, strict=True)),
            excluded=_merged(self.excluded, other.excluded),
        )

    def __add__(self, other: ScoreState) -> ScoreState:
        return self.merge(other)

    def _check_threshold(self, value: object, name: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(f"{name} must be an integer score, got {value!r}")
        if not self.low <= value <= self.high:
            raise InvalidValueError(
                f"{name} must be on the scale {self.low}..{self.high}, got {value!r}"
            )

    def share_at_least(
        self, threshold: int, *, confidence: float = 0.95, min_n: int = _MIN_N
    ) -> Rate:
        """Return the share of answers at or above ``threshold`` with its Wilson interval.

        Example:
            >>> ScoreState.of([5, 4, 2, 1], kind="csat", scale=5).share_at_least(4).successes
            2
        """
        self._check_threshold(threshold, "threshold")
        hits = sum(self.counts[threshold - self.low :])
        state = RateState(successes=hits, n=self.n, excluded=self.excluded)
        return state.result(confidence=confidence, min_n=min_n, max_width=0.2)

    def share_at_most(
        self, threshold: int, *, confidence: float = 0.95, min_n: int = _MIN_N
    ) -> Rate:
        """Return the share of answers at or below ``threshold`` with its Wilson interval.

        Example:
            >>> ScoreState.of([5, 4, 2, 1], kind="ces", scale=5).share_at_most(2).value
            0.5
        """
        self._check_threshold(threshold, "threshold")
        hits = sum(self.counts[: threshold - self.low + 1])
        state = RateState(successes=hits, n=self.n, excluded=self.excluded)
        return state.result(confidence=confidence, min_n=min_n, max_width=0.2)

    def mean(
        self, *, confidence: float = 0.95, min_n: int = _MIN_N, max_half_width: float = 0.1
    ) -> Mean:
        """Return the mean score with its t interval.

        Args:
            confidence: Confidence level of the interval.
            min_n: Below this ``n`` the result warns of a small sample.
            max_half_width: Warn when the interval's half width exceeds this fraction of the
                scale's range (0.1 on a 1-5 scale is 0.4 points).

        Example:
            >>> m = ScoreState.of([4, 5, 3], kind="csat", scale=5).mean()
            >>> m.value, m.n
            (4.0, 3)
        """
        total = sum(c * (self.low + i) for i, c in enumerate(self.counts))
        total_sq = sum(c * (self.low + i) ** 2 for i, c in enumerate(self.counts))
        state = MeanState(n=self.n, total=total, total_sq=total_sq, excluded=self.excluded)
        result = state.result(confidence=confidence, min_n=min_n)
        span = self.high - self.low
        if result.n >= 2 and not math.isnan(result.ci_high):
            half = (result.ci_high - result.ci_low) / 2.0
            if half > max_half_width * span:
                warning = (
                    f"wide interval: half width {half:.3g} is above {max_half_width:.0%} of the "
                    f"{self.low}-{self.high} scale"
                )
                result = attrs.evolve(result, warnings=(*result.warnings, warning))
        return result


@with_frame(csat_frame)
def csat(
    scores: Iterable[Score],
    *,
    scale: int | tuple[int, int] = 5,
    positive_from: int = 4,
    confidence: float = 0.95,
    min_n: int = _MIN_N,
) -> Rate:
    """Return CSAT as the share of positive answers (at least ``positive_from``), Wilson interval.

    Args:
        scores: Answers: integers, CSAT :class:`~cs8.SurveyResponse` values, or ``None``.
        scale: The answer scale; an int ``k`` means 1..k.
        positive_from: The lowest answer that counts as satisfied (4 and 5 on a 1-5 scale).
        confidence: Confidence level of the Wilson interval.
        min_n: Below this ``n`` the result warns of a small sample.

    Raises:
        SurveyError: If a score is off the scale.

    Example:
        >>> r = csat([5, 4, 4, 3, 1, None])
        >>> r.value, r.successes, r.n, dict(r.excluded)
        (0.6, 3, 5, {'no_response': 1})
    """
    state = ScoreState.of(scores, kind=SurveyKind.CSAT, scale=scale)
    state._check_threshold(positive_from, "positive_from")
    return state.share_at_least(positive_from, confidence=confidence, min_n=min_n)


@with_frame(csat_mean_frame)
def csat_mean(
    scores: Iterable[Score],
    *,
    scale: int | tuple[int, int] = 5,
    confidence: float = 0.95,
    min_n: int = _MIN_N,
) -> Mean:
    """Return the mean CSAT answer with its t interval (reported apart from the CSAT share).

    Example:
        >>> csat_mean([5, 4, 4, 3, None]).value
        4.0
    """
    state = ScoreState.of(scores, kind=SurveyKind.CSAT, scale=scale)
    return state.mean(confidence=confidence, min_n=min_n)


@with_frame(ces_frame)
def ces(
    scores: Iterable[Score],
    *,
    scale: int | tuple[int, int] = 7,
    confidence: float = 0.95,
    min_n: int = _MIN_N,
) -> Mean:
    """Return the Customer Effort Score as the mean answer with its t interval.

    On the 7-point agreement scale of CES 2.0 ("The company made it easy for me to handle my
    issue", 1 = strongly disagree ... 7 = strongly agree) higher is easier.

    Example:
        >>> ces([7, 6, 5, 2]).value
        5.0
    """
    state = ScoreState.of(scores, kind=SurveyKind.CES, scale=scale)
    return state.mean(confidence=confidence, min_n=min_n)


@with_frame(ces_index_frame)
def ces_index(
    scores: Iterable[Score],
    *,
    scale: int | tuple[int, int] = 7,
    easy_from: int = 5,
    higher_is_easier: bool = True,
    confidence: float = 0.95,
    min_n: int = _MIN_N,
) -> Rate:
    """Return the CES index: the share of answers that report an easy experience (Wilson interval).

    By default the share of 5, 6 and 7 ("somewhat agree" or more) on the 7-point agreement
    scale. For the original 1-5 effort scale where 1 is "very low effort" pass
    ``scale=5, easy_from=2, higher_is_easier=False`` (answers of 1 and 2 count as easy).

    Args:
        scores: Answers: integers, CES :class:`~cs8.SurveyResponse` values, or ``None``.
        scale: The answer scale; an int ``k`` means 1..k.
        easy_from: The threshold answer that still counts as easy.
        higher_is_easier: Whether higher answers mean less effort.
        confidence: Confidence level of the Wilson interval.
        min_n: Below this ``n`` the result warns of a small sample.

    Example:
        >>> ces_index([7, 6, 5, 2]).value
        0.75
        >>> ces_index([1, 2, 4, 5], scale=5, easy_from=2, higher_is_easier=False).value
        0.5
    """
    state = ScoreState.of(scores, kind=SurveyKind.CES, scale=scale)
    state._check_threshold(easy_from, "easy_from")
    if higher_is_easier:
        return state.share_at_least(easy_from, confidence=confidence, min_n=min_n)
    return state.share_at_most(easy_from, confidence=confidence, min_n=min_n)
