"""Plain text and Markdown renderings of the report's blocks (charts are HTML only)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from cs8.io._source import escape
from cs8.report._layout import Block, Chart, Heading, Para, Table, layout
from cs8.report._report import ServiceReport

__all__ = ["to_markdown", "to_text"]


def _shown(text: str) -> str:
    """``text`` with control characters escaped: ids, names and teams come from the data, and
    the text and Markdown forms are printed to terminals (``cs8 report``)."""
    return escape(text, limit=len(text))


def _blocks(report: ServiceReport, lang: str, max_rows: int | None = None) -> Iterator[Block]:
    """The layout's blocks with every text escaped (:func:`_shown`)."""
    for block in layout(report, lang, max_rows=max_rows):
        if isinstance(block, Heading):
            yield Heading(_shown(block.text), block.level)
        elif isinstance(block, Para):
            yield Para(_shown(block.text))
        elif isinstance(block, Table):
            headers = tuple(_shown(h) for h in block.headers)
            rows = tuple(tuple(_shown(c) for c in row) for row in block.rows)
            yield attrs.evolve(block, headers=headers, rows=rows)
        else:
            yield block


def _text_table(table: Table) -> list[str]:
    grid = [table.headers, *table.rows]
    widths = [max(len(row[i]) for row in grid) for i in range(len(table.headers))]
    lines = []
    for k, row in enumerate(grid):
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
        if k == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def to_text(report: ServiceReport, lang: str) -> str:
    """Return the report as aligned plain text.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> to_text(build_report(ServiceData()), "en").splitlines()[1]
        'Period: no records'
    """
    lines: list[str] = []
    for block in _blocks(report, lang):
        if isinstance(block, Heading):
            if block.level == 1:
                lines.append(block.text)
                continue
            lines += ["", block.text, ("=" if block.level == 2 else "-") * len(block.text)]
        elif isinstance(block, Para):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += _text_table(block)
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or " "


def to_markdown(report: ServiceReport, lang: str, *, max_rows: int | None = None) -> str:
    """Return the report as Markdown with GitHub tables.

    Example:
        >>> from cs8.report import ServiceData, build_report
        >>> "| Pillar |" in to_markdown(build_report(ServiceData()), "en")
        True
    """
    out: list[str] = []
    for block in _blocks(report, lang, max_rows):
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Para):
            out += [block.text, ""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_cell(h) for h in block.headers) + " |")
            out.append("|" + "|".join(" --- " for _ in block.headers) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Chart):
            continue
    return "\n".join(out).rstrip() + "\n"
