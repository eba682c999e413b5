"""SERVQUAL gap scoring: item and dimension gaps, aggregates, zone of tolerance, Gap 1, breakdowns.

Every figure is computed on paired answers: an item's gap for a respondent exists only when both
the expectation and the perception were answered. A respondent's dimension gap is the mean of
their answered item gaps in that dimension, and exists only when at least ``min_items`` of them
were answered. Dimension gaps are means over respondents of those respondent-level means, and the
overall (``unweighted``) score is the mean of the dimension gaps, not the pooled mean of all item
gaps (which is reported separately as ``pooled_item_mean``).

Example:
    >>> r = ServqualResponse(expectations=[6] * 22, perceptions=[5] * 4 + [6] * 18)
    >>> servqual_scores([r]).unweighted
    -0.2
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Iterable, Sequence

import attrs

from cs8._distributions import t_cdf
from cs8._frozen import FrozenDict
from cs8.exceptions import SurveyError
from cs8.stats._tests import (
    PairedTest,
    WilcoxonTest,
    bootstrap_ci,
    t_test_of_differences,
    wilcoxon_signed_rank,
)
from cs8.surveys._instrument import (
    Dimension,
    DimensionKey,
    DimensionWeights,
    Instrument,
    ResponseFormat,
)
from cs8.surveys._responses import NOT_APPLICABLE, Answer, Missing, ServqualResponse

__all__ = ["servqual_scores"]

from cs8.surveys._servqual_results import (
    _NAN,
    BatteryScores,
    Gap1Report,
    InversionPolicy,
    ServqualReport,
    ZoneReport,
    _mean,
    _name,
    _position,
)


def _check_weights(weights: DimensionWeights, inst: Instrument) -> dict[DimensionKey, float]:
    out: dict[DimensionKey, float] = {}
    for key, value in weights.items():
        dim: DimensionKey
        try:
            dim = key if isinstance(key, Dimension) else Dimension(key)
        except ValueError:
            dim = key
        if dim not in inst.dimensions:
            raise SurveyError(f"servqual_scores weights name unknown dimension {key!r}")
        if not isinstance(value, int | float) or isinstance(value, bool) or not value >= 0:
            raise SurveyError(f"servqual_scores weight for {key} must be >= 0, got {value!r}")
        out[dim] = float(value)
    missing = [_name(d) for d in inst.dimensions if d not in out]
    if missing:
        raise SurveyError(f"servqual_scores weights miss dimensions {missing}")
    total = math.fsum(out.values())
    if abs(total - 100.0) > 1e-6:
        raise SurveyError(f"servqual_scores weights must sum to 100 points, got {total:g}")
    return out


def _reverse(values: tuple[Answer, ...], rev: tuple[int, ...], s: int) -> tuple[Answer, ...]:
    if not rev:
        return values
    out = list(values)
    for j in rev:
        v = out[j]
        if isinstance(v, int):
            out[j] = s - v
    return tuple(out)


class _Counter:
    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, reason: str, k: int = 1) -> None:
        if k:
            self.counts[reason] = self.counts.get(reason, 0) + k


def _diffs(
    a: tuple[Answer, ...], b: tuple[Answer, ...], counter: _Counter | None
) -> list[int | None]:
    try:
        return [x - y for x, y in zip(a, b, strict=True)]  # type: ignore[operator]
    except TypeError:
        pass
    out: list[int | None] = []
    for x, y in zip(a, b, strict=True):
        xi, yi = isinstance(x, int), isinstance(y, int)
        if xi and yi:
            out.append(x - y)  # type: ignore[operator]
            continue
        out.append(None)
        if counter is not None:
            for v, ok in ((x, xi), (y, yi)):
                if ok:
                    counter.add("unpaired")
                elif isinstance(v, Missing):
                    counter.add("not_applicable")
                else:
                    counter.add("missing")
    return out


def _dimension_means(
    row: Sequence[float | None],
    positions: Sequence[tuple[int, ...]],
    min_items: int,
    counter: _Counter | None,
) -> list[float | None]:
    out: list[float | None] = []
    for pos in positions:
        vals = [v for j in pos if (v := row[j]) is not None]
        if len(vals) >= min_items and vals:
            out.append(sum(vals) / len(vals))
        else:
            out.append(None)
            if counter is not None:
                counter.add("dimension_too_few_items")
    return out


def _column_means(rows: Sequence[Sequence[float | None]], k: int) -> tuple[float, ...]:
    if not rows:
        return (_NAN,) * k
    return tuple(_mean([v for v in col if v is not None]) for col in zip(*rows, strict=True))


def _dim_means(
    dim_rows: Sequence[Sequence[float | None]], dims: Sequence[DimensionKey]
) -> FrozenDict[DimensionKey, float]:
    means = _column_means(dim_rows, len(dims))
    return FrozenDict(dict(zip(dims, means, strict=True)))


def _battery(
    rows: Sequence[Sequence[Answer]],
    inst: Instrument,
    positions: Sequence[tuple[int, ...]],
    min_items: int,
) -> BatteryScores:
    numeric: list[list[float | None]] = [
        [v if isinstance(v, int) else None for v in r] for r in rows
    ]
    items = _column_means(numeric, inst.k)
    dim_rows = [_dimension_means(r, positions, min_items, None) for r in numeric]
    dims = _dim_means(dim_rows, inst.dimensions)
    return BatteryScores(items=items, dimensions=dims, overall=_mean(list(dims.values())))


def _welch_p(a: Sequence[float], b: Sequence[float]) -> float:
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return _NAN
    ma, mb = math.fsum(a) / na, math.fsum(b) / nb
    va = math.fsum((x - ma) ** 2 for x in a) / (na - 1)
    vb = math.fsum((x - mb) ** 2 for x in b) / (nb - 1)
    se2 = va / na + vb / nb
    if se2 == 0:
        return _NAN
    t = (ma - mb) / math.sqrt(se2)
    df = se2**2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    return min(1.0, 2.0 * t_cdf(-abs(t), df))


def _gap1(
    managers: Sequence[ServqualResponse],
    customer_e: Sequence[tuple[Answer, ...]],
    inst: Instrument,
    positions: Sequence[tuple[int, ...]],
    min_items: int,
) -> Gap1Report:
    rev, s = inst._reverse_index, inst.scale[0] + inst.scale[1]
    manager_e = []
    for m in managers:
        if m.instrument != inst:
            raise SurveyError(
                f"manager response{m._who()} answers {m.instrument.name!r}, "
                f"customers answered {inst.name!r}"
            )
        if not m.expectations:
            raise SurveyError(f"manager response{m._who()} has no expectations")
        manager_e.append(_reverse(m.expectations, rev, s))
    mb = _battery(manager_e, inst, positions, min_items)
    cb = _battery(customer_e, inst, positions, min_items)
    items = tuple(a - b for a, b in zip(mb.items, cb.items, strict=True))
    dims = FrozenDict({d: mb.dimensions[d] - cb.dimensions[d] for d in inst.dimensions})
    p_values = []
    for j in range(inst.k):
        a = [float(v) for r in manager_e if isinstance(v := r[j], int)]
        b = [float(v) for r in customer_e if isinstance(v := r[j], int)]
        p_values.append(_welch_p(a, b))
    return Gap1Report(
        instrument=inst,
        items=items,
        dimensions=dims,
        overall=_mean(list(dims.values())),
        item_p_values=tuple(p_values),
        n_managers=len(manager_e),
        n_customers=len(customer_e),
    )


def _zone(
    responses: Sequence[ServqualResponse],
    perceptions: Sequence[tuple[Answer, ...]],
    inst: Instrument,
    positions: Sequence[tuple[int, ...]],
    min_items: int,
    policy: InversionPolicy,
    max_inversions: int | None,
) -> ZoneReport:
    rev, s = inst._reverse_index, inst.scale[0] + inst.scale[1]
    k = inst.k
    adequacy_rows: list[list[int | None]] = []
    superiority_rows: list[list[int | None]] = []
    counts = [[0, 0, 0] for _ in range(k)]
    inverted = inverted_respondents = excluded = 0
    for r, p in zip(responses, perceptions, strict=True):
        if r.minimum is None or r.desired is None:
            continue
        mn = _reverse(r.minimum, rev, s)
        ds = _reverse(r.desired, rev, s)
        inv = [
            j
            for j in range(k)
            if isinstance(mn[j], int) and isinstance(ds[j], int) and mn[j] > ds[j]  # type: ignore[operator]
        ]
        inverted += len(inv)
        if inv:
            inverted_respondents += 1
        if (max_inversions is not None and len(inv) > max_inversions) or (
            inv and policy == "exclude_respondent"
        ):
            excluded += 1
            continue
        adequacy = _diffs(p, mn, None)
        superiority = _diffs(p, ds, None)
        if policy == "exclude_answer":
            for j in inv:
                adequacy[j] = superiority[j] = None
        for j in range(k):
            a, b = adequacy[j], superiority[j]
            if a is None or b is None:
                continue
            counts[j][0 if a < 0 else 2 if b > 0 else 1] += 1
        adequacy_rows.append(adequacy)
        superiority_rows.append(superiority)
    ad_items = _column_means(adequacy_rows, k)
    su_items = _column_means(superiority_rows, k)
    ad_dims = _dim_means(
        [_dimension_means(r, positions, min_items, None) for r in adequacy_rows], inst.dimensions
    )
    su_dims = _dim_means(
        [_dimension_means(r, positions, min_items, None) for r in superiority_rows],
        inst.dimensions,
    )
    return ZoneReport(
        instrument=inst,
        adequacy_items=ad_items,
        superiority_items=su_items,
        adequacy_dimensions=ad_dims,
        superiority_dimensions=su_dims,
        item_positions=tuple(_position(a, b) for a, b in zip(ad_items, su_items, strict=True)),
        dimension_positions=FrozenDict(
            {d: _position(ad_dims[d], su_dims[d]) for d in inst.dimensions}
        ),
        answer_positions=tuple((c[0], c[1], c[2]) for c in counts),
        inverted=inverted,
        inverted_respondents=inverted_respondents,
        excluded_respondents=excluded,
        policy=policy,
    )


def _columns(
    rows: Sequence[tuple[Answer, ...]], inst: Instrument
) -> tuple[list[list[Answer]], bool]:
    """Transpose validated rows (k answers each) into k columns, reverse-keyed items reversed.

    Also says whether every answer is present (validated answers are ints, None or N/A).
    """
    k = inst.k
    # Slicing the flattened table is much faster than zip(*rows) over many rows.
    flat = list(itertools.chain.from_iterable(rows))
    distinct = set(flat)
    complete = None not in distinct and NOT_APPLICABLE not in distinct
    cols: list[list[Answer]] = [flat[j::k] for j in range(k)]
    s = inst.scale[0] + inst.scale[1]
    for j in inst._reverse_index:
        if complete:
            cols[j] = list(map(s.__sub__, cols[j]))  # type: ignore[arg-type]
        else:
            cols[j] = [s - v if type(v) is int else v for v in cols[j]]
    return cols, complete


def _has_missing(col: Sequence[object]) -> bool:
    distinct = set(col)
    return None in distinct or NOT_APPLICABLE in distinct


def _dimension_column(
    cols: Sequence[Sequence[int | None]],
    min_items: int,
    counter: _Counter | None,
    complete: bool = False,
) -> tuple[list[float | None], list[int] | None]:
    """Each respondent's mean over ``cols`` (None below ``min_items`` answers).

    Also returns the respondents' integer sums when every answer is present (for exact tests).
    """
    size = len(cols)
    if size >= min_items and (complete or not any(None in set(c) for c in cols)):
        sums: list[int] = (
            list(map(sum, zip(*cols, strict=True))) if size > 1 else list(cols[0])  # type: ignore[arg-type]
        )
        return list(map(float(size).__rtruediv__, sums)), sums
    out: list[float | None] = []
    short = 0
    for row in zip(*cols, strict=True):
        vals = [v for v in row if v is not None]
        if vals and len(vals) >= min_items:
            out.append(sum(vals) / len(vals))
        else:
            out.append(None)
            short += 1
    if counter is not None and short:
        counter.add("dimension_too_few_items", short)
    return out, None


def _battery_scores(
    cols: Sequence[Sequence[Answer]],
    complete: bool,
    inst: Instrument,
    positions: Sequence[tuple[int, ...]],
    min_items: int,
) -> BatteryScores:
    if not cols or not cols[0]:
        nan_dims = FrozenDict(dict.fromkeys(inst.dimensions, _NAN))
        return BatteryScores(items=(_NAN,) * inst.k, dimensions=nan_dims, overall=_NAN)
    if complete:
        n = len(cols[0])
        items = tuple(sum(c) / n for c in cols)  # type: ignore[arg-type]
        if min_items <= min(len(pos) for pos in positions):
            # Everyone answered everything: the mean of respondents' dimension means is the
            # mean of the item means.
            dims = FrozenDict(
                {
                    d: math.fsum(items[j] for j in pos) / len(pos)
                    for d, pos in zip(inst.dimensions, positions, strict=True)
                }
            )
            return BatteryScores(items=items, dimensions=dims, overall=_mean(list(dims.values())))
    numeric: list[list[int | None]] = [
        [v if type(v) is int else None for v in c] if _has_missing(c) else c  # type: ignore[misc]
        for c in cols
    ]
    items = tuple(_mean([v for v in c if v is not None]) for c in numeric)
    dims_d = {}
    for d, pos in zip(inst.dimensions, positions, strict=True):
        values, _ = _dimension_column([numeric[j] for j in pos], min_items, None)
        dims_d[d] = _mean([v for v in values if v is not None])
    frozen = FrozenDict(dims_d)
    return BatteryScores(items=items, dimensions=frozen, overall=_mean(list(frozen.values())))


def _gap_columns(
    p_cols: Sequence[Sequence[Answer]],
    e_cols: Sequence[Sequence[Answer]],
    counter: _Counter,
    complete: bool,
) -> list[list[int | None]]:
    """P - E per item and respondent (None unless both answered); count what is left out."""
    out: list[list[int | None]] = []
    for p, e in zip(p_cols, e_cols, strict=True):
        if complete or (not _has_missing(p) and not _has_missing(e)):
            out.append(list(map(operator.sub, p, e)))
            continue
        g = [
            a - b if type(a) is int and type(b) is int else None for a, b in zip(p, e, strict=True)
        ]
        out.append(g)
        n = len(g)
        paired = n - g.count(None)
        for col in (p, e):
            missing, na = col.count(None), col.count(NOT_APPLICABLE)
            counter.add("missing", missing)
            counter.add("not_applicable", na)
            counter.add("unpaired", n - missing - na - paired)
    return out


def _dimension_test(
    values: list[float | None], sums: list[int] | None, size: int, confidence: float
) -> PairedTest:
    """Test respondents' dimension gaps against zero (exactly on integer sums when complete)."""
    if sums is None:
        return t_test_of_differences([v for v in values if v is not None], confidence)
    # Exact test on integer sums, rescaled by the number of items.
    t = t_test_of_differences(sums, confidence, integers=True)
    return attrs.evolve(
        t, mean=t.mean / size, sd=t.sd / size, ci_low=t.ci_low / size, ci_high=t.ci_high / size
    )


def _respondent_weighted(
    rs: Sequence[ServqualResponse],
    dim_rows: Sequence[tuple[float | None, ...]],
    dims: Sequence[DimensionKey],
    counter: _Counter,
) -> list[float | None]:
    """Each respondent's weighted score from their own importance points (``None`` without)."""
    out: list[float | None] = [None] * len(rs)
    for i, r in enumerate(rs):
        pts, row = r.importance, dim_rows[i]
        if pts is None:
            continue
        if None in row:
            counter.add("weighted_incomplete")
        else:
            out[i] = math.fsum(
                pts.get(d, 0.0) / 100.0 * v  # type: ignore[operator]
                for d, v in zip(dims, row, strict=True)
            )
    return out


def _wilcoxon_tests(
    columns: Sequence[Sequence[int]],
    dim_columns: Sequence[Sequence[float]],
    dims: Sequence[DimensionKey],
) -> tuple[tuple[WilcoxonTest, ...], FrozenDict[DimensionKey, WilcoxonTest]]:
    """Wilcoxon signed-rank tests of the item and dimension gaps against zero."""
    items = tuple(wilcoxon_signed_rank(c, [0.0] * len(c)) for c in columns)
    by_dim = {
        d: wilcoxon_signed_rank(c, [0.0] * len(c)) for d, c in zip(dims, dim_columns, strict=True)
    }
    return items, FrozenDict(by_dim)


def _bootstrap_overall(
    dim_rows: Sequence[tuple[float | None, ...]], resamples: int, confidence: float, seed: int
) -> tuple[float, float]:
    """Percentile bootstrap interval of the unweighted score, resampling respondents."""

    def stat(sample: Sequence[float]) -> float:
        cols = zip(*(dim_rows[int(i)] for i in sample), strict=True)
        return _mean([_mean([v for v in c if v is not None]) for c in cols])

    return bootstrap_ci(
        [float(i) for i in range(len(dim_rows))],
        stat,
        n_resamples=resamples,
        confidence=confidence,
        seed=seed,
    )


def servqual_scores(
    responses: Iterable[ServqualResponse],
    weights: DimensionWeights | None = None,
    *,
    min_items: int = 1,
    confidence: float = 0.95,
    wilcoxon: bool = False,
    bootstrap: int = 0,
    seed: int = 0,
    managers: Iterable[ServqualResponse] | None = None,
    inversion_policy: InversionPolicy = "keep",
    max_inversions: int | None = None,
) -> ServqualReport:
    """Score SERVQUAL-style responses: gaps per item and dimension, aggregates and uncertainty.

    Reverse-keyed items (the 1988 negatively worded ones) are reversed (``low + high - x``) in
    every battery before any figure is computed.

    Args:
        responses: Responses to one instrument.
        weights: Global importance points per dimension summing to 100 (for ``weighted``).
        min_items: Answered item pairs a respondent needs in a dimension for a dimension gap.
        confidence: Level of the t intervals and of the bootstrap interval.
        wilcoxon: Also run the Wilcoxon signed-rank test per item and dimension.
        bootstrap: Number of bootstrap resamples of respondents for ``unweighted_ci`` (0: none).
        seed: Seed of the bootstrap, so the interval is reproducible.
        managers: Responses of managers answering the expectation battery as they believe
            customers would; fills ``gap1``.
        inversion_policy: What the zone of tolerance does with inverted answers (minimum above
            desired): ``"keep"``, ``"exclude_answer"`` or ``"exclude_respondent"``.
        max_inversions: Leave respondents with more inverted answers than this out of the zone
            figures (LibQUAL+ drops respondents with more than 9).

    Returns:
        A :class:`ServqualReport`.

    Raises:
        SurveyError: If there are no responses, responses answer different instruments, the
            weights do not name every dimension or do not sum to 100, or ``min_items < 1``.

    Example:
        >>> rs = [
        ...     ServqualResponse(expectations=[7] * 22, perceptions=[5] * 4 + [6] * 18),
        ...     ServqualResponse(expectations=[6] * 22, perceptions=[6] * 22),
        ... ]
        >>> report = servqual_scores(rs, weights={"tangibles": 20, "reliability": 30,
        ...     "responsiveness": 20, "assurance": 15, "empathy": 15})
        >>> report.dimension_gaps[Dimension.TANGIBLES], report.unweighted
        (-1.0, -0.6)
        >>> round(report.pooled_item_mean, 4), round(report.weighted, 4)
        (-0.5909, -0.6)
    """
    rs = responses if isinstance(responses, list | tuple) else list(responses)
    if not rs:
        raise SurveyError("servqual_scores needs at least one response, got none")
    if not isinstance(min_items, int) or min_items < 1:
        raise SurveyError(
            f"servqual_scores min_items must be a positive integer, got {min_items!r}"
        )
    if inversion_policy not in ("keep", "exclude_answer", "exclude_respondent"):
        raise SurveyError(f"servqual_scores inversion_policy unknown: {inversion_policy!r}")
    inst = rs[0].instrument
    for r in rs:
        if r.instrument is not inst and r.instrument != inst:
            raise SurveyError(
                f"responses answer different instruments: {inst.name!r} and "
                f"{r.instrument.name!r}{r._who()}"
            )
    k = inst.k
    dims = inst.dimensions
    positions = [inst.positions(d) for d in dims]
    global_w = _check_weights(weights, inst) if weights is not None else None
    rev, s = inst._reverse_index, inst.scale[0] + inst.scale[1]
    has_e = inst.format is ResponseFormat.GAP or any(r.expectations for r in rs)
    counter = _Counter()

    needs_zone = inst.format is ResponseFormat.THREE_COLUMN or any(
        r.minimum is not None and r.desired is not None for r in rs
    )
    n = len(rs)
    p_cols, p_complete = _columns([r.perceptions for r in rs], inst)
    no_e = (None,) * k
    e_cols, e_complete = (
        _columns([r.expectations or no_e for r in rs], inst) if has_e else ([], False)
    )
    battery_p = _battery_scores(p_cols, p_complete, inst, positions, min_items)
    battery_e = _battery_scores(e_cols, e_complete, inst, positions, min_items) if has_e else None
    complete = p_complete and e_complete
    columns: list[list[int]] = [[] for _ in range(k)]
    dim_full: list[list[float | None]] = [[None] * n for _ in dims]
    dim_tests_list: list[PairedTest] = []
    if has_e:
        gap_cols = _gap_columns(p_cols, e_cols, counter, complete)
        columns = [
            c if complete or None not in set(c) else [v for v in c if v is not None]  # type: ignore[misc]
            for c in gap_cols
        ]
        for i, pos in enumerate(positions):
            values, sums = _dimension_column(
                [gap_cols[j] for j in pos], min_items, counter, complete
            )
            dim_full[i] = values
            dim_tests_list.append(_dimension_test(values, sums, len(pos), confidence))
    else:
        dim_tests_list = [t_test_of_differences([], confidence) for _ in dims]
    dim_columns = [[v for v in c if v is not None] for c in dim_full]
    dim_rows: list[tuple[float | None, ...]] = list(zip(*dim_full, strict=True))
    weighted_rows = _respondent_weighted(rs, dim_rows, dims, counter) if has_e else [None] * n
    e_rows: list[tuple[Answer, ...]] = []
    if managers is not None:
        e_rows = [_reverse(r.expectations or no_e, rev, s) for r in rs]
    p_rows: list[tuple[Answer, ...]] = []
    if needs_zone:
        p_rows = [_reverse(r.perceptions, rev, s) for r in rs]

    item_tests = tuple(t_test_of_differences(c, confidence, integers=True) for c in columns)
    dim_tests = FrozenDict(dict(zip(dims, dim_tests_list, strict=True)))
    item_gaps = tuple(t.mean for t in item_tests)
    dimension_gaps = FrozenDict({d: t.mean for d, t in dim_tests.items()})
    unweighted = _mean(list(dimension_gaps.values()))
    n_pairs = sum(len(c) for c in columns)
    pooled = sum(sum(c) for c in columns) / n_pairs if n_pairs else _NAN
    # Gaps are integers between low - high and high - low: count the negative ones exactly.
    negative = range(inst.scale[0] - inst.scale[1], 0)
    met = [len(c) - sum(c.count(v) for v in negative) for c in columns]
    item_fulfilment = tuple(m / len(c) if c else _NAN for m, c in zip(met, columns, strict=True))
    dim_fulfilment = {}
    for d, pos in zip(dims, positions, strict=True):
        total = sum(len(columns[j]) for j in pos)
        dim_fulfilment[d] = sum(met[j] for j in pos) / total if total else _NAN
    weighted = (
        math.fsum(w / 100.0 * dimension_gaps[d] for d, w in global_w.items())
        if global_w is not None
        else None
    )
    given = [w for w in weighted_rows if w is not None]
    weighted_pr = math.fsum(given) / len(given) if given else None

    item_w, dim_w = (
        _wilcoxon_tests(columns, dim_columns, dims) if wilcoxon and has_e else (None, None)
    )
    ci = _bootstrap_overall(dim_rows, bootstrap, confidence, seed) if bootstrap and has_e else None

    zone = None
    if needs_zone:
        zone = _zone(rs, p_rows, inst, positions, min_items, inversion_policy, max_inversions)
    gap1 = None
    if managers is not None:
        gap1 = _gap1(list(managers), e_rows, inst, positions, min_items)

    nan_dims: FrozenDict[DimensionKey, float] = FrozenDict(dict.fromkeys(dims, _NAN))
    return ServqualReport(
        instrument=inst,
        n=len(rs),
        item_gaps=item_gaps,
        dimension_gaps=dimension_gaps if has_e else nan_dims,
        unweighted=unweighted,
        pooled_item_mean=pooled,
        weighted=weighted,
        weighted_per_respondent=weighted_pr,
        item_tests=item_tests,
        dimension_tests=dim_tests,
        item_wilcoxon=item_w,
        dimension_wilcoxon=dim_w,
        unweighted_ci=ci,
        item_fulfilment=item_fulfilment,
        dimension_fulfilment=FrozenDict(dim_fulfilment),
        fulfilment=sum(met) / n_pairs if n_pairs else _NAN,
        expectations=battery_e,
        perceptions=battery_p,
        left_out=FrozenDict(dict(sorted(counter.counts.items()))),
        zone=zone,
        gap1=gap1,
        respondent_ids=tuple(r.respondent_id for r in rs),
        respondent_dimension_gaps=tuple(dim_rows),
        respondent_weighted=tuple(weighted_rows),
    )


_PERIODS = ("day", "week", "month", "quarter", "year")
