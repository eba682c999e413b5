"""The report value: all its figures as numbers, and its renderings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Literal, cast

import attrs

from cs8.report._journeys import JourneySection
from cs8.report._model import Breakdown, Figure, Heatmap, Series, SlaRow, StaffingRow
from cs8.report._scorecard import PillarScore
from cs8.report._staffing import StaffingSection
from cs8.report._words import WordsSection

__all__ = ["ServiceReport"]

_NOTEBOOK_ROWS = 20
"""Rows of each ticket list shown in a notebook (the full lists are in :meth:`to_dict`)."""


def _plain(value: object) -> object:
    """JSON-ready: dates as ISO text, tuples as lists, figures as dicts."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Figure | PillarScore | Heatmap):
        return value.to_dict()
    if attrs.has(type(value)):
        return {k: _plain(v) for k, v in attrs.asdict(cast(Any, value), recurse=False).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@attrs.frozen(kw_only=True)
class ServiceReport:
    """The service report: the S8 scorecard and every section's figures, as numbers.

    Build one with :func:`cs8.report.build_report`; render it with :meth:`to_text`,
    :meth:`to_markdown`, :meth:`to_html` or :meth:`to_json`, each in any catalogue language.
    Durations are seconds, rates fractions, NPS points.

    Attributes:
        title: What the data is.
        zone: The calendar's IANA zone: periods, heatmaps and dates are local to it.
        start: Start of the period.
        end: End of the period (exclusive).
        period: How the trends are cut: ``"week"`` or ``"month"``.
        business: Whether durations are also counted in business hours (a calendar was given).
        policy: The SLA policy's name.
        horizon: The at-risk horizon, in seconds.
        answer_within: The service-level threshold, in seconds.
        service_level_target: The service-level target, for the staffing line.
        shrinkage: The shrinkage of the staffing line.
        aht: The handle time of the staffing line, in seconds.
        counts: Records read, by kind.
        rejected: Input rows rejected while loading (on the duckdb engine: the ticket rows the
            loader would reject, which the fold leaves out; their event rows are not counted).
        scorecard: The eight pillars.
        tickets: Ticket figures over the whole period.
        periods: First local day of each trend period.
        trends: One series per measure, aligned with ``periods``.
        breakdowns: Ticket figures by channel, priority, segment, agent and team.
        buckets: First replies counted in Chatwoot's buckets (0-1 h ... 24 h+).
        heatmaps: Arrivals and service level by weekday and hour.
        backlog: Open tickets at the end of each local day.
        sla: SLA attainment by priority (``None`` group: all), one figure per metric.
        breaches: Breached clocks, by ticket.
        at_risk: Running clocks due within the horizon, by ticket.
        contact: Service level, abandonment, speed of answer and handle time.
        staffing: Erlang C agents per local hour of an average day with calls.
        surveys: CSAT, NPS and CES.
        servqual: SERVQUAL gap per dimension (empty without SERVQUAL answers).
        servqual_n: SERVQUAL answers.
        journeys: Customer journeys (``None`` when the data has no orders).
        words: What customers wrote: sentiment and flags (``None`` without message text).
        staffing_plan: Next week's required agents per interval and the shifts covering them
            (``None`` without numpy or enough answered live contacts).
        engine: Where the figures were computed: ``"objects"`` (cs8's records in Python) or
            ``"duckdb"`` (the files read by DuckDB, see :func:`cs8.report.read_tables`).
        omitted: Sections an engine did not compute, as (what, why) catalogue keys; the notes
            name each one, so nothing is left out silently.
        charted_from: The first day the trends and backlog show when the period is longer than
            the ten years they chart (``None``: they cover all of it); the notes say so.

    Example:
        >>> from cs8.datasets import sample_shop
        >>> from cs8.report import ServiceData, build_report
        >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=100, weeks=2)))
        >>> report.to_text().splitlines()[0]
        'Customer service report: sample shop (seed 0)'
        >>> report.to_text(lang="vi").splitlines()[0]
        'Báo cáo chăm sóc khách hàng: sample shop (seed 0)'
    """

    title: str
    zone: str
    start: datetime | None
    end: datetime | None
    period: Literal["week", "month"] = "week"
    business: bool
    policy: str
    horizon: float
    answer_within: float
    service_level_target: float
    shrinkage: float
    aht: float | None
    counts: tuple[tuple[str, int], ...]
    rejected: int = 0
    scorecard: tuple[PillarScore, ...]
    tickets: tuple[Figure, ...]
    periods: tuple[date, ...]
    trends: tuple[Series, ...]
    breakdowns: tuple[Breakdown, ...]
    buckets: tuple[Figure, ...]
    heatmaps: tuple[Heatmap, ...]
    backlog: tuple[tuple[date, int], ...]
    sla: Breakdown
    breaches: tuple[SlaRow, ...]
    at_risk: tuple[SlaRow, ...]
    contact: tuple[Figure, ...]
    staffing: tuple[StaffingRow, ...]
    surveys: tuple[Figure, ...]
    servqual: tuple[tuple[str, float], ...] = ()
    servqual_n: int = 0
    journeys: JourneySection | None = None
    words: WordsSection | None = None
    staffing_plan: StaffingSection | None = None
    engine: Literal["objects", "duckdb"] = "objects"
    omitted: tuple[tuple[str, str], ...] = ()
    charted_from: date | None = None

    def figures(self) -> Iterator[Figure]:
        """Yield every headline figure (tickets, contact centre, surveys), for the notes.

        Example:
            >>> from cs8.report import ServiceData, build_report
            >>> all(f.n == 0 for f in build_report(ServiceData()).figures())
            True
        """
        yield from self.tickets
        yield from self.contact
        yield from self.surveys

    def to_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready numbers (durations in seconds, rates as fractions).

        Example:
            >>> from cs8.report import ServiceData, build_report
            >>> data = build_report(ServiceData()).to_dict()
            >>> data["scorecard"][0]["pillar"], data["tickets"][0]["unit"]
            ('availability', 'count')
        """
        out = {k: _plain(v) for k, v in attrs.asdict(self, recurse=False).items()}
        out["counts"] = dict(self.counts)
        out["backlog"] = [{"date": d.isoformat(), "open": n} for d, n in self.backlog]
        out["servqual"] = dict(self.servqual)
        return out

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as JSON text (UTF-8 characters kept).

        Example:
            >>> from cs8.report import ServiceData, build_report
            >>> import json
            >>> json.loads(build_report(ServiceData()).to_json())["period"]
            'week'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    def to_text(self, *, lang: str = "en") -> str:
        """Return the report as plain text for a terminal, in language ``lang``.

        Example:
            >>> from cs8.report import ServiceData, build_report
            >>> "S8 scorecard" in build_report(ServiceData()).to_text()
            True
        """
        from cs8.report._render import to_text

        return to_text(self, lang)

    def to_markdown(self, *, lang: str = "en", max_rows: int | None = None) -> str:
        """Return the report as Markdown (GitHub tables) for chat and pull requests.

        Args:
            lang: The catalogue language.
            max_rows: Longest ticket list shown (breaches, at risk); ``None`` shows all.

        Example:
            >>> from cs8.report import ServiceData, build_report
            >>> build_report(ServiceData()).to_markdown(lang="vi").splitlines()[0]
            '# Báo cáo chăm sóc khách hàng: data'
        """
        from cs8.report._render import to_markdown

        return to_markdown(self, lang, max_rows=max_rows)

    def to_html(
        self, *, lang: str = "en", max_rows: int | None = 100, fragment: bool = False
    ) -> str:
        """Return one self-contained HTML page with inline SVG charts, printable and e-mailable.

        Args:
            lang: The catalogue language.
            max_rows: Longest ticket list shown (breaches, at risk); ``None`` shows all.
            fragment: Return only the body (for a notebook cell), not a whole document.

        Example:
            >>> from cs8.report import ServiceData, build_report
            >>> build_report(ServiceData()).to_html().startswith("<!DOCTYPE html>")
            True
        """
        from cs8.report._html import to_html

        return to_html(self, lang, max_rows=max_rows, fragment=fragment)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html(max_rows=_NOTEBOOK_ROWS, fragment=True)

    def _repr_markdown_(self) -> str:
        return self.to_markdown(max_rows=_NOTEBOOK_ROWS)
