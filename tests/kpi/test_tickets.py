"""Tests of the ticket KPIs: definitions, presets, exclusions, published examples and merge laws."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given

from cs8 import ActorKind, Message, StatusChange, Ticket
from cs8.exceptions import InvalidValueError, UnknownFieldError
from cs8.kpi import (
    PRESETS,
    agent_work_time,
    average_response_time,
    backlog,
    first_contact_resolution,
    first_reply_time,
    full_resolution_time,
    next_reply_times,
    one_touch_rate,
    reopen_rate,
    requester_wait_time,
    resolution_rate,
    resolution_time,
    ticket_summary,
    volume,
)
from tests.kpi._strategies import T0, ticket_lists

H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def msg(
    t: datetime, author: str = "agent", public: bool = True, author_id: str | None = None
) -> Message:
    return Message(at=t, author=author, public=public, author_id=author_id)


def status(t: datetime, value: str) -> StatusChange:
    return StatusChange(at=t, status=value)


def ticket(
    *events: Message | StatusChange, tid: str = "T1", created: datetime = T0, **kw: object
) -> Ticket:
    return Ticket(
        id=tid,
        customer_id=kw.pop("customer_id", "C1"),
        channel="email",  # type: ignore[arg-type]
        created_at=created,
        events=events,
        **kw,
    )  # type: ignore[arg-type]


class HalfClock:
    """A business clock that counts half of every interval (a stand-in for cs8.sla)."""

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        return (end - start) / 2


# ------------------------------------------------------------------ Zendesk examples


def test_requester_wait_matches_zendesk_example() -> None:
    # Zendesk, "About native Support time duration metrics", requester wait time: a ticket new at
    # 9:00, pending at 10:00, open at 12:00 and solved at 14:00 waited 3 hours (new + open).
    # https://support.zendesk.com/hc/en-us/articles/4408834848154
    t = ticket(
        status(at(10), "pending"), status(at(12), "open"), status(at(14), "solved"), created=at(9)
    )
    assert requester_wait_time([t]).median == 3 * H


def test_agent_work_time_counts_new_and_open_only() -> None:
    t = ticket(
        status(at(10), "on_hold"), status(at(12), "open"), status(at(14), "solved"), created=at(9)
    )
    assert agent_work_time([t]).median == 3 * H


def test_first_reply_of_agent_created_ticket_is_second_public_agent_comment() -> None:
    # Zendesk: "If the ticket is created by an agent and the first comment is public the second
    # timestamp shifts to the second public agent comment."
    # https://support.zendesk.com/hc/en-us/articles/4408834848154
    t = ticket(msg(T0), msg(T0 + 2 * H), created_by="agent")
    assert first_reply_time([t], definition="zendesk").median == 2 * H


def test_bot_messages_do_not_end_first_reply() -> None:
    # Zendesk: "automated or bot-related actions ... aren't considered when calculating the first
    # reply time." https://support.zendesk.com/hc/en-us/articles/4408821871642
    t = ticket(msg(T0 + M, "bot"), msg(T0 + H))
    assert first_reply_time([t], definition="zendesk").median == H


def test_internal_note_does_not_end_first_reply() -> None:
    t = ticket(msg(T0 + M, public=False), msg(T0 + H))
    assert first_reply_time([t]).median == H


def test_internal_note_counts_when_public_only_is_off() -> None:
    t = ticket(msg(T0 + M, public=False), msg(T0 + H))
    assert first_reply_time([t], public_only=False).median == M


def test_one_touch_counts_tickets_solved_without_reply() -> None:
    # Zendesk one-touch formula: Agent replies < 2 and status solved or closed.
    # https://support.zendesk.com/hc/en-us/articles/4408820618266
    t = ticket(status(T0 + H, "solved"))
    assert one_touch_rate([t], definition="zendesk").value == 1.0


# ------------------------------------------------------------------ Intercom


def test_intercom_first_response_starts_at_first_customer_message() -> None:
    # Intercom: first_admin_reply_at is the first visible human admin part after
    # first_contact_reply_at. https://www.intercom.com/help/en/articles/6762778
    t = ticket(msg(T0), msg(T0 + H, "customer"), msg(T0 + 3 * H), created_by="agent")
    assert first_reply_time([t], definition="intercom").median == 2 * H


def test_intercom_excludes_conversation_without_customer_message() -> None:
    t = ticket(msg(T0 + H), created_by="agent")
    assert dict(first_reply_time([t], definition="intercom").excluded) == {"no_customer_message": 1}


def test_intercom_fcr_needs_a_single_agent() -> None:
    t = ticket(
        msg(T0, "customer"),
        msg(T0 + H, author_id="a1"),
        msg(T0 + 2 * H, author_id="a2"),
        status(T0 + 3 * H, "solved"),
    )
    assert first_contact_resolution([t], definition="intercom").value == 0.0


def test_intercom_fcr_accepts_many_replies_from_one_agent() -> None:
    t = ticket(
        msg(T0, "customer"),
        msg(T0 + H, author_id="a1"),
        msg(T0 + 2 * H, author_id="a1"),
        status(T0 + 3 * H, "solved"),
    )
    assert first_contact_resolution([t], definition="intercom").value == 1.0


# ------------------------------------------------------------------ exclusions and choices


def test_first_reply_reports_unreplied_and_merged() -> None:
    tickets = [
        ticket(msg(T0 + H)),
        ticket(tid="T2"),
        ticket(msg(T0 + H), tid="T3", merged_into="T1"),
    ]
    stats = first_reply_time(tickets)
    assert (stats.n, dict(stats.excluded)) == (1, {"unreplied": 1, "merged": 1})


def test_zendesk_keeps_merged_tickets() -> None:
    t = ticket(msg(T0 + H), merged_into="T9")
    assert first_reply_time([t], definition="zendesk").n == 1


def test_period_by_creation_excludes_other_tickets() -> None:
    inside = ticket(msg(T0 + H))
    outside = ticket(msg(T0 + 50 * H), tid="T2", created=T0 + 48 * H)
    stats = first_reply_time([inside, outside], period=(T0, T0 + 24 * H))
    assert (stats.n, dict(stats.excluded)) == (1, {"outside_period": 1})


def test_period_by_event_uses_the_reply_instant() -> None:
    late_reply = ticket(msg(T0 + 30 * H))
    stats = first_reply_time([late_reply], period=(T0, T0 + 24 * H), attribution="event")
    assert dict(stats.excluded) == {"outside_period": 1}


def test_calendar_measures_business_time() -> None:
    t = ticket(msg(T0 + 2 * H))
    assert first_reply_time([t], HalfClock()).median == H


def test_unknown_preset_is_rejected() -> None:
    with pytest.raises(UnknownFieldError, match="freshdesk"):
        first_reply_time([], definition="freshdesk")


def test_unknown_fcr_rule_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="fcr_rules"):
        first_contact_resolution([], rules="magic")  # type: ignore[arg-type]


def test_naive_period_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="period"):
        first_reply_time([], period=(datetime(2026, 1, 1), datetime(2026, 2, 1)))


# ------------------------------------------------------------------ other KPIs


def test_next_reply_starts_at_first_unanswered_customer_message() -> None:
    t = ticket(
        msg(T0, "customer"),
        msg(T0 + 10 * M),
        msg(T0 + 12 * M, "customer"),
        msg(T0 + 13 * M, "customer"),
        msg(T0 + 20 * M),
    )
    assert next_reply_times([t]).median == 8 * M


def test_average_response_time_includes_first_reply() -> None:
    t = ticket(msg(T0 + 10 * M), msg(T0 + 12 * M, "customer"), msg(T0 + 20 * M))
    assert (average_response_time([t]).n, average_response_time([t]).mean) == (2, 9 * M)


def test_resolution_time_uses_first_solve_and_full_uses_last() -> None:
    t = ticket(status(T0 + H, "solved"), status(T0 + 2 * H, "open"), status(T0 + 5 * H, "solved"))
    assert (resolution_time([t]).median, full_resolution_time([t]).median) == (H, 5 * H)


def test_full_resolution_excludes_reopened_open_ticket() -> None:
    t = ticket(status(T0 + H, "solved"), status(T0 + 2 * H, "open"))
    assert dict(full_resolution_time([t]).excluded) == {"still_open": 1}


def test_closed_without_solve_counts_as_resolution() -> None:
    t = ticket(status(T0 + H, "closed"))
    assert resolution_time([t]).median == H


def test_reopen_rate_is_among_ever_solved() -> None:
    reopened = ticket(status(T0 + H, "solved"), status(T0 + 2 * H, "open"))
    never = ticket(tid="T2")
    rate = reopen_rate([reopened, never])
    assert (rate.successes, rate.n, dict(rate.excluded)) == (1, 1, {"unsolved": 1})


def test_one_touch_excludes_open_tickets() -> None:
    assert dict(one_touch_rate([ticket(msg(T0 + H))]).excluded) == {"still_open": 1}


def test_one_touch_ignores_agent_opening_message() -> None:
    t = ticket(
        msg(T0),
        msg(T0 + H, "customer"),
        msg(T0 + 2 * H),
        status(T0 + 3 * H, "solved"),
        created_by="agent",
    )
    assert one_touch_rate([t]).value == 1.0


def test_fcr_no_follow_up_fails_when_customer_writes_after_reply() -> None:
    t = ticket(msg(T0 + H), msg(T0 + 2 * H, "customer"), status(T0 + 3 * H, "solved"))
    assert (
        first_contact_resolution([t]).value,
        first_contact_resolution([t], rules="no_follow_up").value,
    ) == (1.0, 0.0)


def test_fcr_repeat_contact_outside_window_is_fine() -> None:
    a = ticket(msg(T0 + H), status(T0 + 2 * H, "solved"))
    b = ticket(tid="T2", created=T0 + 10 * 24 * H)
    assert first_contact_resolution([a, b], rules="no_repeat_contact").value == 1.0


def test_fcr_rules_combine() -> None:
    a = ticket(msg(T0 + H), msg(T0 + 2 * H), status(T0 + 3 * H, "solved"))
    assert first_contact_resolution([a], rules=("one_reply", "no_repeat_contact")).value == 0.0


def test_resolution_rate_counts_solved_among_all() -> None:
    assert resolution_rate([ticket(status(T0, "solved")), ticket(tid="T2")]).value == 0.5


def test_volume_counts_created_in_period() -> None:
    tickets = [ticket(), ticket(tid="T2", created=T0 + 48 * H)]
    assert volume(tickets, period=(T0, T0 + 24 * H)).value == 1


def test_backlog_counts_open_tickets_at_instant() -> None:
    tickets = [ticket(status(T0 + 2 * H, "solved")), ticket(tid="T2", created=T0 + 5 * H)]
    assert tuple(backlog(tickets, T0 + h * H).value for h in (1, 3, 6)) == (1, 0, 1)


def test_definition_can_be_evolved() -> None:
    d = attrs.evolve(PRESETS["cs8"], count_bots=True)
    t = ticket(msg(T0 + M, "bot"))
    assert first_reply_time([t], definition=d).median == M


# ------------------------------------------------------------------ properties


def oracle_first_reply(t: Ticket) -> timedelta | str:
    """Brute-force cs8 first reply time of one ticket, or the exclusion reason."""
    if t.merged_into is not None:
        return "merged"
    messages = [e for e in t.events if isinstance(e, Message)]
    agent = [i for i, m in enumerate(messages) if m.author is ActorKind.AGENT and m.public]
    customer = [i for i, m in enumerate(messages) if m.author is ActorKind.CUSTOMER and m.public]
    if t.created_by is ActorKind.AGENT and agent and (not customer or agent[0] < customer[0]):
        agent = agent[1:]
    if not agent:
        return "unreplied"
    return messages[agent[0]].at - t.created_at


@given(ticket_lists)
def test_first_reply_time_matches_brute_force(tickets: list[Ticket]) -> None:
    answers = [oracle_first_reply(t) for t in tickets]
    durations = sorted(a for a in answers if isinstance(a, timedelta))
    stats = first_reply_time(tickets)
    assert (len(durations), durations[0] if durations else None) == (stats.n, stats.min)


@given(ticket_lists)
def test_summary_equals_separate_kpis(tickets: list[Ticket]) -> None:
    s = ticket_summary(tickets)
    assert (s.first_reply_time, s.resolution_time, s.reopen_rate, s.one_touch_rate) == (
        first_reply_time(tickets),
        resolution_time(tickets),
        reopen_rate(tickets),
        one_touch_rate(tickets),
    )


@given(ticket_lists, ticket_lists)
def test_first_reply_state_of_halves_merges_to_whole(a: list[Ticket], b: list[Ticket]) -> None:
    assert first_reply_time.state(a + b) == first_reply_time.state(a) + first_reply_time.state(b)


@given(ticket_lists, ticket_lists)
def test_rate_states_of_halves_merge_to_whole(a: list[Ticket], b: list[Ticket]) -> None:
    assert (one_touch_rate.state(a + b), reopen_rate.state(a + b)) == (
        one_touch_rate.state(a) + one_touch_rate.state(b),
        reopen_rate.state(a) + reopen_rate.state(b),
    )


@given(ticket_lists)
def test_intercom_and_general_path_agree_for_customer_started_tickets(
    tickets: list[Ticket],
) -> None:
    # With the clock at creation and a customer message at creation, both start points agree.
    opened = [
        attrs.evolve(
            t,
            created_by="customer",
            merged_into=None,
            events=(msg(t.created_at, "customer"), *t.events),
        )
        for t in tickets
    ]
    assert (
        first_reply_time(opened).state.values
        == first_reply_time(opened, definition="intercom").state.values
    )


@given(ticket_lists)
def test_summary_equals_separate_kpis_for_intercom_with_calendar(tickets: list[Ticket]) -> None:
    clock = HalfClock()
    s = ticket_summary(tickets, clock, definition="intercom")
    assert (s.first_reply_time, s.resolution_time, s.one_touch_rate) == (
        first_reply_time(tickets, clock, definition="intercom"),
        resolution_time(tickets, clock, definition="intercom"),
        one_touch_rate(tickets, definition="intercom"),
    )


def test_agent_created_tickets_can_be_excluded() -> None:
    t = ticket(msg(T0), msg(T0 + H), created_by="agent")
    d = attrs.evolve(PRESETS["cs8"], exclude_agent_created=True)
    assert dict(first_reply_time([t], definition=d).excluded) == {"agent_created": 1}


def test_status_time_with_calendar_halves() -> None:
    t = ticket(status(T0 + 2 * H, "solved"))
    assert agent_work_time([t], HalfClock()).median == H


@given(ticket_lists)
def test_repeat_contact_rule_matches_brute_force(tickets: list[Ticket]) -> None:
    window = timedelta(days=7)
    done = [t for t in tickets if t.merged_into is None and not t.is_open]
    hits = sum(
        1
        for t in done
        if not any(
            o.customer_id == t.customer_id and t.created_at < o.created_at <= t.solved_at + window  # type: ignore[operator]
            for o in tickets
        )
    )
    rate = first_contact_resolution(tickets, rules="no_repeat_contact")
    assert (hits, len(done)) == (rate.successes, rate.n)


def test_first_reply_in_business_hours_with_sla_calendar() -> None:
    from cs8.sla import BusinessCalendar

    cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    monday_4pm = datetime(2026, 3, 2, 16, tzinfo=UTC)
    t = ticket(msg(monday_4pm + timedelta(days=6, hours=18)), created=monday_4pm)  # next Mon 10:00
    assert first_reply_time([t], cal).median == 2 * H


def test_reply_clock_can_start_at_the_last_handoff() -> None:
    # Chatwoot's last_non_human_activity: a bot handled the chat, then handed it over at 09:40.
    from cs8._ticket import Handoff

    t = ticket(
        Message(at=T0 + 10 * M, author="bot"),
        Handoff(at=T0 + 40 * M),
        Message(at=T0 + 50 * M, author="agent"),
    )
    frt = first_reply_time([t], reply_clock_start="last_handoff_or_reopen")
    assert (frt.median, first_reply_time([t]).median) == (10 * M, 50 * M)


def test_reply_clock_restarts_at_a_reopen_before_the_first_reply() -> None:
    t = ticket(
        status(T0 + H, "solved"),
        status(T0 + 2 * H, "open"),
        Message(at=T0 + 3 * H, author="agent"),
    )
    assert first_reply_time([t], reply_clock_start="last_handoff_or_reopen").median == H
