"""The HTML report: one self-contained page, inline SVG charts, inline table styles, print CSS.

Tables carry their styles inline because e-mail clients drop ``<style>`` blocks; the page's own
small stylesheet only adds the layout and the print rules. Nothing is loaded from the network.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

import attrs

from cs8.io._source import escape_controls
from cs8.report import _svg
from cs8.report._journeys_layout import follows_svg, funnel_svg
from cs8.report._lang import Language, language
from cs8.report._layout import Block, Chart, Heading, Para, Table, layout
from cs8.report._model import period_label
from cs8.report._report import ServiceReport
from cs8.report._staffing_view import plan_chart

__all__ = ["chart_svg", "to_html"]

_CSS = """
body{margin:0;background:#f5f6f8;color:#1d2733;font:14px/1.45 "Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:1000px;margin:0 auto;padding:24px;background:#fff}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #1f5fa8;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}p{margin:4px 0}figure{display:inline-block;vertical-align:top;margin:8px 16px 8px 0;break-inside:avoid}
figcaption{font-size:13px;font-weight:600;color:#333;margin-bottom:2px}.chart{max-width:100%;height:auto}
@media print{body{background:#fff}main{max-width:none;padding:0}h2{break-after:avoid}
table,figure{break-inside:avoid}a{color:inherit}}
"""

_TABLE = "border-collapse:collapse;margin:6px 0 12px;font-size:13px;min-width:50%"
_TH = "text-align:left;padding:4px 8px;border-bottom:2px solid #c9d1da;background:#eef2f6"
_TD = "padding:3px 8px;border-bottom:1px solid #e3e6ea"
_TONES = {"met": "background:#e8f5ec", "missed": "background:#fdecea"}


def _table(table: Table) -> str:
    head = "".join(f'<th style="{_TH}">{escape(h)}</th>' for h in table.headers)
    rows = []
    for k, row in enumerate(table.rows):
        tone = table.tones[k] if k < len(table.tones) else None
        style = f' style="{_TONES[tone]}"' if tone in _TONES else ""
        cells = "".join(f'<td style="{_TD}">{escape(c)}</td>' for c in row)
        rows.append(f"<tr{style}>{cells}</tr>")
    return (
        f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _axis_label(day: date, period: str) -> str:
    """A short x-axis label: ``W28`` for a week, ``2026-07`` for a month."""
    label = period_label(day, period)
    return label.split("-", 1)[1] if period == "week" else label


def _trend(report: ServiceReport, chart: Chart, lang: Language) -> str:
    labels = [_axis_label(d, report.period) for d in report.periods]
    series = report.trends[chart.index]
    points = series.points
    line = _svg.Line(
        name=chart.title,
        values=[p.value for p in points],
        low=[p.low for p in points],
        high=[p.high for p in points],
    )
    if series.unit == "seconds":
        line = attrs.evolve(line, name=lang.label("series.median"))
        p90 = _svg.Line(name=lang.label("series.p90"), values=[p.p90 for p in points])
        return _svg.line_chart(chart.title, labels, [line, p90], lang.duration)
    if series.unit == "rate":
        return _svg.line_chart(
            chart.title, labels, [line], lambda v: lang.percent(v, 0), ceiling=1.0
        )
    if series.unit == "points":
        return _svg.line_chart(chart.title, labels, [line], lambda v: lang.points(v, 0), floor=None)
    return _svg.line_chart(chart.title, labels, [line], lambda v: lang.number(v, 0))


def _buckets(report: ServiceReport, chart: Chart, lang: Language) -> str:
    names = [lang.label(f.key) for f in report.buckets]
    counts = [f.value for f in report.buckets]
    return _svg.bars(
        lang.label("section.buckets"), names, [("", counts)], lambda v: lang.number(v, 0)
    )


def _heatmap(report: ServiceReport, chart: Chart, lang: Language) -> str:
    heat = report.heatmaps[chart.index]
    days = [lang.label(f"weekday.{d}") for d in range(7)]
    grid = heat.grid()
    if heat.unit == "rate":
        return _svg.heatmap(
            chart.title, days, grid, lambda v: lang.percent(v, 0), low=0.0, high=1.0
        )
    return _svg.heatmap(chart.title, days, grid, lambda v: lang.number(v, 0))


def _backlog(report: ServiceReport, chart: Chart, lang: Language) -> str:
    days = [lang.short_date(d) for d, _ in report.backlog]
    line = _svg.Line(name=chart.title, values=[float(n) for _, n in report.backlog])
    return _svg.line_chart(chart.title, days, [line], lambda v: lang.number(v, 0))


def _staffing(report: ServiceReport, chart: Chart, lang: Language) -> str:
    hours = [f"{r.hour:02d}" for r in report.staffing]
    needed = [float(r.agents) for r in report.staffing]
    scheduled = [float(r.scheduled) for r in report.staffing]
    groups = [(lang.label("col.agents"), needed), (lang.label("col.scheduled"), scheduled)]
    return _svg.bars(chart.title, hours, groups, lambda v: lang.number(v, 0))


def _sla(report: ServiceReport, chart: Chart, lang: Language) -> str:
    rows = report.sla.rows
    names = [
        lang.label("sla.all") if r.group is None else lang.term("priority", r.group) for r in rows
    ]
    metrics = [f.key for f in rows[0].figures] if rows else []
    groups = [(lang.label(m), [r.figures[i].value for r in rows]) for i, m in enumerate(metrics)]
    title = lang.label("sla.attainment")
    return _svg.bars(title, names, groups, lambda v: lang.percent(v, 0), ceiling=1.0)


def _servqual(report: ServiceReport, chart: Chart, lang: Language) -> str:
    names = [lang.label(f"dimension.{d}") for d, _ in report.servqual]
    gaps: list[float | None] = [g for _, g in report.servqual]
    title = lang.label("surveys.servqual")
    return _svg.bars(title, names, [("", gaps)], lambda v: lang.number(v, 1))


_CHARTS: dict[str, Callable[[ServiceReport, Chart, Language], str]] = {
    "trend": _trend,
    "buckets": _buckets,
    "heatmap": _heatmap,
    "backlog": _backlog,
    "staffing": _staffing,
    "plan": plan_chart,
    "sla": _sla,
    "servqual": _servqual,
    "funnel": funnel_svg,
    "follows": follows_svg,
}


def chart_svg(report: ServiceReport, chart: Chart, lang: Language) -> str:
    """Return the SVG of one chart block.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> from cs8.report._layout import Chart
        >>> chart_svg(build_report(ServiceData()), Chart("buckets"), language("en"))[:4]
        '<svg'
    """
    return _CHARTS[chart.kind](report, chart, lang)


def _block(report: ServiceReport, block: Block, lang: Language) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    caption = f"<figcaption>{escape(block.title)}</figcaption>" if block.title else ""
    return f"<figure>{caption}{chart_svg(report, block, lang)}</figure>"


def to_html(
    report: ServiceReport, lang: str, *, max_rows: int | None = 100, fragment: bool = False
) -> str:
    """Return the report as HTML: a whole document, or the body alone when ``fragment``.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> "<script" in to_html(build_report(ServiceData()), "vi")
        False
    """
    entry = language(lang)
    body = "".join(
        _block(report, b, entry) for b in layout(report, lang, max_rows=max_rows, charts=True)
    )
    # Ids, names and teams come from the data; html.escape leaves control characters, and the
    # page may be printed to a terminal (cs8 report --format html without --out).
    if fragment:
        return escape_controls(f'<div class="cs8-report" lang="{entry.code}">{body}</div>')
    title = escape(f"{entry.label('title')}: {report.title}")
    return escape_controls(
        f'<!DOCTYPE html><html lang="{entry.code}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
