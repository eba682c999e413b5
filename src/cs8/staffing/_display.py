"""Text and HTML rendering of one-record results (staffing, and the KPI survey and customer results).

Example:
    >>> print(_text_table("Queue", {"agents": 14, "occupancy": 0.714285}))
    Queue
      agents     14
      occupancy  0.714285
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import timedelta

__all__ = ["_html_table", "_text_table"]


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, timedelta):
        return f"{value.total_seconds():.6g} s"
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value) if value else "-"
    return str(value)


def _text_table(title: str, fields: Mapping[str, object]) -> str:
    width = max((len(k) for k in fields), default=0)
    lines = [title]
    lines.extend(f"  {key.ljust(width)}  {_fmt(value)}" for key, value in fields.items())
    return "\n".join(lines)


def _html_table(title: str, fields: Mapping[str, object]) -> str:
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:right'>{html.escape(_fmt(v))}</td></tr>"
        for k, v in fields.items()
    )
    return f"<table><caption>{html.escape(title)}</caption>{rows}</table>"
