"""The report's charts as matplotlib figures, for users who want a chart alone.

Each function takes a :class:`~cs8.report.ServiceReport` and returns a
``matplotlib.figure.Figure`` (the ``plot`` extra); nothing is shown or saved, so the caller
decides (``fig.savefig(...)``). Labels come from the same catalogue as the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs8._optional import require
from cs8.report._lang import language
from cs8.report._model import period_label
from cs8.report._report import ServiceReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

__all__ = [
    "plot_backlog",
    "plot_first_reply_buckets",
    "plot_heatmap",
    "plot_staffing",
    "plot_trend",
]


def _figure(purpose: str) -> MplFigure:
    figure_module = require("matplotlib.figure", "plot", purpose)
    fig: MplFigure = figure_module.Figure(figsize=(8, 3.2), layout="constrained")
    return fig


def plot_trend(report: ServiceReport, key: str, *, lang: str = "en") -> MplFigure:
    """Return the trend of one series (``"kpi.csat"``, ``"trend.first_reply"`` ...) with its band.

    Durations are drawn in hours (median with its interval, and p90).

    Raises:
        KeyError: If the report has no series ``key``.
        MissingExtraError: If matplotlib is not installed.

    Example:
        >>> from cs8.datasets import sample_shop
        >>> from cs8.report import ServiceData, build_report
        >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=100, weeks=3)))
        >>> len(plot_trend(report, "kpi.csat").axes)
        1
    """
    series = {s.key: s for s in report.trends}
    if key not in series:
        raise KeyError(f"plot_trend: no series {key!r}; the report has {sorted(series)}")
    entry = language(lang)
    points = series[key].points
    scale = 3600.0 if series[key].unit == "seconds" else 1.0
    x = [period_label(d, report.period) for d in report.periods]

    def scaled(values: list[float | None]) -> list[float]:
        return [float("nan") if v is None else v / scale for v in values]

    fig = _figure("plot_trend")
    ax = fig.add_subplot()
    ax.plot(
        x,
        scaled([p.value for p in points]),
        marker="o",
        label=entry.label("series.median") if scale != 1.0 else entry.labels[key].split(" (")[0],
    )
    ax.fill_between(x, scaled([p.low for p in points]), scaled([p.high for p in points]), alpha=0.2)
    if scale != 1.0:
        ax.plot(x, scaled([p.p90 for p in points]), marker=".", label=entry.label("series.p90"))
        ax.set_ylabel(entry.units["h"])
    ax.set_title(entry.labels[key].format(seconds=f"{report.answer_within:.0f}"))
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend()
    return fig


def plot_first_reply_buckets(report: ServiceReport, *, lang: str = "en") -> MplFigure:
    """Return the first-reply distribution in Chatwoot's buckets as bars.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> len(plot_first_reply_buckets(build_report(ServiceData())).axes[0].patches)
        5
    """
    entry = language(lang)
    fig = _figure("plot_first_reply_buckets")
    ax = fig.add_subplot()
    ax.bar([entry.label(f.key) for f in report.buckets], [f.value or 0 for f in report.buckets])
    ax.set_title(entry.label("section.buckets"))
    return fig


def plot_heatmap(report: ServiceReport, which: int = 0, *, lang: str = "en") -> MplFigure:
    """Return heatmap ``which`` (0: arrivals, 1: service level) by weekday and local hour.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> len(plot_heatmap(build_report(ServiceData()), 1).axes)
        2
    """
    entry = language(lang)
    heat = report.heatmaps[which]
    grid = [[float("nan") if v is None else v for v in line] for line in heat.grid()]
    fig = _figure("plot_heatmap")
    ax = fig.add_subplot()
    image = ax.imshow(grid, aspect="auto", cmap="Blues")
    ax.set_yticks(range(7), [entry.label(f"weekday.{d}") for d in range(7)])
    ax.set_xticks(range(0, 24, 3))
    ax.set_title(entry.label(heat.key))
    fig.colorbar(image, ax=ax)
    return fig


def plot_backlog(report: ServiceReport, *, lang: str = "en") -> MplFigure:
    """Return the open tickets at the end of each day.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> len(plot_backlog(build_report(ServiceData())).axes)
        1
    """
    entry = language(lang)
    fig = _figure("plot_backlog")
    ax = fig.add_subplot()
    ax.plot([entry.date(d) for d, _ in report.backlog], [n for _, n in report.backlog])
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_title(entry.label("kpi.backlog"))
    return fig


def plot_staffing(report: ServiceReport, *, lang: str = "en") -> MplFigure:
    """Return the Erlang C agents needed and scheduled per local hour.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> len(plot_staffing(build_report(ServiceData())).axes)
        1
    """
    entry = language(lang)
    fig = _figure("plot_staffing")
    ax = fig.add_subplot()
    hours = [r.hour for r in report.staffing]
    ax.bar(
        [h - 0.2 for h in hours],
        [r.agents for r in report.staffing],
        width=0.4,
        label=entry.label("col.agents"),
    )
    ax.bar(
        [h + 0.2 for h in hours],
        [r.scheduled for r in report.staffing],
        width=0.4,
        label=entry.label("col.scheduled"),
    )
    ax.set_title(entry.label("kpi.staffing"))
    ax.legend()
    return fig
