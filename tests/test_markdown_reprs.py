"""Every result that renders as HTML in a notebook renders as Markdown too, bounded in size."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import UTC, datetime

import cs8
from cs8 import Agent, Ticket
from cs8.datasets import sample_shop
from cs8.kpi import csat, first_reply_time
from cs8.routing import Router


def _result_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(cs8.__path__, "cs8."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            here = inspect.isclass(obj) and obj.__module__ == module.__name__
            if here and hasattr(obj, "_repr_html_"):
                found.append(obj)
    return found


def test_every_class_with_an_html_repr_has_a_markdown_repr() -> None:
    classes = _result_classes()
    assert len(classes) > 30
    assert [c.__qualname__ for c in classes if not hasattr(c, "_repr_markdown_")] == []


def test_a_rate_and_duration_stats_render_as_markdown_tables() -> None:
    shop = sample_shop()
    assert "| value |" in csat([5, 4, 2])._repr_markdown_()
    text = first_reply_time(shop.tickets)._repr_markdown_()
    assert text.startswith("**Durations (n=")
    assert "| median |" in text


def test_a_backlog_of_fifty_decisions_shows_twenty_rows_and_says_how_many_more() -> None:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    tickets = [
        Ticket(id=f"T{i:02d}", customer_id="C", channel="email", created_at=t0) for i in range(50)
    ]
    result = Router().assign(tickets, [Agent(id="a1", capacity=5)], now=t0)
    text = result._repr_markdown_()
    assert text.count("\n| T") == 20
    assert "30 more rows" in text


def test_a_load_result_summarises_instead_of_dumping_its_records() -> None:
    from cs8.io import LoadResult

    result = LoadResult(records=tuple(range(5000)), rejected=(), rows_read=5000, source="big.csv")
    assert (
        repr(result) == "LoadResult(source='big.csv', records=5,000, rejected=0, rows_read=5,000)"
    )
    assert len(result._repr_html_()) < 2000
    assert "| records | 5000 |" in result._repr_markdown_()
