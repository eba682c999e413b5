"""SERVQUAL results: the report, the per-respondent scores, the zone of tolerance and gap 1.

Example:
    >>> ZonePosition("below").value
    'below'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import attrs

from cs8._display import DictsReprMixin, Row, format_value
from cs8._enums import _LowerEnum
from cs8._frozen import FrozenDict
from cs8.stats._tests import (
    PairedTest,
    WilcoxonTest,
)
from cs8.surveys._instrument import (
    RATER_ORDER,
    Dimension,
    DimensionKey,
    Instrument,
)

__all__ = [
    "BatteryScores",
    "Gap1Report",
    "RespondentScore",
    "ServqualReport",
    "ZonePosition",
    "ZoneReport",
]

_NAN = math.nan

InversionPolicy = Literal["keep", "exclude_answer", "exclude_respondent"]


def _name(d: DimensionKey) -> str:
    return d.value if isinstance(d, Dimension) else d


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values) if values else _NAN


class ZonePosition(_LowerEnum):
    """Where perceived service sits relative to the zone of tolerance (minimum to desired).

    Example:
        >>> ZonePosition("below")
        ZonePosition.BELOW
    """

    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


def _position(adequacy: float, superiority: float) -> ZonePosition | None:
    if math.isnan(adequacy) or math.isnan(superiority):
        return None
    if adequacy < 0:
        return ZonePosition.BELOW
    if superiority > 0:
        return ZonePosition.ABOVE
    return ZonePosition.WITHIN


@attrs.frozen(kw_only=True)
class BatteryScores:
    """Mean scores of one battery (perceptions alone are the SERVPERF score).

    Attributes:
        items: Mean answer per item (NaN when nobody answered it).
        dimensions: Dimension -> mean over respondents of each respondent's mean in it.
        overall: Mean of the dimension means.

    Example:
        >>> from cs8.surveys import ServqualResponse, servqual_scores
        >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)
        >>> servqual_scores([r]).perceptions.overall
        5.0
    """

    items: tuple[float, ...]
    dimensions: FrozenDict[DimensionKey, float]
    overall: float


@attrs.frozen(kw_only=True, repr=False)
class ZoneReport(DictsReprMixin):
    """Zone of tolerance figures of the three-column format, as LibQUAL+ reports them.

    Adequacy is perceived minus minimum (negative: below the minimum acceptable level);
    superiority is perceived minus desired (positive: beyond what was desired). An item or
    dimension is ``BELOW`` when its mean adequacy is negative, else ``ABOVE`` when its mean
    superiority is positive, else ``WITHIN``.

    Attributes:
        adequacy_items: Mean adequacy gap per item.
        superiority_items: Mean superiority gap per item.
        adequacy_dimensions: Dimension -> mean of respondents' mean adequacy gaps.
        superiority_dimensions: Dimension -> mean of respondents' mean superiority gaps.
        item_positions: Position of each item (``None`` when unanswered).
        dimension_positions: Position of each dimension.
        answer_positions: Per item, counts of individual answers ``(below, within, above)``.
        inverted: Number of inverted answers (minimum above desired) seen.
        inverted_respondents: Respondents with at least one inverted answer.
        excluded_respondents: Respondents left out by the inversion policy or ``max_inversions``.
        policy: What was done with inverted answers: ``"keep"`` them, ``"exclude_answer"``
            (drop that item's three ratings) or ``"exclude_respondent"`` (drop the respondent
            from the zone figures).

    Example:
        >>> from cs8.surveys import ServqualResponse, servqual_scores
        >>> from cs8.surveys import SERVQUAL_THREE_COLUMN as I
        >>> r = ServqualResponse(instrument=I, minimum=[5] * 22, desired=[8] * 22, perceptions=[6] * 22)
        >>> z = servqual_scores([r]).zone
        >>> z.adequacy_items[0], z.superiority_items[0], z.item_positions[0]
        (1.0, -2.0, ZonePosition.WITHIN)
    """

    __repr__ = DictsReprMixin._short_repr

    instrument: Instrument
    adequacy_items: tuple[float, ...]
    superiority_items: tuple[float, ...]
    adequacy_dimensions: FrozenDict[DimensionKey, float]
    superiority_dimensions: FrozenDict[DimensionKey, float]
    item_positions: tuple[ZonePosition | None, ...]
    dimension_positions: FrozenDict[DimensionKey, ZonePosition | None]
    answer_positions: tuple[tuple[int, int, int], ...]
    inverted: int
    inverted_respondents: int
    excluded_respondents: int
    policy: str

    def _title(self) -> str:
        return f"Zone of tolerance ({self.instrument.name}); inverted answers: {self.inverted}"

    def to_dicts(self) -> list[Row]:
        """Return one row per item with adequacy, superiority, position and answer counts.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> from cs8.surveys import SERVQUAL_THREE_COLUMN as I
            >>> r = ServqualResponse(instrument=I, minimum=[5] * 22, desired=[8] * 22, perceptions=[4] * 22)
            >>> servqual_scores([r]).zone.to_dicts()[0]["position"]
            'below'
        """
        rows: list[Row] = []
        for k, it in enumerate(self.instrument.items):
            pos = self.item_positions[k]
            below, within, above = self.answer_positions[k]
            rows.append(
                {
                    "item": it.number,
                    "dimension": _name(it.dimension),
                    "adequacy": self.adequacy_items[k],
                    "superiority": self.superiority_items[k],
                    "position": None if pos is None else pos.value,
                    "below": below,
                    "within": within,
                    "above": above,
                }
            )
        return rows


@attrs.frozen(kw_only=True, repr=False)
class Gap1Report(DictsReprMixin):
    """Gap 1 of the five-gap model: what managers believe customers expect vs what they expect.

    Attributes:
        items: Per item, managers' mean expectation minus customers' mean expectation.
        dimensions: The same per dimension (means of respondent-level dimension means).
        overall: Mean of the dimension differences.
        item_p_values: Welch two-sample t-test p-value per item (the groups are different
            people, so the test is unpaired).
        n_managers: Number of manager responses.
        n_customers: Number of customer responses.

    Example:
        >>> from cs8.surveys import ServqualResponse, servqual_scores
        >>> c = ServqualResponse(expectations=[7] * 22, perceptions=[5] * 22)
        >>> m = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)
        >>> servqual_scores([c], managers=[m]).gap1.overall
        -1.0
    """

    __repr__ = DictsReprMixin._short_repr

    instrument: Instrument
    items: tuple[float, ...]
    dimensions: FrozenDict[DimensionKey, float]
    overall: float
    item_p_values: tuple[float, ...]
    n_managers: int
    n_customers: int

    def _title(self) -> str:
        return f"Gap 1 (managers - customers), overall {format_value(self.overall)}"

    def to_dicts(self) -> list[Row]:
        """Return one row per item.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> c = ServqualResponse(expectations=[7] * 22, perceptions=[5] * 22)
            >>> servqual_scores([c], managers=[c]).gap1.to_dicts()[0]["difference"]
            0.0
        """
        return [
            {
                "item": it.number,
                "dimension": _name(it.dimension),
                "difference": self.items[k],
                "p_value": self.item_p_values[k],
            }
            for k, it in enumerate(self.instrument.items)
        ]


@attrs.frozen(kw_only=True)
class RespondentScore:
    """One respondent's scores.

    Attributes:
        respondent_id: The response's ``respondent_id``.
        dimension_gaps: Dimension -> the respondent's mean item gap (``None`` if left out).
        unweighted: Mean of the respondent's dimension gaps (``None`` if any is missing).
        weighted: Sum of importance/100 x dimension gap with the respondent's own points.

    Example:
        >>> from cs8.surveys import ServqualResponse, servqual_scores
        >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22, respondent_id="r1")
        >>> servqual_scores([r]).respondent_scores()[0].unweighted
        -1.0
    """

    respondent_id: str | None
    dimension_gaps: FrozenDict[DimensionKey, float | None]
    unweighted: float | None
    weighted: float | None


@attrs.frozen(kw_only=True, repr=False)
class ServqualReport(DictsReprMixin):
    """Gap scores of a set of responses, with uncertainty, fulfilment and missing-answer counts.

    Gaps are perception minus expectation (negative: service falls short). The aggregates are
    named so they cannot be confused:

    * ``unweighted``: mean of the dimension gaps (each dimension counts equally);
    * ``pooled_item_mean``: mean of all answered item gaps pooled together (dimensions with more
      items weigh more; reported for comparison only);
    * ``weighted``: sum over dimensions of weight/100 x dimension gap with global weights;
    * ``weighted_per_respondent``: each respondent's own importance points applied to their own
      dimension gaps, then averaged over respondents.

    Attributes:
        instrument: The instrument answered.
        n: Number of responses scored.
        item_gaps: Mean of P - E per item over the respondents who answered both.
        dimension_gaps: Dimension -> mean over respondents of each respondent's mean item gap.
        unweighted: Mean of the dimension gaps.
        pooled_item_mean: Mean of all answered item gaps pooled.
        weighted: With ``weights``, the weighted sum of dimension gaps, else ``None``.
        weighted_per_respondent: Mean of respondents' weighted scores from their own
            importance points (``None`` if nobody gave points).
        item_tests: Paired t-test per item (mean, CI, p-value, Cohen's d_z).
        dimension_tests: Dimension -> t-test of respondents' dimension gaps against zero.
        item_wilcoxon: Wilcoxon signed-rank test per item when asked for, else ``None``.
        dimension_wilcoxon: The same per dimension.
        unweighted_ci: Seeded percentile bootstrap interval of ``unweighted`` (resampling
            respondents) when ``bootstrap`` resamples were asked for, else ``None``.
        item_fulfilment: Per item, share of paired answers with perception >= expectation.
        dimension_fulfilment: The same pooled over a dimension's answered pairs.
        fulfilment: The same over all answered pairs.
        expectations: Mean expectations (``None`` for perceptions-only instruments).
        perceptions: Mean perceptions; its ``overall`` is the SERVPERF score.
        left_out: Reason -> count of answers or respondent-dimensions not used: ``"missing"``
            and ``"not_applicable"`` answers, ``"unpaired"`` answers whose partner is missing,
            ``"dimension_too_few_items"`` respondent-dimensions under ``min_items``,
            ``"weighted_incomplete"`` respondents with points but a missing dimension.
        zone: Zone of tolerance figures (three-column answers), else ``None``.
        gap1: Gap 1 figures when manager responses were given, else ``None``.

    Example:
        >>> from cs8.surveys import ServqualResponse, servqual_scores
        >>> rs = [
        ...     ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22),
        ...     ServqualResponse(expectations=[6] * 22, perceptions=[6] * 22),
        ... ]
        >>> report = servqual_scores(rs)
        >>> report.unweighted, report.n, report.fulfilment
        (-0.5, 2, 0.5)
    """

    __repr__ = DictsReprMixin._short_repr

    instrument: Instrument
    n: int
    item_gaps: tuple[float, ...]
    dimension_gaps: FrozenDict[DimensionKey, float]
    unweighted: float
    pooled_item_mean: float
    weighted: float | None
    weighted_per_respondent: float | None
    item_tests: tuple[PairedTest, ...]
    dimension_tests: FrozenDict[DimensionKey, PairedTest]
    item_wilcoxon: tuple[WilcoxonTest, ...] | None
    dimension_wilcoxon: FrozenDict[DimensionKey, WilcoxonTest] | None
    unweighted_ci: tuple[float, float] | None
    item_fulfilment: tuple[float, ...]
    dimension_fulfilment: FrozenDict[DimensionKey, float]
    fulfilment: float
    expectations: BatteryScores | None
    perceptions: BatteryScores
    left_out: FrozenDict[str, int]
    zone: ZoneReport | None
    gap1: Gap1Report | None
    respondent_ids: tuple[str | None, ...] = attrs.field(repr=False)
    respondent_dimension_gaps: tuple[tuple[float | None, ...], ...] = attrs.field(repr=False)
    respondent_weighted: tuple[float | None, ...] = attrs.field(repr=False)

    @property
    def servperf(self) -> float:
        """The SERVPERF score: mean of the dimension means of perceptions.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[4] * 22)
            >>> servqual_scores([r]).servperf
            4.0
        """
        return self.perceptions.overall

    def rater(self) -> dict[Dimension, float]:
        """Return the dimension gaps in RATER order (reliability, assurance, tangibles, ...).

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)
            >>> list(servqual_scores([r]).rater())[:2]
            [Dimension.RELIABILITY, Dimension.ASSURANCE]
        """
        return {d: self.dimension_gaps[d] for d in RATER_ORDER if d in self.dimension_gaps}

    def respondent_scores(self) -> tuple[RespondentScore, ...]:
        """Return each respondent's dimension gaps and overall scores, in input order.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)
            >>> servqual_scores([r]).respondent_scores()[0].weighted is None
            True
        """
        dims = self.instrument.dimensions
        out = []
        for rid, row, w in zip(
            self.respondent_ids,
            self.respondent_dimension_gaps,
            self.respondent_weighted,
            strict=True,
        ):
            complete = all(v is not None for v in row)
            unweighted = math.fsum(v for v in row if v is not None) / len(row) if complete else None
            out.append(
                RespondentScore(
                    respondent_id=rid,
                    dimension_gaps=FrozenDict(dict(zip(dims, row, strict=True))),
                    unweighted=unweighted,
                    weighted=w,
                )
            )
        return tuple(out)

    def _title(self) -> str:
        return (
            f"{self.instrument.name}: n={self.n}, unweighted gap {format_value(self.unweighted)}, "
            f"pooled item mean {format_value(self.pooled_item_mean)}"
        )

    def to_dicts(self) -> list[Row]:
        """Return one row per dimension: gap, interval, p-value, effect size and fulfilment.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)
            >>> servqual_scores([r]).to_dicts()[0]["dimension"]
            'tangibles'
        """
        rows: list[Row] = []
        for d in self.instrument.dimensions:
            t = self.dimension_tests[d]
            rows.append(
                {
                    "dimension": _name(d),
                    "gap": self.dimension_gaps[d],
                    "ci_low": t.ci_low,
                    "ci_high": t.ci_high,
                    "p_value": t.p_value,
                    "cohens_dz": t.cohens_dz,
                    "n": t.n,
                    "fulfilment": self.dimension_fulfilment[d],
                }
            )
        return rows

    def item_rows(self) -> list[Row]:
        """Return one row per item: means, gap, interval, p-value, effect size, fulfilment.

        Example:
            >>> from cs8.surveys import ServqualResponse, servqual_scores
            >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)
            >>> servqual_scores([r]).item_rows()[21]["item"]
            22
        """
        exp = self.expectations.items if self.expectations else (_NAN,) * self.instrument.k
        rows: list[Row] = []
        for k, it in enumerate(self.instrument.items):
            t = self.item_tests[k]
            rows.append(
                {
                    "item": it.number,
                    "dimension": _name(it.dimension),
                    "label": it.text,
                    "expectation": exp[k],
                    "perception": self.perceptions.items[k],
                    "gap": self.item_gaps[k],
                    "ci_low": t.ci_low,
                    "ci_high": t.ci_high,
                    "p_value": t.p_value,
                    "cohens_dz": t.cohens_dz,
                    "n": t.n,
                    "fulfilment": self.item_fulfilment[k],
                }
            )
        return rows
