"""The journeys section laid out: funnel and path tables, and its two charts (HTML only).

The funnel chart is bars of entered and went-on customers per stage; the directly-follows graph
is drawn by :func:`cs8.report._svg.flow_graph` with the stages in funnel order, its
:data:`GRAPH_EDGES` most frequent edges (the rest are in the JSON report, and the text and
Markdown formats list the same edges as a table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs8.report import _svg
from cs8.report._lang import Language
from cs8.report._layout import Block, Chart, Heading, Para, Table

if TYPE_CHECKING:
    from cs8.report._report import ServiceReport

__all__ = ["GRAPH_EDGES", "follows_svg", "funnel_svg", "journey_blocks"]

GRAPH_EDGES = 12
"""Edges drawn in the directly-follows graph and listed in its table, the most frequent first."""


def _stage(name: str, lang: Language) -> str:
    return lang.term("stage", name)


def journey_blocks(report: ServiceReport, lang: Language, charts: bool) -> list[Block]:
    """Return the journeys section's blocks (a note alone when the data has no orders).

    Example:
        >>> from cs8.report import ServiceData, build_report, language
        >>> blocks = journey_blocks(build_report(ServiceData()), language("en"), False)
        >>> [b.text for b in blocks if isinstance(b, Para)]
        ['No orders in the data, so there are no journeys to show (they need orders).']
    """
    blocks: list[Block] = [Heading(lang.label("section.journeys"))]
    section = report.journeys
    if section is None:
        return [*blocks, Para(lang.label("journeys.no_orders"))]
    n = lang.number
    blocks.append(Para(lang.label("journeys.customers", n=n(section.customers, 0))))
    blocks.append(Chart("funnel", 0, lang.label("journeys.funnel")))
    headers = tuple(
        lang.label(k)
        for k in ("col.stage", "col.entered", "col.completed", "col.dropped", "col.time_to_next")
    )
    rows = tuple(
        (
            _stage(s.stage, lang),
            n(s.entered, 0),
            n(s.completed, 0),
            n(s.dropped, 0),
            lang.label("no_data") if s.median_seconds is None else lang.duration(s.median_seconds),
        )
        for s in section.stages
    )
    blocks.append(Table(headers, rows))
    blocks.append(Heading(lang.label("journeys.paths"), 3))
    paths = tuple(
        (
            " > ".join(_stage(s, lang) for s in p.path),
            n(p.customers, 0),
            lang.percent(p.customers / section.customers) if section.customers else "",
        )
        for p in section.paths
    )
    path_headers = (lang.label("col.path"), lang.label("col.customers"), lang.label("col.share"))
    blocks.append(Table(path_headers, paths))
    shown = n(len(section.paths), 0)
    blocks.append(Para(lang.label("journeys.more_paths", shown=shown, n=n(section.variants, 0))))
    blocks.append(Heading(lang.label("journeys.graph"), 3))
    edges = section.follows[:GRAPH_EDGES]
    if charts:
        blocks.append(Chart("follows", 0, lang.label("journeys.graph")))
    else:
        edge_headers = (lang.label("col.from"), lang.label("col.to"), lang.label("col.count"))
        edge_rows = tuple(
            (_stage(e.source, lang), _stage(e.target, lang), n(e.count, 0)) for e in edges
        )
        blocks.append(Table(edge_headers, edge_rows))
    note = lang.label("journeys.graph_note", shown=n(len(edges), 0), n=n(len(section.follows), 0))
    return [*blocks, Para(note)]


def funnel_svg(report: ServiceReport, chart: Chart, lang: Language) -> str:
    """Return the funnel's bars: customers who entered and who went on, per stage.

    Example:
        >>> from cs8.report import ServiceData, build_report, language
        >>> funnel_svg(build_report(ServiceData()), Chart("funnel"), language("en"))[:4]
        '<svg'
    """
    stages = report.journeys.stages if report.journeys is not None else ()
    names = [_stage(s.stage, lang) for s in stages]
    groups: list[tuple[str, list[float | None]]] = [
        (lang.label("col.entered"), [float(s.entered) for s in stages]),
        (lang.label("col.completed"), [float(s.completed) for s in stages]),
    ]
    return _svg.bars(chart.title, names, groups, lambda v: lang.number(v, 0))


def follows_svg(report: ServiceReport, chart: Chart, lang: Language) -> str:
    """Return the directly-follows graph: stages in funnel order, the most frequent edges.

    Example:
        >>> from cs8.report import ServiceData, build_report, language
        >>> follows_svg(build_report(ServiceData()), Chart("follows"), language("en"))[:4]
        '<svg'
    """
    section = report.journeys
    if section is None:
        return _svg.flow_graph(chart.title, [], [], str)
    order = [s.stage for s in section.stages]
    edges = section.follows[:GRAPH_EDGES]
    order += sorted({name for e in edges for name in (e.source, e.target)} - set(order))
    index = {name: k for k, name in enumerate(order)}
    nodes = [_stage(name, lang) for name in order]
    drawn = [(index[e.source], index[e.target], float(e.count)) for e in edges]
    return _svg.flow_graph(chart.title, nodes, drawn, lambda v: lang.number(v, 0))
