"""cs8.datasets.sample_shop: deterministic, realistic, scalable."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta

import pytest

from cs8 import ActorKind, Channel, CustomerSegment, InvalidValueError, SurveyKind
from cs8.datasets import SampleShop, sample_shop


@pytest.fixture(scope="module")
def shop() -> SampleShop:
    return sample_shop()


def test_same_seed_gives_the_same_data() -> None:
    assert sample_shop(seed=3, n_customers=200, weeks=2) == sample_shop(
        seed=3, n_customers=200, weeks=2
    )


def test_other_seed_gives_other_data() -> None:
    assert sample_shop(seed=1, n_customers=200, weeks=2) != sample_shop(
        seed=2, n_customers=200, weeks=2
    )


def test_default_is_a_quarter_with_thousands_of_customers(shop: SampleShop) -> None:
    assert shop.end - shop.start == timedelta(weeks=13)
    assert len(shop.customers) == 3000
    assert len(shop.tickets) > 2000


def test_every_segment_is_present(shop: SampleShop) -> None:
    assert set(Counter(c.segment for c in shop.customers)) == set(CustomerSegment)


def test_tickets_come_over_the_five_service_channels(shop: SampleShop) -> None:
    channels = {t.channel for t in shop.tickets}
    assert channels == {
        Channel.EMAIL,
        Channel.CHAT,
        Channel.PHONE,
        Channel.SOCIAL,
        Channel.MESSAGING,
    }


def test_most_arrivals_are_in_the_daytime(shop: SampleShop) -> None:
    daytime = sum(1 for t in shop.tickets if 8 <= t.created_at.hour < 22)
    assert daytime / len(shop.tickets) > 0.8


def test_weekdays_are_busier_than_sundays(shop: SampleShop) -> None:
    per_weekday = Counter(t.created_at.weekday() for t in shop.tickets)
    assert per_weekday[0] > per_weekday[6] * 1.5


def test_no_ticket_arrives_on_the_national_day_holiday(shop: SampleShop) -> None:
    assert not [t for t in shop.tickets if t.created_at.date() in shop.holidays]


def test_reply_times_are_right_skewed(shop: SampleShop) -> None:
    waits = [
        (t.first_reply_at - t.created_at).total_seconds() for t in shop.tickets if t.first_reply_at
    ]
    assert statistics.mean(waits) > 1.5 * statistics.median(waits)


def test_history_has_pending_periods_reopens_priority_changes_and_reassignments(
    shop: SampleShop,
) -> None:
    kinds = Counter(type(e).__name__ for t in shop.tickets for e in t.events)
    assert kinds["PriorityChange"] > 0
    assert sum(1 for t in shop.tickets if t.reopen_count) > 0.03 * len(shop.tickets)
    assert any(
        e.status.value == "pending"
        for t in shop.tickets
        for e in t.events
        if type(e).__name__ == "StatusChange"
    )
    assert any(sum(type(e).__name__ == "Assignment" for e in t.events) > 1 for t in shop.tickets)


def test_some_tickets_are_still_open_at_the_end(shop: SampleShop) -> None:
    assert any(t.is_open for t in shop.tickets)
    assert all(e.at < shop.end for t in shop.tickets for e in t.events)


def test_bot_sessions_are_handed_to_people(shop: SampleShop) -> None:
    by_id = {i.id: i for i in shop.interactions}
    handoffs = [
        i
        for i in shop.interactions
        if i.previous_id and by_id[i.previous_id].handled_by is ActorKind.BOT
    ]
    assert handoffs
    assert all(i.handled_by is ActorKind.AGENT for i in handoffs)


def test_customers_move_between_channels(shop: SampleShop) -> None:
    by_id = {i.id: i for i in shop.interactions}
    assert any(
        i.previous_id and by_id[i.previous_id].channel is not i.channel for i in shop.interactions
    )


def test_there_are_proactive_outbound_contacts_and_abandoned_calls(shop: SampleShop) -> None:
    assert any(i.proactive for i in shop.interactions)
    assert any(i.abandoned for i in shop.interactions)


def test_all_three_survey_kinds_are_answered(shop: SampleShop) -> None:
    assert {r.kind for r in shop.surveys} == set(SurveyKind)


def test_orders_belong_to_known_customers(shop: SampleShop) -> None:
    ids = {c.id for c in shop.customers}
    assert all(o.customer_id in ids for o in shop.orders)


def test_scale_knobs_scale_the_volume() -> None:
    small = sample_shop(n_customers=500, weeks=4)
    large = sample_shop(n_customers=2000, weeks=4)
    assert 3 < len(large.tickets) / len(small.tickets) < 5


def test_bad_scale_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="n_customers must be positive"):
        sample_shop(n_customers=0)


def test_every_order_has_a_product_category_mostly_the_customer_s_favourite() -> None:
    shop = sample_shop(n_customers=400, weeks=6)
    assert all(o.category for o in shop.orders)
    by_customer: dict[str, list[str]] = {}
    for order in shop.orders:
        assert order.category is not None
        by_customer.setdefault(order.customer_id, []).append(order.category)
    regular = [cats for cats in by_customer.values() if len(cats) >= 5]
    top = sum(Counter(cats).most_common(1)[0][1] for cats in regular)
    assert top / sum(len(cats) for cats in regular) > 0.6
