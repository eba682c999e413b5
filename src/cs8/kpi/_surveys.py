"""Survey KPIs: NPS with honest intervals and a two-period test, CSAT as a share and as a mean, CES.

Every function takes an iterable of scores: plain integers, :class:`~cs8.SurveyResponse` values (only
those of the right kind count; the others are reported under ``excluded["other_kind"]``) and
``None`` for someone who was asked and did not answer, which is counted under
``excluded["no_response"]`` and never as a zero. Every result carries ``warnings`` when the sample
is small or the interval wide.

NPS (Reichheld, "The One Number You Need to Grow", Harvard Business Review, December 2003): the share
of promoters (9-10) minus the share of detractors (0-6), in points from -100 to 100. Its variance per
respondent is the trinomial ``p + d - (p - d)^2``. The default interval is the adjusted Wald of
Rocks ("Interval Estimation for the 'Net Promoter Score'", The American Statistician 70(4), 2016,
doi:10.1080/00031305.2016.1158124) as specified by Lewis and Sauro ("Confidence Intervals for Net
Promoter Scores", MeasuringU, 2021, https://measuringu.com/nps-confidence-intervals/): add 3/4 to the
promoters and to the detractors and 3 to ``n``, then use the Wald interval of the adjusted NPS.

Example:
    >>> result = nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 2, None])
    >>> result.value, result.promoters, result.passives, result.detractors, result.n
    (20.0, 5, 2, 3, 10)
    >>> dict(result.excluded)
    {'no_response': 1}
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import ClassVar, Literal

import attrs

from cs8._display import DictReprMixin, format_value
from cs8._enums import SurveyKind
from cs8._frozen import FrozenDict
from cs8._models import SurveyResponse
from cs8.exceptions import InvalidValueError, SurveyError
from cs8.kpi._columnar_scores import nps_frame
from cs8.kpi._kpi import with_frame
from cs8.kpi._stats import normal_quantile

__all__ = [
    "NpsComparison",
    "NpsResult",
    "NpsState",
    "Score",
    "compare_nps",
    "nps",
]

Score = int | SurveyResponse | None
"""One survey answer: an integer score, a :class:`~cs8.SurveyResponse`, or ``None`` (no answer)."""

NpsMethod = Literal["adjusted_wald", "wald"]

_MIN_N = 30
_NO_RESPONSE = "no_response"
_OTHER_KIND = "other_kind"


def _counts(value: object) -> FrozenDict[str, int]:
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, dict):
        return FrozenDict(value)
    return FrozenDict()


def _bump(excluded: FrozenDict[str, int], extra: dict[str, int]) -> FrozenDict[str, int]:
    if not any(extra.values()):
        return excluded
    out = dict(excluded)
    for key, n in extra.items():
        if n:
            out[key] = out.get(key, 0) + n
    return FrozenDict(out)


def _merged(a: FrozenDict[str, int], b: FrozenDict[str, int]) -> FrozenDict[str, int]:
    return _bump(a, dict(b))


def _scale_of(scale: int | tuple[int, int], what: str) -> tuple[int, int]:
    if isinstance(scale, bool):
        raise InvalidValueError(f"{what}: scale must be an int or (low, high), got {scale!r}")
    if isinstance(scale, int):
        low, high = 1, scale
    elif isinstance(scale, tuple) and len(scale) == 2 and all(type(v) is int for v in scale):
        low, high = scale
    else:
        raise InvalidValueError(f"{what}: scale must be an int or (low, high), got {scale!r}")
    if not low < high:
        raise InvalidValueError(f"{what}: scale must have low < high, got {scale!r}")
    return low, high


def _column(scores: Iterable[object]) -> Iterable[object]:
    """Return a list, tuple or iterable as is, and a numpy array or pandas/polars Series as a list."""
    if isinstance(scores, list | tuple):
        return scores
    for name in ("to_list", "tolist"):  # polars and pandas Series; numpy arrays
        method = getattr(scores, name, None)
        if callable(method):
            values = method()
            if isinstance(values, list):
                return values
    return scores


def _missing(item: object) -> bool:
    """Whether ``item`` is a non-response: ``None``, NaN, or pandas' ``NA`` / ``NaT``."""
    if item is None:
        return True
    if isinstance(item, float):
        return item != item
    return type(item).__name__ in ("NAType", "NaTType")


def _read(
    scores: Iterable[Score], kind: SurveyKind, low: int, high: int, what: str
) -> tuple[list[int], int, int]:
    """Return (valid scores, non-responses, responses of another kind).

    ``scores`` may be any 1-D input: a list, tuple, iterable, numpy array or pandas/polars Series.
    ``None``, NaN and null are non-responses; a float score must be a whole number (a float column
    with blanks holds ``4.0``).
    """
    values: list[int] = []
    missing = other = 0
    for index, item in enumerate(_column(scores)):
        if _missing(item):
            missing += 1
            continue
        if isinstance(item, float) and item.is_integer():
            item = int(item)
        if isinstance(item, SurveyResponse):
            if item.kind is not kind:
                other += 1
                continue
            if item.scale != (low, high):
                raise SurveyError(
                    f"{what}: response {index} is on the scale {item.scale[0]}..{item.scale[1]}, "
                    f"expected {low}..{high} (pass scale= to match)"
                )
            score = item.score
        elif isinstance(item, int) and not isinstance(item, bool):
            score = item
        else:
            raise SurveyError(
                f"{what}: score {index} must be an int, a SurveyResponse or None, got {item!r}"
            )
        if not low <= score <= high:
            raise SurveyError(f"{what}: score {index} must be in {low}..{high}, got {score!r}")
        values.append(score)
    return values, missing, other


def _extra(missing: int, other: int) -> dict[str, int]:
    return {_NO_RESPONSE: missing, _OTHER_KIND: other}


# --------------------------------------------------------------------------------------------------
# NPS


@attrs.frozen(kw_only=True)
class NpsResult(DictReprMixin):
    """A Net Promoter Score with its counts, interval and warnings.

    Args:
        value: Promoters minus detractors, in points of ``n`` (-100 to 100); ``nan`` when ``n == 0``.
        promoters: Answers of 9 or 10.
        passives: Answers of 7 or 8.
        detractors: Answers of 0 to 6.
        n: Answers counted.
        ci_low: Lower end of the interval, in points.
        ci_high: Upper end of the interval, in points.
        std_error: Standard error of the NPS in points under ``method``.
        method: ``"adjusted_wald"`` (default) or ``"wald"``.
        confidence: The interval's confidence level.
        small_sample: Whether ``n`` is below the threshold the result was computed with.
        warnings: Human-readable caveats.
        excluded: Answers left out, by reason (``no_response``, ``other_kind``).

    Example:
        >>> r = nps([10] * 40 + [8] * 30 + [5] * 30)
        >>> r.value, round(r.ci_low, 1), round(r.ci_high, 1)
        (10.0, -6.3, 25.7)
    """

    value: float
    promoters: int
    passives: int
    detractors: int
    n: int
    ci_low: float
    ci_high: float
    std_error: float
    method: NpsMethod = "adjusted_wald"
    confidence: float = 0.95
    small_sample: bool = False
    warnings: tuple[str, ...] = ()
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_counts)

    def to_dict(self) -> dict[str, object]:
        """Return the result as a plain dict.

        Example:
            >>> nps([9, 6]).to_dict()["value"]
            0.0
        """
        out = attrs.asdict(self, recurse=False)
        out["warnings"] = list(self.warnings)
        out["excluded"] = dict(self.excluded)
        return out

    _hidden: ClassVar[frozenset[str]] = frozenset({"value", "n", "small_sample"})

    def _title(self) -> str:
        return f"NPS {format_value(self.value)} (n={self.n})"


def _check_method(method: str) -> NpsMethod:
    if method == "adjusted_wald":
        return "adjusted_wald"
    if method == "wald":
        return "wald"
    raise InvalidValueError(f"NPS method must be 'adjusted_wald' or 'wald', got {method!r}")


def _check_confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise InvalidValueError(f"confidence must be a number in (0, 1), got {confidence!r}")
    if not 0.0 < confidence < 1.0:
        raise InvalidValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return float(confidence)


def _nps_estimate(
    promoters: int, detractors: int, n: int, method: NpsMethod
) -> tuple[float, float, float]:
    """Return (centre as a fraction, variance per respondent, effective n) for ``method``."""
    if method == "adjusted_wald":
        n_adj = n + 3.0
        p = (promoters + 0.75) / n_adj
        d = (detractors + 0.75) / n_adj
        return p - d, p + d - (p - d) ** 2, n_adj
    p, d = promoters / n, detractors / n
    return p - d, p + d - (p - d) ** 2, float(n)


@attrs.frozen(kw_only=True)
class NpsState:
    """The mergeable state of an NPS: promoters, passives, detractors and left-out answers.

    Example:
        >>> s = NpsState.empty().add(10).add(7).add(None)
        >>> (s.promoters, s.passives, s.detractors), dict(s.excluded)
        ((1, 1, 0), {'no_response': 1})
        >>> (NpsState.of([10, 2]) + NpsState.of([8])) == NpsState.of([10, 2, 8])
        True
    """

    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    excluded: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_counts)

    @property
    def n(self) -> int:
        """Answers counted."""
        return self.promoters + self.passives + self.detractors

    @classmethod
    def empty(cls) -> NpsState:
        """Return the state of no answers.

        Example:
            >>> NpsState.empty().n
            0
        """
        return cls()

    @classmethod
    def of(cls, scores: Iterable[Score]) -> NpsState:
        """Return the state of ``scores`` (0-10 integers, NPS responses or ``None``).

        Raises:
            SurveyError: If a score is off the 0-10 scale or not a score.

        Example:
            >>> NpsState.of([9, 9, 0]).promoters
            2
        """
        return cls().extend(scores)

    def add(self, score: Score) -> NpsState:
        """Return a new state with one more answer.

        Example:
            >>> NpsState.empty().add(6).detractors
            1
        """
        return self.extend((score,))

    def extend(self, scores: Iterable[Score]) -> NpsState:
        """Return a new state with every answer added.

        Example:
            >>> NpsState.empty().extend([9, 8, 7]).passives
            2
        """
        values, missing, other = _read(scores, SurveyKind.NPS, 0, 10, "nps")
        pro = pas = det = 0
        for v in values:
            if v >= 9:
                pro += 1
            elif v >= 7:
                pas += 1
            else:
                det += 1
        return NpsState(
            promoters=self.promoters + pro,
            passives=self.passives + pas,
            detractors=self.detractors + det,
            excluded=_bump(self.excluded, _extra(missing, other)),
        )

    def merge(self, other: NpsState) -> NpsState:
        """Return the state of both states' answers.

        Example:
            >>> NpsState.of([10]).merge(NpsState.of([0])).result().value
            0.0
        """
        return NpsState(
            promoters=self.promoters + other.promoters,
            passives=self.passives + other.passives,
            detractors=self.detractors + other.detractors,
            excluded=_merged(self.excluded, other.excluded),
        )

    def __add__(self, other: NpsState) -> NpsState:
        return self.merge(other)

    def result(
        self,
        *,
        method: NpsMethod = "adjusted_wald",
        confidence: float = 0.95,
        min_n: int = _MIN_N,
        max_width: float | None = 20.0,
    ) -> NpsResult:
        """Return the NPS with its interval.

        Args:
            method: ``"adjusted_wald"`` (add 3/4 to promoters and detractors and 3 to ``n``) or
                ``"wald"`` (the plain normal interval around the observed NPS).
            confidence: Confidence level of the interval.
            min_n: Below this ``n`` the result is flagged ``small_sample`` with a warning.
            max_width: Warn when the interval is wider than this many points (``None``: never).

        Example:
            >>> NpsState.of([9, 10, 3]).result().warnings[0]
            'small sample: n=3 is below 30'
        """
        chosen = _check_method(method)
        level = _check_confidence(confidence)
        n = self.n
        warnings: list[str] = []
        if n == 0:
            warnings.append("no data: n=0")
            return NpsResult(
                value=math.nan,
                promoters=0,
                passives=0,
                detractors=0,
                n=0,
                ci_low=-100.0,
                ci_high=100.0,
                std_error=math.nan,
                method=chosen,
                confidence=level,
                small_sample=True,
                warnings=tuple(warnings),
                excluded=self.excluded,
            )
        centre, variance, n_eff = _nps_estimate(self.promoters, self.detractors, n, chosen)
        se = math.sqrt(max(0.0, variance) / n_eff)
        z = normal_quantile(0.5 + level / 2.0)
        low = max(-1.0, centre - z * se) * 100.0
        high = min(1.0, centre + z * se) * 100.0
        if n < min_n:
            warnings.append(f"small sample: n={n} is below {min_n}")
        if max_width is not None and high - low > max_width:
            warnings.append(
                f"wide interval: {level:.0%} CI width {high - low:.1f} points is above {max_width:g}"
            )
        return NpsResult(
            value=(self.promoters - self.detractors) * 100.0 / n,
            promoters=self.promoters,
            passives=self.passives,
            detractors=self.detractors,
            n=n,
            ci_low=low,
            ci_high=high,
            std_error=se * 100.0,
            method=chosen,
            confidence=level,
            small_sample=n < min_n,
            warnings=tuple(warnings),
            excluded=self.excluded,
        )


@with_frame(nps_frame)
def nps(
    scores: Iterable[Score],
    *,
    method: NpsMethod = "adjusted_wald",
    confidence: float = 0.95,
    min_n: int = _MIN_N,
    max_width: float | None = 20.0,
) -> NpsResult:
    """Return the Net Promoter Score of ``scores`` in points, with its interval and warnings.

    Args:
        scores: 0-10 answers: integers, NPS :class:`~cs8.SurveyResponse` values (other kinds are
            excluded), or ``None`` for no answer (excluded as ``no_response``).
        method: ``"adjusted_wald"`` (Rocks 2016; Lewis and Sauro 2021) or ``"wald"``.
        confidence: Confidence level of the interval.
        min_n: Below this ``n`` the result warns of a small sample.
        max_width: Warn when the interval is wider than this many points (``None``: never).

    Raises:
        SurveyError: If a score is off the 0-10 scale.

    Example:
        >>> r = nps([10, 10, 9, 8, 2], method="wald")
        >>> r.value, r.promoters, r.detractors
        (40.0, 3, 1)
    """
    data = list(_column(scores))  # read once: scores may be an iterator
    state = NpsState.of(data)  # type: ignore[arg-type]
    if state.n >= _LOOKS_LIKE_FIVE_POINT and state.promoters == 0 and _all_within_five(data):
        warnings.warn(
            f"nps: all {state.n} scores are between 1 and 5; NPS is asked on 0-10 and such data "
            "looks like a 1-5 scale (use csat or ces instead?)",
            UserWarning,
            stacklevel=2,
        )
    return state.result(method=method, confidence=confidence, min_n=min_n, max_width=max_width)


_LOOKS_LIKE_FIVE_POINT = 10


def _all_within_five(scores: list[object]) -> bool:
    values = [v.score if isinstance(v, SurveyResponse) else v for v in scores if not _missing(v)]
    return all(isinstance(v, int | float) and 1 <= v <= 5 for v in values)


@attrs.frozen(kw_only=True)
class NpsComparison(DictReprMixin):
    """A test of the difference between two Net Promoter Scores (``a - b``).

    Args:
        difference: ``a.value - b.value`` in points (observed, not adjusted).
        z: The z statistic under ``method``.
        p_value: Two-sided p-value of ``z``.
        ci_low: Lower end of the interval for the difference, in points.
        ci_high: Upper end of the interval for the difference, in points.
        method: ``"adjusted_wald"`` or ``"wald"``.
        confidence: The interval's confidence level.
        a: The first period's NPS.
        b: The second period's NPS.
        warnings: Caveats carried from either period, prefixed with ``a:`` or ``b:``.

    Example:
        >>> c = compare_nps([10] * 60 + [3] * 40, [10] * 45 + [3] * 55)
        >>> c.difference, round(c.z, 2), round(c.p_value, 3)
        (30.0, 2.13, 0.033)
    """

    difference: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    method: NpsMethod
    confidence: float
    a: NpsResult
    b: NpsResult
    warnings: tuple[str, ...] = ()

    def significant(self, alpha: float = 0.05) -> bool:
        """Return whether ``p_value < alpha``.

        Example:
            >>> compare_nps([10] * 60 + [3] * 40, [10] * 45 + [3] * 55).significant()
            True
        """
        return self.p_value < alpha

    def to_dict(self) -> dict[str, object]:
        """Return the comparison as a plain dict (``a`` and ``b`` as dicts).

        Example:
            >>> compare_nps([9], [6]).to_dict()["difference"]
            200.0
        """
        out = attrs.asdict(self, recurse=False)
        out["a"] = self.a.to_dict()
        out["b"] = self.b.to_dict()
        out["warnings"] = list(self.warnings)
        return out

    _hidden: ClassVar[frozenset[str]] = frozenset({"difference", "a", "b"})

    def _title(self) -> str:
        return (
            f"NPS difference {format_value(self.difference)} points "
            f"(a {format_value(self.a.value)}, n={self.a.n}; b {format_value(self.b.value)}, "
            f"n={self.b.n})"
        )


def _as_nps_state(value: NpsState | Iterable[Score]) -> NpsState:
    return value if isinstance(value, NpsState) else NpsState.of(value)


def compare_nps(
    a: NpsState | Iterable[Score],
    b: NpsState | Iterable[Score],
    *,
    method: NpsMethod = "adjusted_wald",
    confidence: float = 0.95,
) -> NpsComparison:
    """Test whether two periods' (or groups') Net Promoter Scores differ; ``n`` may differ.

    ``z = (NPS_a - NPS_b) / sqrt(var_a / n_a + var_b / n_b)`` with the trinomial variance
    ``p + d - (p - d)^2`` of each sample; with ``"adjusted_wald"`` (the default) each sample first
    gets 3/4 more promoters and detractors and 3 more answers (Lewis and Sauro, "How to
    Statistically Compare Two Net Promoter Scores", MeasuringU, 2021,
    https://measuringu.com/nps-significance-test/). The p-value is two-sided.

    Args:
        a: The first sample: an :class:`NpsState` or scores.
        b: The second sample.
        method: ``"adjusted_wald"`` or ``"wald"``.
        confidence: Confidence level of the interval for the difference.

    Raises:
        SurveyError: If either sample has no answers.

    Example:
        >>> c = compare_nps([10] * 30 + [5] * 10, [10] * 20 + [5] * 20, method="wald")
        >>> c.difference, round(c.p_value, 4)
        (50.0, 0.0168)
    """
    chosen = _check_method(method)
    level = _check_confidence(confidence)
    sa, sb = _as_nps_state(a), _as_nps_state(b)
    if sa.n == 0 or sb.n == 0:
        raise SurveyError(
            f"compare_nps needs answers in both samples, got n_a={sa.n} and n_b={sb.n}"
        )
    ra = sa.result(method=chosen, confidence=level)
    rb = sb.result(method=chosen, confidence=level)
    ca, va, na = _nps_estimate(sa.promoters, sa.detractors, sa.n, chosen)
    cb, vb, nb = _nps_estimate(sb.promoters, sb.detractors, sb.n, chosen)
    se = math.sqrt(max(0.0, va) / na + max(0.0, vb) / nb)
    diff = ca - cb
    if se > 0:
        z = diff / se
        p_value = math.erfc(abs(z) / math.sqrt(2.0))
    else:
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p_value = 1.0 if diff == 0 else 0.0
    crit = normal_quantile(0.5 + level / 2.0)
    warnings = tuple(f"a: {w}" for w in ra.warnings) + tuple(f"b: {w}" for w in rb.warnings)
    return NpsComparison(
        difference=ra.value - rb.value,
        z=z,
        p_value=p_value,
        ci_low=max(-2.0, diff - crit * se) * 100.0,
        ci_high=min(2.0, diff + crit * se) * 100.0,
        method=chosen,
        confidence=level,
        a=ra,
        b=rb,
        warnings=warnings,
    )
