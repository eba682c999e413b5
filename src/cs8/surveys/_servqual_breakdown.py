"""SERVQUAL by group and period: :func:`servqual_breakdown`.

Example:
    >>> _period_key(None, "month") is None
    True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from typing import Literal

import attrs

from cs8._display import DictsReprMixin, Row
from cs8._frozen import FrozenDict
from cs8.exceptions import SurveyError
from cs8.surveys._responses import ServqualResponse
from cs8.surveys._servqual import _PERIODS, servqual_scores
from cs8.surveys._servqual_results import ServqualReport, _name

__all__ = ["ServqualBreakdown", "servqual_breakdown"]


def _period_key(value: date | None, period: str) -> str | None:
    if value is None:
        return None
    d = value.date() if isinstance(value, datetime) else value
    if period == "day":
        return d.isoformat()
    if period == "week":
        iso = d.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if period == "month":
        return f"{d.year}-{d.month:02d}"
    if period == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


@attrs.frozen(kw_only=True, repr=False)
class ServqualBreakdown(DictsReprMixin):
    """SERVQUAL reports per group (segment, channel or period).

    Attributes:
        by: What the responses were grouped by.
        groups: Group key -> :class:`ServqualReport`, keys sorted (``None``: not recorded).

    Example:
        >>> rs = [ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22, segment="vip"),
        ...       ServqualResponse(expectations=[6] * 22, perceptions=[6] * 22, segment="new")]
        >>> b = servqual_breakdown(rs, by="segment")
        >>> [(row["segment"], row["unweighted"]) for row in b.to_dicts()]
        [('new', 0.0), ('vip', -1.0)]
    """

    __repr__ = DictsReprMixin._short_repr

    by: str
    groups: FrozenDict[str | None, ServqualReport]

    def _title(self) -> str:
        return f"SERVQUAL by {self.by}"

    def to_dicts(self) -> list[Row]:
        """Return one row per group: n, each dimension gap and the unweighted gap.

        Example:
            >>> rs = [ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22, channel="chat")]
            >>> servqual_breakdown(rs, by="channel").to_dicts()[0]["n"]
            1
        """
        rows: list[Row] = []
        for key, rep in self.groups.items():
            row: Row = {self.by: key, "n": rep.n}
            for d in rep.instrument.dimensions:
                row[_name(d)] = rep.dimension_gaps[d]
            row["unweighted"] = rep.unweighted
            rows.append(row)
        return rows


def servqual_breakdown(
    responses: Iterable[ServqualResponse],
    by: Literal["segment", "channel", "period"],
    *,
    period: Literal["day", "week", "month", "quarter", "year"] = "month",
    **options: object,
) -> ServqualBreakdown:
    """Score responses separately per segment, channel or period of their ``date``.

    Args:
        responses: Responses to one instrument.
        by: ``"segment"``, ``"channel"`` or ``"period"``.
        period: Calendar period for ``by="period"``; keys look like ``2026-03``, ``2026-Q1``,
            ``2026-W09``, ``2026-03-02`` or ``2026``.
        **options: Passed to :func:`servqual_scores` (``weights``, ``min_items`` ...).

    Raises:
        SurveyError: If ``by`` or ``period`` is unknown.

    Example:
        >>> from datetime import date
        >>> rs = [ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22, date=date(2026, 3, 2))]
        >>> list(servqual_breakdown(rs, by="period", period="quarter").groups)
        ['2026-Q1']
    """
    key: Callable[[ServqualResponse], Hashable]
    if by == "segment":

        def key(r: ServqualResponse) -> str | None:
            return r.segment

    elif by == "channel":

        def key(r: ServqualResponse) -> str | None:
            return None if r.channel is None else r.channel.value

    elif by == "period":
        if period not in _PERIODS:
            raise SurveyError(
                f"servqual_breakdown period must be one of {_PERIODS}, got {period!r}"
            )

        def key(r: ServqualResponse) -> str | None:
            return _period_key(r.date, period)

    else:
        raise SurveyError(
            f"servqual_breakdown by must be 'segment', 'channel' or 'period', got {by!r}"
        )
    grouped: dict[str | None, list[ServqualResponse]] = {}
    for r in responses:
        grouped.setdefault(key(r), []).append(r)  # type: ignore[arg-type,unused-ignore]
    ordered = sorted(grouped, key=lambda g: (g is None, g or ""))
    return ServqualBreakdown(
        by=by,
        groups=FrozenDict({g: servqual_scores(grouped[g], **options) for g in ordered}),  # type: ignore[arg-type]
    )
