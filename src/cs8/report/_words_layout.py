"""The "what customers wrote" section laid out: sentiment and flag counts, the flagged messages."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cs8.report._lang import Language
from cs8.report._layout import Block, Heading, Para, Table

if TYPE_CHECKING:
    from cs8.report._report import ServiceReport

__all__ = ["words_blocks"]


def words_blocks(report: ServiceReport, lang: Language) -> list[Block]:
    """Return the section's blocks (a note alone when no message has a text).

    Example:
        >>> from cs8.report import ServiceData, build_report, language
        >>> [b.text for b in words_blocks(build_report(ServiceData()), language("en"))][1]
        'No customer message has a text, so there is nothing to read.'
    """
    blocks: list[Block] = [Heading(lang.label("section.words"))]
    section = report.words
    if section is None:
        return [*blocks, Para(lang.label("words.none"))]
    n = section.messages
    blocks.append(Para(lang.label("words.intro", n=lang.number(n, 0))))
    share = lang.label("col.share")
    for column, kind, counts in (
        ("col.sentiment", "sentiment", section.sentiment),
        ("col.flag", "flag", section.flags),
    ):
        rows = tuple(
            (lang.term(kind, key), lang.number(count, 0), lang.percent(count / n))
            for key, count in counts
        )
        blocks.append(Table((lang.label(column), lang.label("col.count"), share), rows))
    blocks.append(Heading(lang.label("words.flagged"), 3))
    if not section.flagged:
        return [*blocks, Para(lang.label("sla.none"))]
    zone = ZoneInfo(report.zone)
    headers = tuple(lang.label(k) for k in ("col.ticket", "col.date", "col.flag", "col.evidence"))
    listed = tuple(
        (
            m.ticket_id,
            lang.datetime(m.at.astimezone(zone)),
            ", ".join(lang.term("flag", f) for f in m.flags),
            ", ".join(m.evidence),
        )
        for m in section.flagged
    )
    return [*blocks, Table(headers, listed)]
