"""JSON has numbers, Markdown tables, HTML one small self-contained page; all in both languages."""

from __future__ import annotations

import json
import re

import pytest

from cs8.datasets import SampleShop
from cs8.kpi import csat, first_reply_time
from cs8.report import ServiceData, ServiceReport, available_languages


def test_json_gives_durations_in_seconds_and_rates_as_fractions(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    data = json.loads(quarter_report.to_json())
    figures = {f["key"]: f for f in data["tickets"] + data["surveys"]}
    calendar = ServiceData.from_shop(quarter).calendar()
    stats = first_reply_time(quarter.tickets, calendar=calendar)
    assert stats.median is not None
    first_reply = figures["kpi.first_reply_business"]
    assert first_reply["value"] == stats.median.total_seconds()
    assert first_reply["n"] == stats.n
    assert first_reply["excluded"] == dict(stats.excluded)
    rate = csat(quarter.surveys)
    assert figures["kpi.csat"]["value"] == rate.value
    assert figures["kpi.csat"]["interval"] == [rate.ci_low, rate.ci_high]


def test_json_has_no_preformatted_numbers(quarter_report: ServiceReport) -> None:
    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in ("value", "n", "low", "high", "p90", "mean", "margin"):
                    assert inner is None or isinstance(inner, int | float), (key, inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(json.loads(quarter_report.to_json()))


def test_every_figure_in_json_has_n_interval_and_exclusions(quarter_report: ServiceReport) -> None:
    data = json.loads(quarter_report.to_json())
    for figure in data["tickets"] + data["contact"] + data["surveys"]:
        assert {"n", "interval", "excluded", "value", "unit"} <= set(figure)


def test_markdown_has_a_table_per_section(quarter_report: ServiceReport) -> None:
    text = quarter_report.to_markdown(lang="vi")
    assert text.startswith("# Báo cáo chăm sóc khách hàng")
    assert "| Trụ cột | Chỉ số |" in text
    assert "## Bảng điểm S8" in text


def test_html_is_small_and_self_contained(quarter_report: ServiceReport) -> None:
    page = quarter_report.to_html()
    assert len(page.encode("utf-8")) < 300_000
    assert "<script" not in page
    assert "<link" not in page
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * page.count(
        "<svg"
    )
    assert "@media print" in page
    assert '<table style="' in page


SECTIONS_EN = (
    "S8 scorecard",
    "Trends by week",
    "By channel",
    "By priority",
    "By customer segment",
    "By agent",
    "By team",
    "Time to first reply",
    "Arrivals by hour and weekday",
    "Service level by hour and weekday",
    "Backlog",
    "Attainment by metric and priority",
    "Breaches (",
    "At risk",
    "Contact centre",
    "Erlang C",
    "Surveys",
    "What was left out",
    "Definitions",
)


def test_html_has_every_section(quarter_report: ServiceReport) -> None:
    page = quarter_report.to_html()
    missing = [s for s in SECTIONS_EN if s not in page]
    assert missing == []
    assert page.count("<svg") >= 12


@pytest.mark.parametrize("lang", available_languages())
def test_every_format_renders_in_every_language(quarter_report: ServiceReport, lang: str) -> None:
    for text in (
        quarter_report.to_text(lang=lang),
        quarter_report.to_markdown(lang=lang),
        quarter_report.to_html(lang=lang),
    ):
        assert len(text) > 1000


def test_vietnamese_html_uses_vietnamese_numbers(quarter_report: ServiceReport) -> None:
    page = quarter_report.to_html(lang="vi")
    assert 'lang="vi"' in page
    assert "Bảng điểm S8" in page
    assert re.search(r"\d+,\d%", page)
    assert re.search(r"\d{2}/\d{2}/\d{4}", page)


def test_notebook_reprs_are_bounded(quarter_report: ServiceReport) -> None:
    html = quarter_report._repr_html_()
    markdown = quarter_report._repr_markdown_()
    assert html.startswith('<div class="cs8-report"')
    assert len(html) < len(quarter_report.to_html())
    assert markdown.count("| T0") <= 2 * 20
