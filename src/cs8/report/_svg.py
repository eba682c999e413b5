"""Small hand-made SVG charts: lines with interval bands, bars, a heatmap and a flow graph.

Hand-written rather than plotly or Altair because the report must stay one small file that opens
offline and in e-mail: plotly inlines its 4.8 MB library per page and Altair about 0.9 MB, while
each chart here is a few kilobytes of plain SVG with no script. Every chart has a fixed
``width``/``height`` and a ``<title>`` for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

import attrs

__all__ = ["Line", "bars", "flow_graph", "heatmap", "line_chart"]

PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d")
_W, _H = 460, 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 12, 14, 36
_FONT = 'font-family="Segoe UI, Roboto, Noto Sans, DejaVu Sans, sans-serif" font-size="11"'


@attrs.frozen(kw_only=True)
class Line:
    """One line of a line chart, with an optional band (``low``/``high``)."""

    name: str
    values: Sequence[float | None]
    low: Sequence[float | None] = ()
    high: Sequence[float | None] = ()


def _open(title: str, width: int = _W, height: int = _H) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" {_FONT}>',
        f"<title>{escape(title)}</title>",
    ]


def _legend(index: int, spacing: int, colour: str, name: str) -> str:
    x = _LEFT + 8 + index * spacing
    return (
        f'<rect x="{x}" y="{_TOP - 10}" width="10" height="10" fill="{colour}"/>'
        f'<text x="{x + 14}" y="{_TOP - 1}" fill="#333">{escape(name)}</text>'
    )


def _nice_max(top: float) -> float:
    if top <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(top))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= top:
            return step * power
    return 10 * power


def _axis(
    parts: list[str], low: float, high: float, fmt: Callable[[float], str], width: int, height: int
) -> Callable[[float], float]:
    span = high - low or 1.0
    inner = height - _TOP - _BOTTOM

    def y(v: float) -> float:
        return _TOP + inner * (1 - (v - low) / span)

    # Four steps, or fewer when the labels would repeat (a count axis from 0 to 2).
    steps = next(
        (n for n in (4, 2) if len({fmt(low + span * k / n) for k in range(n + 1)}) == n + 1), 1
    )
    for k in range(steps + 1):
        v = low + span * k / steps
        parts.append(
            f'<line x1="{_LEFT}" x2="{width - _RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#e3e6ea" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#555">'
            f"{escape(fmt(v))}</text>"
        )
    return y


def _x_labels(parts: list[str], labels: Sequence[str], xs: Sequence[float], height: int) -> None:
    every = max(1, math.ceil(len(labels) / 7))
    for k, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if k % every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - _BOTTOM + 16}" text-anchor="middle" '
                f'fill="#555">{escape(label)}</text>'
            )


def _known(value: float | None) -> float:
    assert value is not None
    return value


def _runs(low: Sequence[float | None], high: Sequence[float | None]) -> list[list[int]]:
    """Index runs where both band ends are known: a band is drawn per run, never across a gap.

    Example:
        >>> _runs([0, 1, None, 2, 3], [1, 2, None, 3, 4])
        [[0, 1], [3, 4]]
    """
    runs: list[list[int]] = []
    current: list[int] = []
    for k, (a, b) in enumerate(zip(low, high, strict=False)):
        if a is None or b is None:
            current = []
            continue
        if not current:
            runs.append(current)
        current.append(k)
    return [run for run in runs if run]


def line_chart(
    title: str,
    labels: Sequence[str],
    lines: Sequence[Line],
    fmt: Callable[[float], str],
    *,
    floor: float | None = 0.0,
    ceiling: float | None = None,
) -> str:
    """Return an SVG line chart of ``lines`` over ``labels``, bands drawn under the lines.

    Example:
        >>> svg = line_chart("t", ["a", "b"], [Line(name="x", values=[1, 2], low=[0, 1],
        ...                  high=[2, 3])], str)
        >>> svg.startswith("<svg") and "<path" in svg and "<polygon" in svg
        True
    """
    parts = _open(title)
    seen = [
        v
        for line in lines
        for seq in (line.values, line.high, line.low)
        for v in seq
        if v is not None
    ]
    if not seen or not labels:
        parts.append(f'<text x="{_W / 2}" y="{_H / 2}" text-anchor="middle" fill="#888">-</text>')
        return "".join(parts) + "</svg>"
    low = floor if floor is not None else min(seen)
    high = ceiling if ceiling is not None else _nice_max(max(seen))
    if floor is None:
        low = -_nice_max(-min(seen)) if min(seen) < 0 else 0.0
        high = _nice_max(max(seen)) if max(seen) > 0 else 0.0
    y = _axis(parts, low, high, fmt, _W, _H)
    n = len(labels)
    step = (_W - _LEFT - _RIGHT) / max(n, 1)
    xs = [_LEFT + step * (k + 0.5) for k in range(n)]
    for i, line in enumerate(lines):
        colour = PALETTE[i % len(PALETTE)]
        for run in _runs(line.low, line.high):
            if len(run) == 1:  # an isolated period: its interval as a bar
                k = run[0]
                parts.append(
                    f'<line x1="{xs[k]:.1f}" x2="{xs[k]:.1f}" y1="{y(_known(line.low[k])):.1f}" '
                    f'y2="{y(_known(line.high[k])):.1f}" stroke="{colour}" stroke-opacity="0.3" '
                    'stroke-width="6"/>'
                )
                continue
            upper = [(xs[k], y(_known(line.high[k]))) for k in run]
            lower = [(xs[k], y(_known(line.low[k]))) for k in reversed(run)]
            points = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower)
            parts.append(
                f'<polygon points="{points}" fill="{colour}" fill-opacity="0.15" stroke="none"/>'
            )
        path, pen = [], "M"
        for k, v in enumerate(line.values):
            if v is None:
                pen = "M"
                continue
            path.append(f"{pen}{xs[k]:.1f},{y(v):.1f}")
            pen = "L"
        if path:
            parts.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for k, v in enumerate(line.values):
            if v is not None:
                parts.append(f'<circle cx="{xs[k]:.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"/>')
        if len(lines) > 1:
            parts.append(_legend(i, 90, colour, line.name))
    _x_labels(parts, labels, xs, _H)
    return "".join(parts) + "</svg>"


def bars(
    title: str,
    labels: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float | None]]],
    fmt: Callable[[float], str],
    *,
    ceiling: float | None = None,
    floor: float = 0.0,
) -> str:
    """Return an SVG bar chart: one bar per series in each label's slot (bars may be negative).

    Example:
        >>> "<rect" in bars("t", ["a", "b"], [("n", [3, 5])], str)
        True
    """
    parts = _open(title)
    seen = [v for _, values in groups for v in values if v is not None]
    if not seen or not labels:
        parts.append(f'<text x="{_W / 2}" y="{_H / 2}" text-anchor="middle" fill="#888">-</text>')
        return "".join(parts) + "</svg>"
    high = ceiling if ceiling is not None else _nice_max(max(max(seen), 0.0))
    low = min(floor, -_nice_max(-min(seen))) if min(seen) < 0 else floor
    y = _axis(parts, low, high, fmt, _W, _H)
    n = len(labels)
    slot = (_W - _LEFT - _RIGHT) / n
    width = slot * 0.8 / len(groups)
    xs = [_LEFT + slot * (k + 0.5) for k in range(n)]
    for i, (name, values) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        for k, v in enumerate(values):
            if v is None:
                continue
            x = _LEFT + slot * k + slot * 0.1 + width * i
            top, bottom = y(max(v, 0.0)), y(min(v, 0.0))
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{max(bottom - top, 0.5):.1f}" fill="{colour}">'
                f"<title>{escape(labels[k])}: {escape(fmt(v))}</title></rect>"
            )
        if len(groups) > 1:
            parts.append(_legend(i, 120, colour, name))
    _x_labels(parts, labels, xs, _H)
    return "".join(parts) + "</svg>"


def heatmap(
    title: str,
    rows: Sequence[str],
    grid: Sequence[Sequence[float | None]],
    fmt: Callable[[float], str],
    *,
    low: float | None = None,
    high: float | None = None,
    columns: Sequence[str] | None = None,
) -> str:
    """Return an SVG heatmap: ``grid[r][c]`` shaded from white to blue, empty cells grey (no tooltip).

    ``columns`` names the columns (tooltips and axis); by default they are hours ``0``-``23``.

    Example:
        >>> svg = heatmap("t", ["Mon"], [[0, 1, None]], str)
        >>> svg.count("<rect") >= 3
        True
    """
    cols = max((len(r) for r in grid), default=0)
    heads = list(columns) if columns is not None else [f"{c:02d}h" for c in range(cols)]
    ticks = list(columns) if columns is not None else [str(c) for c in range(cols)]
    step = 3 if columns is None else max(1, cols // 8)
    cell, left, top = 18, 34, 8
    width, height = left + cols * cell + 8, top + len(rows) * cell + 22
    parts = _open(title, width, height)
    values = [v for r in grid for v in r if v is not None]
    lo = low if low is not None else min(values, default=0.0)
    hi = high if high is not None else max(values, default=1.0)
    span = hi - lo or 1.0
    for r, (name, line) in enumerate(zip(rows, grid, strict=True)):
        y = top + r * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + cell * 0.65:.1f}" text-anchor="end" '
            f'fill="#333">{escape(name)}</text>'
        )
        for c, v in enumerate(line):
            x = left + c * cell
            if v is None:  # nothing to tell: no tooltip (keeps the page small)
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="#f1f2f4"/>'
                )
                continue
            t = max(0.0, min(1.0, (v - lo) / span))
            shade = (
                int(247 - t * (247 - 31)),
                int(251 - t * (251 - 95)),
                int(255 - t * (255 - 168)),
            )
            fill, tip = "#{:02x}{:02x}{:02x}".format(*shade), fmt(v)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{fill}"><title>{escape(name)} {escape(heads[c])}: {escape(tip)}</title></rect>'
            )
    for c in range(0, cols, step):
        parts.append(
            f'<text x="{left + c * cell + cell / 2 - 1:.1f}" y="{height - 6}" '
            f'text-anchor="middle" fill="#555">{escape(ticks[c])}</text>'
        )
    return "".join(parts) + "</svg>"


def flow_graph(
    title: str,
    nodes: Sequence[str],
    edges: Sequence[tuple[int, int, float]],
    fmt: Callable[[float], str],
) -> str:
    """Return an SVG directly-follows graph: ``nodes`` in a row, ``edges`` as weighted arcs.

    ``nodes`` are names in reading order; ``edges`` are ``(from, to, weight)`` with node indices. An edge forward along the row arcs
    above it, an edge back arcs below, a node to itself is a loop over the node; each stroke is
    as wide as its weight allows (1 to 7 px) and carries its weight as a label and a tooltip.

    Example:
        >>> svg = flow_graph("t", ["ask", "buy"], [(0, 1, 3), (1, 0, 1), (1, 1, 2)], str)
        >>> svg.count("marker-end="), svg.count("<rect")
        (3, 2)
    """
    box_w, box_h, gap = 84, 34, 26
    n = len(nodes)
    reach = max((abs(b - a) for a, b, _ in edges), default=1) or 1
    lift = 24 + 22 * reach  # room for the tallest arc above and below
    width = max(_W, 16 + n * box_w + max(n - 1, 0) * gap + 16)
    height = 2 * lift + box_h + 28
    mid = lift + box_h / 2
    parts = _open(title, width, height)
    if not nodes:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#888">-</text>'
        )
        return "".join(parts) + "</svg>"
    parts.append(
        '<defs><marker id="cs8-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/>'
        "</marker></defs>"
    )
    xs = [16 + k * (box_w + gap) + box_w / 2 for k in range(n)]
    top = max((w for _, _, w in edges), default=1.0) or 1.0
    for a, b, weight in sorted(edges, key=lambda e: e[2]):
        stroke = 1 + 6 * weight / top
        tip = f"{nodes[a]} > {nodes[b]}: {fmt(weight)}"
        if a == b:
            x, y = xs[a], mid - box_h / 2
            d = f"M{x - 10:.1f},{y:.1f} C{x - 22:.1f},{y - 30:.1f} {x + 22:.1f},{y - 30:.1f} {x + 10:.1f},{y:.1f}"
            lx, ly = x, y - 26
        else:
            up = b > a
            y = mid - box_h / 2 if up else mid + box_h / 2
            bend = (22 + 22 * abs(b - a)) * (-1 if up else 1)
            x1, x2 = xs[a] + (8 if up else -8), xs[b] + (-8 if up else 8)
            d = f"M{x1:.1f},{y:.1f} Q{(x1 + x2) / 2:.1f},{y + 2 * bend:.1f} {x2:.1f},{y:.1f}"
            lx, ly = (x1 + x2) / 2, y + bend + (-3 if up else 11)
        parts.append(
            f'<path d="{d}" fill="none" stroke="#1f5fa8" stroke-opacity="0.55" '
            f'stroke-width="{stroke:.1f}" marker-end="url(#cs8-arrow)"><title>{escape(tip)}</title>'
            "</path>"
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" fill="#333">{escape(fmt(weight))}</text>'
        )
    for k, name in enumerate(nodes):
        x = xs[k] - box_w / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{mid - box_h / 2:.1f}" width="{box_w}" height="{box_h}" rx="5" '
            f'fill="#eef2f6" stroke="#1f5fa8"><title>{escape(name)}</title></rect>'
        )
        parts.append(
            f'<text x="{xs[k]:.1f}" y="{mid + 4:.1f}" text-anchor="middle" fill="#1d2733" '
            f'font-weight="600">{escape(name)}</text>'
        )
    return "".join(parts) + "</svg>"
