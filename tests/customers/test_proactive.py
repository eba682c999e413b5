"""Proactive contact: affected customers, preferred channels and the follow-up measure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Channel, Customer, Interaction, Order, Ticket
from cs8.customers import Incident, affected_customers, preferred_channels, proactive_follow_up
from cs8.exceptions import InvalidValueError

T0 = datetime(2026, 9, 1, tzinfo=UTC)
INCIDENT = Incident(name="GHN flood", start=T0, end=T0 + timedelta(days=2),
                    where={"carrier": {"GHN"}, "region": {"Hà Nội", "Hải Phòng"}})  # fmt: skip
REGIONS = ("Hà Nội", "Hải Phòng", "Huế")


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(-30, 80),
                          st.sampled_from(("GHN", "GHTK")), st.sampled_from(REGIONS)), max_size=30))  # fmt: skip
def test_affected_customers_equal_a_brute_force(rows: list[tuple[str, int, str, str]]) -> None:
    orders = [Order(id=str(i), customer_id=c, at=T0 + timedelta(hours=h), amount=1)
              for i, (c, h, _, _) in enumerate(rows)]  # fmt: skip
    facts = {str(i): {"carrier": k, "region": r} for i, (_, _, k, r) in enumerate(rows)}
    got = affected_customers(orders=orders, incident=INCIDENT, order_facts=lambda o: facts[o.id])
    expected = sorted({c for c, h, k, r in rows
                       if 0 <= h < 48 and k == "GHN" and r in ("Hà Nội", "Hải Phòng")})  # fmt: skip
    assert list(got) == expected


def test_tickets_match_on_category_and_attributes_and_are_deduplicated() -> None:
    late = Incident(
        name="late", start=T0, end=T0 + timedelta(days=1), where={"category": "delivery"}
    )
    tickets = [Ticket(id=str(i), customer_id=c, channel="chat", created_at=T0 + timedelta(hours=h),
                      category=cat) for i, (c, h, cat) in enumerate(
                   [("a", 1, "delivery"), ("a", 2, "delivery"), ("b", 3, "refund"),
                    ("c", 30, "delivery")])]  # fmt: skip
    assert affected_customers(tickets=tickets, incident=late) == ("a",)


def test_conditions_on_orders_need_order_facts() -> None:
    orders = [Order(id="1", customer_id="a", at=T0, amount=1)]
    with pytest.raises(InvalidValueError, match="pass order_facts="):
        affected_customers(orders=orders, incident=INCIDENT)


def test_an_incident_on_a_category_reads_the_orders_own_category() -> None:
    recall = Incident(name="recall", start=T0, end=T0 + timedelta(days=1),
                      where={"category": "sữa bột"})  # fmt: skip
    orders = [
        Order(id="1", customer_id="a", at=T0, amount=1, category="sữa bột"),
        Order(id="2", customer_id="b", at=T0, amount=1, category="tã"),
        Order(id="3", customer_id="c", at=T0, amount=1),  # no category: not affected
        Order(id="4", customer_id="d", at=T0 + timedelta(days=2), amount=1, category="sữa bột"),
    ]
    assert affected_customers(orders=orders, incident=recall) == ("a",)
    # order_facts adds to the category (and may override it)
    both = Incident(name="recall", start=T0, end=T0 + timedelta(days=1),
                    where={"category": "sữa bột", "carrier": "GHN"})  # fmt: skip
    carrier = {"1": "GHN", "2": "GHN", "3": "GHN", "4": "GHN"}
    got = affected_customers(orders=orders, incident=both,
                             order_facts=lambda o: {"carrier": carrier[o.id]})  # fmt: skip
    assert got == ("a",)


def test_preferred_channel_is_stated_else_most_used_inbound_latest_on_tie() -> None:
    contacts = [
        Interaction(id="1", customer_id="a", channel="phone", started_at=T0),
        Interaction(id="2", customer_id="a", channel="chat", started_at=T0 + timedelta(hours=1)),
        Interaction(id="3", customer_id="b", channel="email", started_at=T0),
        Interaction(id="4", customer_id="b", channel="email", started_at=T0 + timedelta(hours=1)),
        Interaction(id="5", customer_id="b", channel="sms", started_at=T0, direction="outbound"),
    ]
    people = [Customer(id="c", attributes={"preferred_channel": "messaging"})]
    got = preferred_channels(["a", "b", "c", "d"], customers=people, interactions=contacts)
    assert dict(got) == {"a": Channel.CHAT, "b": Channel.EMAIL, "c": Channel.MESSAGING, "d": None}


def test_follow_up_compares_reached_and_not_reached_with_newcombe_interval() -> None:
    warned = [Interaction(id=f"I{c}", customer_id=c, channel="sms", started_at=T0 + timedelta(hours=1),
                          direction="outbound", proactive=True, ticket_id=f"X{c}") for c in "abcd"]  # fmt: skip
    asked = [Ticket(id=f"T{c}", customer_id=c, channel="chat", created_at=T0 + timedelta(hours=3))
             for c in "aefg"]  # fmt: skip
    f = proactive_follow_up("abcdefgh", incident=INCIDENT, interactions=warned, tickets=asked)
    assert (f.contacted.successes, f.contacted.n, f.not_contacted.successes, f.not_contacted.n) == (
        1,
        4,
        3,
        4,
    )
    assert f.difference == -0.5
    # Newcombe (1998) method 10 from the Wilson bounds of 1/4 = [0.04559, 0.69936] and
    # 3/4 = [0.30064, 0.95441] (95 %): -0.5 -/+ sqrt(0.20441^2 + 0.20441^2), sqrt(0.44936^2 +
    # 0.44936^2) = [-0.7891, +0.1355].
    assert f.difference_low == pytest.approx(-0.7891, abs=1e-4)
    assert f.difference_high == pytest.approx(0.1355, abs=1e-4)
    assert f.difference_low < f.difference < f.difference_high
    assert f.issue_rate.value == 1.0  # the four warnings were their issues' first contact
