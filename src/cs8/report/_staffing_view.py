"""The staffing plan laid out as report blocks, and its heatmaps drawn as SVG.

Text, Markdown and HTML show the same blocks (:func:`staffing_blocks`); HTML draws the required
and on-shift heatmaps (:func:`plan_chart`) where the other formats print the per-interval table.
"""

from __future__ import annotations

from cs8._heatmap import Heatmap
from cs8.report import _svg
from cs8.report._lang import Language
from cs8.report._layout import Block, Chart, Heading, Para, Table
from cs8.report._report import ServiceReport
from cs8.report._staffing import StaffingSection

__all__ = ["plan_chart", "staffing_blocks"]


def _weekday(heat: Heatmap, row: int, lang: Language) -> str:
    day = heat.rows[row]
    return lang.label(f"weekday.{day if isinstance(day, int) else day.weekday()}")


def plan_chart(report: ServiceReport, chart: Chart, lang: Language) -> str:
    """Return the SVG of the plan's heatmap ``chart.index`` (0: required, 1: on shift).

    Example:
        >>> from cs8.datasets import sample_shop
        >>> from cs8.report import ServiceData, build_report
        >>> from cs8.report._lang import language
        >>> r = build_report(ServiceData.from_shop(sample_shop(n_customers=300, weeks=3)))
        >>> plan_chart(r, Chart("plan", 1), language("vi")).count("<rect")  # one per day and half hour
        336
    """
    plan = report.staffing_plan
    assert plan is not None
    heat = (plan.required, plan.coverage)[chart.index]
    rows = [_weekday(heat, r, lang) for r in range(len(heat.rows))]
    # Both maps on one scale, so a darker cell on shift than required reads as over-staffing.
    top = float(max(plan.required.max(), plan.coverage.max(), 1))
    # A slot nobody needs and nobody works is drawn empty, without a tooltip.
    grid = [
        [
            None if not plan.required.values[r][c] and not plan.coverage.values[r][c] else v
            for c, v in enumerate(line)
        ]
        for r, line in enumerate(heat.grid())
    ]
    return _svg.heatmap(
        chart.title,
        rows,
        grid,
        lambda v: lang.number(v, 0),
        low=0.0,
        high=top,
        columns=heat.column_labels(),
    )


def _channels(plan: StaffingSection, lang: Language) -> Table:
    headers = tuple(
        lang.label(k)
        for k in (
            "col.channel",
            "col.aht",
            "col.concurrency",
            "col.history_days",
            "col.forecast",
            "col.peak",
        )
    )
    rows = tuple(
        (
            lang.term("channel", c.channel),
            lang.duration(c.aht),
            lang.number(c.concurrency, 0),
            lang.number(c.history_days, 0),
            lang.number(c.contacts, 0),
            lang.number(c.peak, 0),
        )
        for c in plan.channels
    )
    return Table(headers, rows)


def _shifts(plan: StaffingSection, lang: Language) -> Table:
    days = tuple(lang.label(f"weekday.{d.weekday()}") for d in plan.days)
    headers = (
        lang.label("col.shift"),
        lang.label("col.start"),
        lang.label("col.paid_hours"),
        *days,
        lang.label("col.cost"),
    )
    rows = tuple(
        (
            s.shift,
            s.start,
            lang.number(s.hours, 1),
            *(lang.number(c, 0) if c else "" for c in s.counts),
            lang.number(s.cost, 1),
        )
        for s in plan.shifts
    )
    return Table(headers, rows)


def _days(plan: StaffingSection, lang: Language) -> Table:
    headers = tuple(
        lang.label(k)
        for k in (
            "col.date",
            "col.required",
            "col.on_shift",
            "col.under",
            "col.over",
            "col.short_intervals",
        )
    )
    rows = tuple(
        (
            f"{lang.label(f'weekday.{d.day.weekday()}')} {lang.date(d.day)}",
            lang.number(d.required, 1),
            lang.number(d.scheduled, 1),
            lang.number(d.under, 1),
            lang.number(d.over, 1),
            lang.number(d.short_intervals, 0),
        )
        for d in plan.per_day
    )
    tones = tuple("missed" if d.under else None for d in plan.per_day)
    return Table(headers, rows, tones)


def _intervals(plan: StaffingSection, lang: Language) -> Table:
    """Required / on shift per interval: a row per interval anyone is needed or on shift."""
    days = tuple(_weekday(plan.required, r, lang) for r in range(len(plan.days)))
    rows, tones = [], []
    for c, label in enumerate(plan.required.column_labels()):
        need = [plan.required.values[r][c] or 0 for r in range(len(plan.days))]
        have = [plan.coverage.values[r][c] or 0 for r in range(len(plan.days))]
        if not any(need) and not any(have):
            continue
        cells = [
            f"{lang.number(n, 0)} / {lang.number(h, 0)}" for n, h in zip(need, have, strict=True)
        ]
        rows.append((label, *cells))
        tones.append("missed" if any(h < n for n, h in zip(need, have, strict=True)) else None)
    return Table(("", *days), tuple(rows), tuple(tones))


def staffing_blocks(report: ServiceReport, lang: Language, charts: bool) -> list[Block]:
    """Return the staffing plan's blocks (with ``charts``, heatmaps replace the interval table).

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> from cs8.report._lang import language
        >>> [b.text for b in staffing_blocks(build_report(ServiceData()), language("en"), False)][1]
        'No staffing plan: it needs numpy and, for a planned channel, at least ten answered contacts over three days.'
    """
    plan = report.staffing_plan
    if plan is None:
        return [
            Heading(lang.label("section.staffing_plan", start="-")),
            Para(lang.label("plan.none")),
        ]
    blocks: list[Block] = [
        Heading(lang.label("section.staffing_plan", start=lang.date(plan.days[0]))),
        Para(
            lang.label(
                "plan.method",
                method=plan.method,
                minutes=f"{plan.interval / 60:.0f}",
                level=lang.percent(report.service_level_target, 0),
                seconds=f"{report.answer_within:.0f}",
                shrinkage=lang.percent(report.shrinkage, 0),
            )
        ),
        Heading(lang.label("plan.channels"), 3),
        _channels(plan, lang),
    ]
    if charts:
        blocks += [
            Chart("plan", 0, lang.label("plan.required")),
            Chart("plan", 1, lang.label("plan.coverage")),
        ]
    else:
        blocks += [Heading(lang.label("plan.intervals"), 3), _intervals(plan, lang)]
    gap = lang.percent(plan.gap, 1) if plan.gap != float("inf") else "∞"
    blocks += [
        Heading(lang.label("plan.days"), 3),
        _days(plan, lang),
        Heading(lang.label("plan.shifts"), 3),
        _shifts(plan, lang),
        Para(
            lang.label(
                "plan.summary",
                cost=lang.number(plan.cost, 1),
                bound=lang.number(plan.lower_bound, 1),
                gap=gap,
                solver=lang.label(f"solver.{plan.solver}"),
            )
        ),
    ]
    return blocks
