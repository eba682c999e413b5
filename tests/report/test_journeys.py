"""The report's customer journeys: the funnel, paths and graph of the sample, in every format."""

from __future__ import annotations

import json
import re

import pytest

from cs8.customers import journey_funnel
from cs8.datasets import SampleShop
from cs8.report import ServiceData, ServiceReport, build_report
from cs8.report._journeys import TOP_PATHS
from cs8.report._journeys_layout import GRAPH_EDGES
from cs8.report._svg import flow_graph


def test_the_section_is_the_funnel_of_the_records(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    funnel = journey_funnel(
        tickets=quarter.tickets, orders=quarter.orders, interactions=quarter.interactions
    )
    section = quarter_report.journeys
    assert section is not None
    assert section.customers == funnel.customers
    assert [(s.stage, s.entered, s.completed, s.dropped) for s in section.stages] == [
        (s.stage, s.entered, s.completed, s.dropped) for s in funnel.steps
    ]
    assert [s.median_seconds for s in section.stages] == [
        None if s.median_time is None else s.median_time.total_seconds() for s in funnel.steps
    ]
    assert [(p.path, p.customers) for p in section.paths] == list(funnel.variants[:TOP_PATHS])
    assert section.variants == len(funnel.variants)
    assert {(e.source, e.target): e.count for e in section.follows} == dict(funnel.follows)
    counts = [e.count for e in section.follows]
    assert counts == sorted(counts, reverse=True)


def test_json_carries_the_journeys_in_seconds(quarter_report: ServiceReport) -> None:
    data = json.loads(quarter_report.to_json())["journeys"]
    first = data["stages"][0]
    assert first["stage"] == "ask"
    assert first["entered"] == first["completed"] + first["dropped"]
    assert isinstance(first["median_seconds"], float)
    assert data["paths"][0]["customers"] >= data["paths"][-1]["customers"]
    assert set(data["follows"][0]) == {"source", "target", "count"}


def test_markdown_shows_funnel_paths_and_edges(quarter_report: ServiceReport) -> None:
    section = quarter_report.journeys
    assert section is not None
    md = quarter_report.to_markdown()
    part = md[md.index("## Customer journeys") : md.index("## What was left out")]
    ask = section.stages[0]
    assert f"| ask | {ask.entered:,} | {ask.completed:,} | {ask.dropped:,} |" in part
    top = section.paths[0]
    assert f"| {' > '.join(top.path)} | {top.customers:,} |" in part
    edge = section.follows[0]
    assert f"| {edge.source} | {edge.target} | {edge.count:,} |" in part
    vi = quarter_report.to_markdown(lang="vi")
    assert "## Hành trình khách hàng" in vi
    assert "| mua lại |" in vi


def test_html_draws_the_funnel_and_the_graph(quarter_report: ServiceReport) -> None:
    page = quarter_report.to_html(lang="vi")
    part = page[page.index("Hành trình khách hàng") :]
    graph = part[part.index("Đồ thị kế tiếp trực tiếp") :]
    svg = graph[graph.index("<svg") : graph.index("</svg>")]
    # one arc per drawn edge, one box per stage, the counts as labels
    assert svg.count("marker-end=") == GRAPH_EDGES
    assert svg.count("<rect") == 6
    assert quarter_report.journeys is not None
    assert (
        "1.452" in svg or f"{quarter_report.journeys.follows[0].count:,}".replace(",", ".") in svg
    )


@pytest.mark.parametrize(
    ("lang", "note"),
    [("en", "No orders in the data"), ("vi", "Dữ liệu không có đơn hàng")],
)
def test_without_orders_the_section_is_a_note(small: SampleShop, lang: str, note: str) -> None:
    data = ServiceData(tickets=small.tickets[:50], interactions=small.interactions[:50])
    report = build_report(data)
    assert report.journeys is None
    assert json.loads(report.to_json())["journeys"] is None
    for text in (
        report.to_text(lang=lang),
        report.to_markdown(lang=lang),
        report.to_html(lang=lang),
    ):
        assert note in text
    assert 'id="cs8-arrow"' not in report.to_html()


def test_flow_graph_arcs_forward_above_and_back_below() -> None:
    svg = flow_graph("g", ["a", "b", "c"], [(0, 2, 4.0), (2, 0, 2.0), (1, 1, 1.0)], str)
    arcs = re.findall(r"<path d=\"M([\d.]+),([\d.]+) Q[\d.]+,(-?[\d.]+)", svg)
    (_fx, fy, fcy), (_bx, by, bcy) = arcs[1], arcs[0]  # drawn lightest first
    assert float(fcy) < float(fy)  # forward: the control point is above the boxes
    assert float(bcy) > float(by)  # back: below
    assert 'stroke-width="7.0"' in svg  # the heaviest edge is the widest
    assert ">4.0<" in svg
    assert ">2.0<" in svg
    assert flow_graph("g", [], [], str).count("marker-end=") == 0
