"""journey_funnel: funnel counts against a brute force, variants, directly-follows graph."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Interaction, Order, Ticket
from cs8.customers import DEFAULT_STAGES, Stage, journey_funnel
from cs8.exceptions import InvalidValueError

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
STAGES = (
    Stage(name="ask", sources={"ticket", "interaction"}),
    Stage(name="buy", sources={"order"}, kinds={"purchase"}),
    Stage(name="rebuy", sources={"order"}, kinds={"purchase"}, occurrence=2),
)

# (customer, hour, what): what is "t" (ticket), "i" (interaction), "o" (order), "r" (refund)
events = st.lists(
    st.tuples(st.sampled_from("abcde"), st.integers(0, 500), st.sampled_from("tior")),
    max_size=30,
    unique_by=lambda e: (e[0], e[1]),
)


def records(
    rows: list[tuple[str, int, str]],
) -> tuple[list[Ticket], list[Order], list[Interaction]]:
    tickets, orders, contacts = [], [], []
    for n, (c, h, what) in enumerate(rows):
        at = T0 + timedelta(hours=h)
        if what == "t":
            tickets.append(Ticket(id=f"T{n}", customer_id=c, channel="email", created_at=at))
        elif what == "i":
            contacts.append(Interaction(id=f"I{n}", customer_id=c, channel="phone", started_at=at))
        else:
            orders.append(Order(id=f"O{n}", customer_id=c, at=at, amount=-5 if what == "r" else 5))
    return tickets, orders, contacts


def brute_force(rows: list[tuple[str, int, str]]) -> list[tuple[int, int, timedelta | None]]:
    # Closed funnel ask -> buy -> rebuy spelled out per customer.
    out = []
    reach: dict[str, list[int | None]] = {}
    for c in {r[0] for r in rows}:
        mine = sorted((h, w) for cc, h, w in rows if cc == c)
        asks = [h for h, w in mine if w in "ti"]
        buys = [h for h, w in mine if w == "o"]
        ask = asks[0] if asks else None
        buy = next((h for h in buys if ask is not None and h >= ask), None)
        rebuy = next((h for h in buys if buy is not None and h > buy), None)
        reach[c] = [ask, buy, rebuy]
    for i in range(3):
        entered = [c for c, r in reach.items() if all(x is not None for x in r[: i + 1])]
        if i == 2:
            out.append((len(entered), len(entered), None))
            continue
        went = [c for c in entered if reach[c][i + 1] is not None]
        waits = [reach[c][i + 1] - reach[c][i] for c in went]  # type: ignore[operator]
        median = timedelta(hours=statistics.median(waits)) if waits else None
        out.append((len(entered), len(went), median))
    return out


@given(rows=events)
def test_funnel_counts_equal_a_brute_force(rows: list[tuple[str, int, str]]) -> None:
    tickets, orders, contacts = records(rows)
    funnel = journey_funnel(tickets=tickets, orders=orders, interactions=contacts, stages=STAGES)
    got = [(s.entered, s.completed, s.median_time) for s in funnel.steps]
    assert got == brute_force(rows)
    for s in funnel.steps:
        assert s.dropped == s.entered - s.completed


@given(rows=events)
def test_variants_and_follows_count_every_labelled_event(rows: list[tuple[str, int, str]]) -> None:
    tickets, orders, contacts = records(rows)
    funnel = journey_funnel(tickets=tickets, orders=orders, interactions=contacts, stages=STAGES)
    labelled = sum(1 for _, _, w in rows if w != "r")
    assert sum(len(t) * n for t, n in funnel.variants) == labelled
    assert sum(funnel.follows.values()) == sum((len(t) - 1) * n for t, n in funnel.variants)
    assert sum(n for _, n in funnel.variants) == funnel.customers


def test_a_second_order_is_a_rebuy_in_the_trace() -> None:
    tickets, orders, _ = records([("a", 0, "t"), ("a", 5, "o"), ("a", 9, "o")])
    funnel = journey_funnel(tickets=tickets, orders=orders, stages=STAGES)
    assert funnel.variants == ((("ask", "buy", "rebuy"), 1),)
    assert dict(funnel.follows) == {("ask", "buy"): 1, ("buy", "rebuy"): 1}


def test_an_event_takes_the_stage_that_names_its_kind() -> None:
    # A delivery ticket matches "ask" (every ticket) and "receive" (delivery tickets): the more
    # specific "receive" labels it in the trace; the funnel still enters "ask" with it first.
    stages = (
        Stage(name="ask", sources={"ticket"}),
        Stage(name="receive", sources={"ticket"}, kinds={"delivery"}),
    )
    tickets = [
        Ticket(id="T1", customer_id="a", channel="email", created_at=T0, category="delivery"),
        Ticket(id="T2", customer_id="a", channel="email", created_at=T0 + timedelta(hours=1),
               category="delivery"),
    ]  # fmt: skip
    funnel = journey_funnel(tickets=tickets, stages=stages)
    assert funnel.variants == ((("receive", "receive"), 1),)
    assert [(s.entered, s.completed) for s in funnel.steps] == [(1, 1), (1, 1)]


def test_default_stages_run_on_the_sample_shop() -> None:
    from cs8.datasets import sample_shop

    shop = sample_shop(n_customers=200, weeks=4)
    funnel = journey_funnel(
        tickets=shop.tickets, orders=shop.orders, interactions=shop.interactions
    )
    assert [s.stage for s in funnel.steps] == [s.name for s in DEFAULT_STAGES]
    entered = [s.entered for s in funnel.steps]
    assert entered == sorted(entered, reverse=True)
    assert Counter(funnel.follows).total() > 0
    assert "flowchart LR" in funnel.to_mermaid()


def test_stage_names_must_be_distinct_and_sources_known() -> None:
    with pytest.raises(InvalidValueError, match="distinct"):
        journey_funnel(stages=[STAGES[0], STAGES[0]])
    with pytest.raises(InvalidValueError, match="sources must be some of"):
        Stage(name="x", sources={"email"})
