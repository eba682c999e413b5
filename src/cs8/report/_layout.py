"""The report laid out as blocks (headings, paragraphs, tables, charts) in one language.

Text, Markdown and HTML render the same blocks, so the three formats always show the same
sections with the same labels; only HTML draws the chart blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from cs8.report._lang import Language, language
from cs8.report._model import Figure, Heatmap, SlaRow, period_label
from cs8.report._report import ServiceReport

__all__ = ["Block", "Chart", "Heading", "Para", "Table", "layout"]

_MICRO = timedelta(microseconds=1)
ARROWS = {"up": "▲", "down": "▼", "flat": "►"}


@attrs.frozen
class Heading:
    """A section title (level 1, 2 or 3)."""

    text: str
    level: int = 2


@attrs.frozen
class Para:
    """A paragraph of text."""

    text: str


@attrs.frozen
class Table:
    """A table of formatted cells; ``tones`` marks rows ("met", "missed") for colour."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    tones: tuple[str | None, ...] = ()


@attrs.frozen
class Chart:
    """A chart drawn from the report's data: ``kind`` and the index of its series or map."""

    kind: str
    index: int = 0
    title: str = ""


Block = Heading | Para | Table | Chart


def value(fig: Figure, lang: Language) -> str:
    """Return a figure's value as text (the median for durations)."""
    if fig.value is None:
        return lang.label("no_data")
    return number(fig.value, fig.unit, lang)


def number(x: float, unit: str, lang: Language) -> str:
    """Return ``x`` written for its unit."""
    if unit == "rate":
        return lang.percent(x)
    if unit == "seconds":
        return lang.duration(x)
    if unit == "points":
        return lang.points(x)
    if unit == "score":
        return lang.number(x, 2)
    return lang.number(x, 0)


def interval(fig: Figure, lang: Language) -> str:
    """Return ``[low, high]`` in the figure's unit, or an empty string."""
    if fig.low is None or fig.high is None or fig.value is None:
        return ""
    return f"[{number(fig.low, fig.unit, lang)}, {number(fig.high, fig.unit, lang)}]"


def _n(count: int, lang: Language) -> str:
    return lang.number(count, 0)


def _fields(report: ServiceReport) -> dict[str, object]:
    return {"seconds": f"{report.answer_within:.0f}"}


def _label(key: str, report: ServiceReport, lang: Language) -> str:
    text = lang.labels[key]
    return text.format(**_fields(report)) if "{" in text else text


def _clock(report: ServiceReport, lang: Language) -> str:
    """The clock ticket durations are counted in: business hours when a calendar was given."""
    return lang.label("clock.business" if report.business else "clock.calendar")


def _local(at: datetime, report: ServiceReport, lang: Language) -> str:
    return lang.datetime(at.astimezone(ZoneInfo(report.zone)))


def _header(report: ServiceReport, lang: Language) -> list[Block]:
    blocks: list[Block] = [Heading(f"{lang.label('title')}: {report.title}", 1)]
    if report.start is not None and report.end is not None:
        zone = ZoneInfo(report.zone)
        last = (report.end.astimezone(zone) - _MICRO).date()
        shown = lang.label(
            "period_range",
            start=lang.date(report.start.astimezone(zone).date()),
            end=lang.date(last),
            zone=report.zone,
        )
    else:
        shown = lang.label("period_empty")
    blocks.append(Para(f"{lang.label('period')}: {shown}"))
    counts = ", ".join(f"{_n(n, lang)} {lang.label('record.' + k)}" for k, n in report.counts)
    if report.rejected:
        counts += f", {_n(report.rejected, lang)} {lang.label('record.rejected')}"
    blocks.append(Para(f"{lang.label('records')}: {counts}"))
    return blocks


def _scorecard(report: ServiceReport, lang: Language) -> list[Block]:
    headers = tuple(
        lang.label(k)
        for k in (
            "col.pillar",
            "col.measure",
            "col.value",
            "col.target",
            "col.status",
            "col.trend",
            "col.n",
        )
    )
    rows, tones = [], []
    shown_rows = (
        (row, k == 0)  # a pillar's headline, then its supporting measures (no pillar name)
        for pillar in report.scorecard
        for k, row in enumerate((pillar, *pillar.supporting))
    )
    for p, head in shown_rows:
        shown = lang.label("no_data") if p.value is None else number(p.value, p.unit, lang)
        if p.pillar == "continuous learning":
            target = lang.label("target.nps_change")
        else:
            bound = number(p.target, p.unit, lang)
            target = lang.label("target.at_least" if p.higher else "target.at_most", value=bound)
        status = lang.label("status." + p.status.replace(" ", "_"))
        trend = ARROWS[p.trend] if p.trend else ""
        measure = _label(p.measure, report, lang)
        rows.append(
            (
                lang.label("pillar." + p.pillar.replace(" ", "_")) if head else "",
                measure,
                shown,
                target,
                status,
                trend,
                _n(p.n, lang),
            )
        )
        tones.append(None if p.met is None else ("met" if p.met else "missed"))
    met = sum(1 for p in report.scorecard if p.met)
    measured = sum(1 for p in report.scorecard if p.met is not None)
    period = lang.label("period." + report.period)
    return [
        Heading(lang.label("section.scorecard")),
        Table(headers, tuple(rows), tuple(tones)),
        Para(
            lang.label("scorecard.summary", met=met, measured=measured)
            + " "
            + lang.label("scorecard.trend_note", period=period)
        ),
    ]


def _figure_table(figures: Sequence[Figure], report: ServiceReport, lang: Language) -> Table:
    headers = tuple(
        lang.label(k)
        for k in ("col.measure", "col.value", "col.interval", "col.mean", "col.p90", "col.n")
    )
    rows = []
    for fig in figures:
        p90 = lang.duration(fig.p90) if fig.p90 is not None else ""
        mean = lang.duration(fig.mean) if fig.mean is not None else ""
        rows.append(
            (
                _label(fig.key, report, lang),
                value(fig, lang),
                interval(fig, lang),
                mean,
                p90,
                _n(fig.n, lang),
            )
        )
    return Table(headers, tuple(rows))


def _trends(report: ServiceReport, lang: Language) -> list[Block]:
    period = lang.label("period." + report.period)
    title = f"{lang.label('section.trends', period=period)} ({_clock(report, lang)})"
    blocks: list[Block] = [Heading(title)]
    for i, series in enumerate(report.trends):
        blocks.append(Chart("trend", i, _label(series.key, report, lang)))
    headers = (lang.label("col.date"), *tuple(_label(s.key, report, lang) for s in report.trends))
    rows = []
    for k, day in enumerate(report.periods):
        cells = [f"{period_label(day, report.period)} ({lang.date(day)})"]
        for s in report.trends:
            point = s.points[k]
            shown = value(point, lang)
            if point.p90 is not None:
                shown += f" / {lang.duration(point.p90)}"
            cells.append(shown)
        rows.append(tuple(cells))
    blocks.append(Table(headers, tuple(rows)))
    return blocks


def _breakdowns(report: ServiceReport, lang: Language) -> list[Block]:
    title = f"{lang.label('section.breakdowns')} ({_clock(report, lang)})"
    blocks: list[Block] = [Heading(title)]
    for b in report.breakdowns:
        blocks.append(Heading(lang.label("dim." + b.dimension), 3))
        first = b.rows[0].figures if b.rows else ()
        headers = [lang.label("col.group")]
        for fig in first:
            headers.append(_label(fig.key, report, lang))
            if fig.unit in ("seconds", "rate"):
                headers.append(lang.label("col.interval"))
        rows = []
        for row in b.rows:
            group = (
                lang.label("group.none") if row.group is None else lang.term(b.dimension, row.group)
            )
            cells = [group]
            for fig in row.figures:
                cells.append(value(fig, lang) if fig.unit != "count" else _n(fig.n, lang))
                if fig.unit in ("seconds", "rate"):
                    cells.append(interval(fig, lang))
            rows.append(tuple(cells))
        blocks.append(Table(tuple(headers), tuple(rows)))
    return blocks


def _buckets(report: ServiceReport, lang: Language) -> list[Block]:
    total = sum(f.value or 0 for f in report.buckets)
    rows = tuple(
        (
            lang.label(f.key),
            _n(int(f.value or 0), lang),
            lang.percent((f.value or 0) / total) if total else lang.label("no_data"),
        )
        for f in report.buckets
    )
    return [
        Heading(f"{lang.label('section.buckets')} ({_clock(report, lang)})"),
        Chart("buckets"),
        Table((lang.label("col.bucket"), lang.label("col.count"), lang.label("col.share")), rows),
    ]


def _heatmaps(report: ServiceReport, lang: Language, charts: bool) -> list[Block]:
    blocks: list[Block] = [Heading(lang.label("section.heatmaps"))]
    for i, heat in enumerate(report.heatmaps):
        blocks.append(Chart("heatmap", i, lang.label(heat.key)))
    for heat in () if charts else report.heatmaps:
        blocks.append(Heading(lang.label(heat.key), 3))
        headers = ("", *tuple(str(t.hour) for t in heat.columns))
        rows = []
        for d, line in enumerate(heat.grid()):
            cells = [lang.label(f"weekday.{d}")]
            for shown in line:
                if shown is None:
                    cells.append("")
                elif heat.unit == "rate":
                    cells.append(lang.number(shown * 100, 0))
                else:
                    cells.append(_n(int(shown), lang))
            rows.append(tuple(cells))
        blocks.append(Table(headers, tuple(rows)))
    blocks.append(Para(lang.label("heat.legend", zone=report.zone, n=Heatmap.MIN_N)))
    return blocks


def _backlog(report: ServiceReport, lang: Language, charts: bool) -> list[Block]:
    blocks: list[Block] = [
        Heading(lang.label("section.backlog")),
        Chart("backlog", 0, lang.label("kpi.backlog")),
    ]
    if report.backlog and not charts:
        step = 7 if report.period == "week" else 1
        sample = report.backlog[step - 1 :: step] if len(report.backlog) > 31 else report.backlog
        rows = tuple((lang.date(d), _n(n, lang)) for d, n in sample)
        blocks.append(Table((lang.label("col.date"), lang.label("col.open")), rows))
    return blocks


def _sla_list(
    rows: Sequence[SlaRow],
    report: ServiceReport,
    lang: Language,
    breach: bool,
    max_rows: int | None,
) -> list[Block]:
    if not rows:
        return [Para(lang.label("sla.none"))]
    shown = rows if max_rows is None else rows[:max_rows]
    headers = tuple(
        lang.label(k)
        for k in (
            "col.ticket",
            "col.metric",
            "col.priority",
            "col.channel",
            "col.breached_at" if breach else "col.due_at",
            "col.overdue" if breach else "col.remaining",
        )
    )
    table = tuple(
        (
            r.ticket_id,
            lang.term("metric", r.metric),
            lang.term("priority", r.priority),
            lang.term("channel", r.channel),
            _local(r.when, report, lang),
            lang.duration(r.margin),
        )
        for r in shown
    )
    blocks: list[Block] = [Table(headers, table)]
    if len(rows) > len(shown):
        blocks.append(Para(lang.label("more_rows", n=_n(len(rows) - len(shown), lang))))
    return blocks


def _sla(report: ServiceReport, lang: Language, max_rows: int | None) -> list[Block]:
    title = f"{lang.label('section.sla', policy=report.policy)}, {_clock(report, lang)}"
    blocks: list[Block] = [Heading(title)]
    first = report.sla.rows[0].figures if report.sla.rows else ()
    headers = (lang.label("col.priority"), *tuple(lang.label(f.key) for f in first))
    rows = []
    for row in report.sla.rows:
        group = lang.label("sla.all") if row.group is None else lang.term("priority", row.group)
        cells = [group] + [
            f"{value(f, lang)} ({lang.label('n_of', n=_n(f.n, lang))})" if f.n else ""
            for f in row.figures
        ]
        rows.append(tuple(cells))
    blocks += [Heading(lang.label("sla.attainment"), 3), Chart("sla"), Table(headers, tuple(rows))]
    blocks.append(Heading(lang.label("sla.breaches", n=_n(len(report.breaches), lang)), 3))
    blocks += _sla_list(report.breaches[::-1], report, lang, True, max_rows)
    horizon = lang.duration(report.horizon)
    blocks.append(
        Heading(lang.label("sla.at_risk", horizon=horizon, n=_n(len(report.at_risk), lang)), 3)
    )
    blocks += _sla_list(report.at_risk, report, lang, False, max_rows)
    return blocks


def _contact(report: ServiceReport, lang: Language) -> list[Block]:
    blocks: list[Block] = [
        Heading(lang.label("section.contact")),
        _figure_table(report.contact, report, lang),
    ]
    if not report.staffing or report.aht is None:
        return [
            *blocks,
            Heading(lang.label("kpi.staffing"), 3),
            Para(lang.label("contact.no_calls")),
        ]
    blocks.append(Chart("staffing", 0, lang.label("kpi.staffing")))
    headers = tuple(lang.label(k) for k in ("col.hour", "col.calls", "col.agents", "col.scheduled"))
    rows = tuple(
        (f"{r.hour:02d}:00", lang.number(r.calls, 1), _n(r.agents, lang), _n(r.scheduled, lang))
        for r in report.staffing
    )
    blocks.append(Table(headers, rows))
    blocks.append(
        Para(
            lang.label(
                "contact.staffing_note",
                level=lang.percent(report.service_level_target, 0),
                seconds=f"{report.answer_within:.0f}",
                aht=lang.duration(report.aht),
                shrinkage=lang.percent(report.shrinkage, 0),
            )
        )
    )
    return blocks


def _surveys(report: ServiceReport, lang: Language) -> list[Block]:
    blocks: list[Block] = [
        Heading(lang.label("section.surveys")),
        _figure_table(report.surveys, report, lang),
    ]
    if report.servqual:
        blocks += [Heading(lang.label("surveys.servqual"), 3), Chart("servqual")]
        rows = tuple((lang.label(f"dimension.{d}"), lang.number(g, 2)) for d, g in report.servqual)
        blocks.append(Table((lang.label("col.dimension"), lang.label("col.gap")), rows))
        blocks.append(Para(lang.label("surveys.servqual_n", n=_n(report.servqual_n, lang))))
    return blocks


def _notes(report: ServiceReport, lang: Language) -> list[Block]:
    blocks: list[Block] = [Heading(lang.label("section.notes"))]
    lines = []
    for fig in report.figures():
        for reason, n in sorted(fig.excluded.items()):
            if n:
                reason_text = lang.labels.get(f"reason.{reason}", reason.replace("_", " "))
                lines.append(
                    lang.label(
                        "note.excluded",
                        what=_label(fig.key, report, lang),
                        n=_n(n, lang),
                        reason=reason_text,
                    )
                )
    if report.rejected:
        key = "note.rejected" if report.engine == "objects" else "note.rejected_tickets"
        lines.append(lang.label(key, n=_n(report.rejected, lang)))
    for what, why in report.omitted:
        lines.append(
            lang.label(
                "note.omitted", what=lang.label(what), engine=report.engine, reason=lang.label(why)
            )
        )
    blocks += [Para(line) for line in lines] or [Para(lang.label("note.nothing"))]
    period = lang.label("period." + report.period)
    blocks.append(Heading(lang.label("section.definitions")))
    for key in (
        "def.first_reply",
        "def.resolution",
        "def.business",
        "def.median_interval",
        "def.rates",
        "def.service_level",
        "def.sla",
        "def.fcr",
        "def.trend",
        "def.value",
        "def.buckets",
    ):
        blocks.append(
            Para(
                lang.label(
                    key,
                    zone=report.zone,
                    seconds=f"{report.answer_within:.0f}",
                    horizon=lang.duration(report.horizon),
                    period=period,
                )
            )
        )
    return blocks


def layout(
    report: ServiceReport, code: str, *, max_rows: int | None = None, charts: bool = False
) -> list[Block]:
    """Return the report's blocks in language ``code``, in reading order.

    With ``charts`` (HTML), the tables that only repeat a chart's cells (the heatmaps, the daily
    backlog) are left out; the charts carry each value in their tooltips.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> blocks = layout(build_report(ServiceData()), "vi")
        >>> blocks[0].text
        'Báo cáo chăm sóc khách hàng: data'
    """
    # These build on this module's blocks, so they are imported when it is loaded.
    from cs8.report._journeys_layout import journey_blocks
    from cs8.report._staffing_view import staffing_blocks
    from cs8.report._words_layout import words_blocks

    lang = language(code)
    ticket_blocks: list[Block] = [
        Heading(lang.label("section.tickets")),
        _figure_table(report.tickets, report, lang),
    ]
    # A section an engine did not compute is not drawn empty: the notes say why it is missing.
    omitted = {what for what, _ in report.omitted}

    def unless(what: str, blocks: Callable[[], list[Block]]) -> list[Block]:
        return [] if what in omitted else blocks()

    return [
        *_header(report, lang),
        *unless("omit.scorecard", lambda: _scorecard(report, lang)),
        *ticket_blocks,
        *_trends(report, lang),
        *_breakdowns(report, lang),
        *_buckets(report, lang),
        *unless("omit.heatmaps", lambda: _heatmaps(report, lang, charts)),
        *unless("omit.backlog", lambda: _backlog(report, lang, charts)),
        *unless("omit.sla", lambda: _sla(report, lang, max_rows)),
        *_contact(report, lang),
        *staffing_blocks(report, lang, charts),
        *_surveys(report, lang),
        *unless("omit.words", lambda: words_blocks(report, lang)),
        *journey_blocks(report, lang, charts),
        *_notes(report, lang),
    ]
