"""The plot_* functions return matplotlib figures of the report's charts."""

from __future__ import annotations

import pytest

from cs8.report import (
    ServiceReport,
    plot_backlog,
    plot_first_reply_buckets,
    plot_heatmap,
    plot_staffing,
    plot_trend,
)

pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")


def test_each_plot_returns_a_figure_with_data(quarter_report: ServiceReport) -> None:
    from matplotlib.figure import Figure

    figures = [
        plot_trend(quarter_report, "trend.first_reply", lang="vi"),
        plot_first_reply_buckets(quarter_report),
        plot_heatmap(quarter_report, 1),
        plot_backlog(quarter_report),
        plot_staffing(quarter_report),
    ]
    assert all(isinstance(f, Figure) for f in figures)
    assert all(f.axes[0].has_data() for f in figures)


def test_unknown_series_names_the_known_ones(quarter_report: ServiceReport) -> None:
    with pytest.raises(KeyError, match=r"kpi\.csat"):
        plot_trend(quarter_report, "kpi.nothing")
