"""The names the report issue promises exist in cs8.report and the command line."""

from __future__ import annotations

import cs8.report


def test_report_names_exist() -> None:
    for name in (
        "ServiceData",
        "ServiceReport",
        "build_report",
        "ScorecardTargets",
        "PillarScore",
        "plot_trend",
        "plot_first_reply_buckets",
        "plot_heatmap",
        "plot_backlog",
        "plot_staffing",
        "language",
        "available_languages",
    ):
        assert hasattr(cs8.report, name), name


def test_service_report_renders_every_format() -> None:
    for method in ("to_text", "to_markdown", "to_html", "to_json", "to_dict"):
        assert callable(getattr(cs8.report.ServiceReport, method))
    assert hasattr(cs8.report.ServiceReport, "_repr_html_")
    assert hasattr(cs8.report.ServiceReport, "_repr_markdown_")
