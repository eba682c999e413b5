"""Hand-written cases for SLA policies and clocks, in calendar hours (every second counts)."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest

from cs8 import (
    ActorKind,
    Customer,
    CustomerSegment,
    Message,
    NaiveDatetimeError,
    Priority,
    PriorityChange,
    SlaError,
    StatusChange,
    Ticket,
    TicketStatus,
)
from cs8.sla import SlaEscalation, SlaMetric, SlaPolicy, SlaResult, SlaState, SlaTarget

H = timedelta(hours=1)
M = timedelta(minutes=1)
DAY0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


def at(hour: float) -> datetime:
    return DAY0 + hour * H


def ticket(*events: object, created: float = 9, priority: str = "normal", **kw: object) -> Ticket:
    return Ticket(
        id="T1",
        customer_id="C1",
        channel=kw.pop("channel", "email"),
        created_at=at(created),
        priority=priority,
        events=events,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def status(hour: float, value: str) -> StatusChange:
    return StatusChange(at=at(hour), status=value)


def agent(hour: float, public: bool = True) -> Message:
    return Message(at=at(hour), author=ActorKind.AGENT, public=public)


def customer(hour: float) -> Message:
    return Message(at=at(hour), author=ActorKind.CUSTOMER)


def policy(metric: str, within: timedelta = 4 * H, **kw: object) -> SlaPolicy:
    return SlaPolicy(
        name="p",
        targets=[SlaTarget(metric=metric, within=within, business_hours=False, **kw)],
    )


def one(p: SlaPolicy, t: Ticket, now: float, **kw: object) -> SlaResult:
    (result,) = p.evaluate(t, now=at(now), **kw)  # type: ignore[arg-type]
    return result


# ---------------------------------------------------------------- the metrics


def test_requester_wait_excludes_pending_zendesk_example() -> None:
    # Zendesk defines requester wait time as the time a ticket spends in New, Open and On-hold
    # (Pending is not counted): Zendesk, "About native Support time duration metrics",
    # https://support.zendesk.com/hc/en-us/articles/4408834848154 . New 9:00, pending 10:00,
    # open 12:00, solved 14:00 is 1 h new + 2 h open = 3 h.
    t = ticket(status(10, "pending"), status(12, "open"), status(14, "solved"))
    result = one(policy("requester_wait"), t, now=20)
    assert (SlaState.ACHIEVED, 3 * H, at(14)) == (result.state, result.elapsed, result.completed_at)


def test_requester_wait_counts_on_hold() -> None:
    t = ticket(status(10, "on_hold"), status(12, "open"), status(14, "solved"))
    assert one(policy("requester_wait", 6 * H), t, now=20).elapsed == 5 * H


def test_agent_work_counts_only_new_and_open() -> None:
    # GitLab's copy of Zendesk's definitions: agent work time is the time in New and Open
    # (https://handbook.gitlab.com/handbook/security/customer-support-operations/zendesk/metrics-definitions).
    t = ticket(
        status(9.5, "open"),
        status(10, "on_hold"),
        status(11, "open"),
        status(12, "pending"),
        status(13, "open"),
        status(15, "solved"),
    )
    assert one(policy("agent_work", 8 * H), t, now=20).elapsed == 4 * H


def test_requester_wait_resumes_after_a_reopen() -> None:
    t = ticket(status(11, "solved"), status(13, "open"))
    result = one(policy("requester_wait"), t, now=13.5)
    assert (result.state, result.elapsed, result.completed_at) == (SlaState.ACTIVE, 2.5 * H, None)


def test_requester_wait_completes_again_at_the_next_solve() -> None:
    t = ticket(status(11, "solved"), status(13, "open"), status(14, "solved"))
    result = one(policy("requester_wait"), t, now=20)
    assert (SlaState.ACHIEVED, 3 * H, at(14)) == (result.state, result.elapsed, result.completed_at)


def test_total_resolution_counts_pending_and_the_solved_gap_before_a_reopen() -> None:
    t = ticket(
        status(10, "pending"), status(11, "solved"), status(13, "open"), status(14, "solved")
    )
    result = one(policy("total_resolution", 8 * H), t, now=20)
    assert (5 * H, at(14)) == (result.elapsed, result.completed_at)


def test_reopening_an_old_ticket_breaches_total_resolution_at_the_reopen() -> None:
    # Plain: "Reopening a very old thread can immediately breach this SLA"
    # (https://www.plain.com/docs/graphql-reference/types/TotalResolutionTimeServiceLevelAgreement).
    t = ticket(status(10, "solved"), status(20, "open"))
    result = one(policy("total_resolution", 4 * H), t, now=21)
    assert (result.state, result.breached_at) == (SlaState.BREACHED, at(20))


def test_resolution_is_paused_by_the_policy_pause_statuses() -> None:
    t = ticket(status(10, "pending"), status(11, "open"), status(12, "solved"))
    assert one(policy("resolution"), t, now=20).elapsed == 2 * H


def test_resolution_does_not_restart_after_a_reopen() -> None:
    t = ticket(status(12, "solved"), status(13, "open"))
    result = one(policy("resolution"), t, now=20)
    assert (SlaState.ACHIEVED, at(12)) == (result.state, result.completed_at)


def test_closed_without_a_solve_completes_resolution() -> None:
    t = ticket(status(12, "closed"))
    assert at(12) == one(policy("resolution"), t, now=20).completed_at


def test_first_reply_ignores_private_notes_and_customer_messages() -> None:
    t = ticket(agent(10, public=False), customer(10.5), agent(11))
    result = one(policy("first_reply"), t, now=20)
    assert (2 * H, at(11)) == (result.elapsed, result.completed_at)


def test_first_reply_is_not_paused_by_pending() -> None:
    t = ticket(status(10, "pending"), agent(12))
    assert one(policy("first_reply"), t, now=20).elapsed == 3 * H


def test_first_reply_never_restarts_after_a_reopen() -> None:
    t = ticket(agent(10), status(11, "solved"), status(12, "open"))
    result = one(policy("first_reply"), t, now=20)
    assert (at(10), ()) == (result.completed_at, tuple(c.started_at for c in result.cycles[1:]))


def test_agent_opening_comment_is_not_the_first_reply() -> None:
    # Zendesk: "If the ticket is created by an agent and the first comment is public the second
    # timestamp shifts to the second public agent comment" (About native Support time duration
    # metrics, https://support.zendesk.com/hc/en-us/articles/4408834848154).
    t = ticket(agent(9), customer(10), agent(12), created_by="agent")
    assert one(policy("first_reply"), t, now=20).completed_at == at(12)


def test_customer_reply_to_an_agent_opening_comment_starts_a_next_reply_cycle() -> None:
    t = ticket(agent(9), customer(10), agent(12), created_by="agent")
    assert one(policy("next_reply"), t, now=20).cycles[0].started_at == at(10)


def test_a_solve_before_any_reply_completes_first_reply() -> None:
    t = ticket(status(10, "solved"))
    result = one(policy("first_reply"), t, now=20)
    assert (SlaState.ACHIEVED, at(10)) == (result.state, result.completed_at)


def test_a_target_can_pause_first_reply() -> None:
    p = policy("first_reply", pause_statuses={"pending"})
    t = ticket(status(10, "pending"), status(11, "open"), agent(12))
    assert one(p, t, now=20).elapsed == 2 * H


def test_next_reply_has_one_cycle_per_customer_message_awaiting_a_reply() -> None:
    t = ticket(customer(9), agent(10), customer(11), customer(11.5), agent(12), customer(13))
    result = one(policy("next_reply"), t, now=14)
    completed = [(c.started_at, c.completed_at, c.elapsed) for c in result.cycles]
    assert [(at(11), at(12), H)] == completed


def test_next_reply_reports_the_open_cycle() -> None:
    t = ticket(customer(9), agent(10), customer(11), agent(12), customer(13))
    result = one(policy("next_reply"), t, now=14)
    assert (SlaState.ACTIVE, at(13), H) == (result.state, result.started_at, result.elapsed)


def test_customer_messages_before_the_first_reply_start_no_next_reply_cycle() -> None:
    t = ticket(customer(9), customer(10))
    assert policy("next_reply").evaluate(t, now=at(12)) == ()


def test_next_reply_cycle_is_completed_by_a_solve() -> None:
    t = ticket(agent(10), customer(11), status(12, "solved"))
    result = one(policy("next_reply"), t, now=14)
    assert (SlaState.ACHIEVED, at(12), H) == (result.state, result.completed_at, result.elapsed)


def test_periodic_update_measures_the_time_between_public_agent_replies() -> None:
    t = ticket(agent(10), agent(13), agent(14))
    result = one(policy("periodic_update", 2 * H), t, now=14.5)
    summary = [(c.elapsed, c.state) for c in result.cycles]
    assert summary == [(3 * H, SlaState.BREACHED), (H, SlaState.ACHIEVED)]


def test_pausable_update_is_paused_while_pending() -> None:
    t = ticket(agent(10), status(10, "pending"), status(12, "open"), agent(13))
    assert one(policy("pausable_update"), t, now=14).cycles[0].elapsed == H


def test_bot_messages_are_not_agent_replies() -> None:
    t = ticket(Message(at=at(10), author=ActorKind.BOT), agent(11))
    assert at(11) == one(policy("first_reply"), t, now=20).completed_at


def test_results_come_in_metric_order() -> None:
    p = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(metric="resolution", within=8 * H, business_hours=False),
            SlaTarget(metric="first_reply", within=H, business_hours=False),
        ],
    )
    metrics = [r.metric for r in p.evaluate(ticket(), now=at(10))]
    assert metrics == [SlaMetric.FIRST_REPLY, SlaMetric.RESOLUTION]


# ---------------------------------------------------------------- states, due and breach


def test_reply_exactly_at_due_is_achieved() -> None:
    result = one(policy("first_reply", H), ticket(agent(10)), now=12)
    assert (SlaState.ACHIEVED, timedelta(0)) == (result.state, result.remaining)


def test_clock_exactly_at_due_is_still_active() -> None:
    result = one(policy("first_reply", H), ticket(), now=10)
    assert (SlaState.ACTIVE, at(10), None) == (result.state, result.due_at, result.breached_at)


def test_clock_past_due_is_breached_with_negative_remaining() -> None:
    result = one(policy("first_reply", H), ticket(), now=10.5)
    expected = (SlaState.BREACHED, at(10), at(10), -0.5 * H)
    assert expected == (result.state, result.breached_at, result.due_at, result.remaining)


def test_late_reply_is_breached() -> None:
    result = one(policy("first_reply", H), ticket(agent(11)), now=12)
    assert (SlaState.BREACHED, at(10)) == (result.state, result.breached_at)


def test_paused_clock_has_no_due_time() -> None:
    result = one(policy("resolution"), ticket(status(10, "pending")), now=12)
    assert (result.state, result.due_at, result.elapsed) == (SlaState.PAUSED, None, H)


def test_breached_clock_stays_breached_while_paused() -> None:
    result = one(policy("resolution", H), ticket(status(11, "pending")), now=12)
    assert (SlaState.BREACHED, at(10)) == (result.state, result.breached_at)


def test_due_time_moves_by_the_paused_time() -> None:
    t = ticket(status(10, "pending"), status(12, "open"))
    assert at(15) == one(policy("resolution"), t, now=12.5).due_at


def test_events_after_now_are_ignored() -> None:
    t = ticket(agent(15))
    result = one(policy("first_reply"), t, now=11)
    assert (result.state, result.elapsed) == (SlaState.ACTIVE, 2 * H)


def test_instants_in_other_zones_are_compared_as_instants() -> None:
    from zoneinfo import ZoneInfo

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    t = ticket(Message(at=at(11).astimezone(hanoi), author="agent"))
    assert one(policy("first_reply"), t, now=12).elapsed == 2 * H


# ---------------------------------------------------------------- priority changes


def _by_priority(metric: str = "first_reply") -> SlaPolicy:
    return SlaPolicy(
        name="p",
        targets=[
            SlaTarget(metric=metric, within=H, priority="urgent", business_hours=False),
            SlaTarget(metric=metric, within=4 * H, business_hours=False),
        ],
    )


def test_priority_change_reselects_the_target_and_keeps_the_time_used() -> None:
    t = ticket(PriorityChange(at=at(9.5), priority=Priority.URGENT))
    result = one(_by_priority(), t, now=9.75)
    expected = (H, 0.75 * H, Priority.URGENT, SlaState.ACTIVE, at(10))
    assert expected == (
        result.target,
        result.elapsed,
        result.priority,
        result.state,
        result.due_at,
    )


def test_raising_priority_past_the_new_target_breaches_at_the_change() -> None:
    t = ticket(PriorityChange(at=at(11), priority=Priority.URGENT))
    result = one(_by_priority(), t, now=11.5)
    assert (SlaState.BREACHED, at(11)) == (result.state, result.breached_at)


def test_lowering_priority_extends_the_due_time() -> None:
    t = ticket(PriorityChange(at=at(9.5), priority=Priority.LOW), priority="urgent")
    result = one(_by_priority(), t, now=11)
    assert (SlaState.ACTIVE, 4 * H, at(13)) == (result.state, result.target, result.due_at)


def test_completed_metric_keeps_the_target_of_its_completion() -> None:
    t = ticket(agent(10), PriorityChange(at=at(11), priority=Priority.URGENT))
    result = one(_by_priority(), t, now=12)
    assert (result.target, result.state) == (4 * H, SlaState.ACHIEVED)


# ---------------------------------------------------------------- target selection


def _segmented() -> SlaPolicy:
    return SlaPolicy(
        name="p",
        targets=[
            SlaTarget(metric="first_reply", within=H, segment="vip", business_hours=False),
            SlaTarget(metric="first_reply", within=8 * H, business_hours=False),
        ],
    )


def test_first_matching_target_wins() -> None:
    vip = Customer(id="C1", segment=CustomerSegment.VIP)
    assert one(_segmented(), ticket(), now=9.5, customer=vip).target == H


def test_later_target_applies_when_the_first_does_not_match() -> None:
    regular = Customer(id="C1", segment=CustomerSegment.REPEAT)
    assert one(_segmented(), ticket(), now=9.5, customer=regular).target == 8 * H


def test_segment_keyword_selects_segment_targets() -> None:
    assert one(_segmented(), ticket(), now=9.5, segment="vip").target == H


def test_unknown_segment_does_not_match_a_segment_target() -> None:
    assert one(_segmented(), ticket(), now=9.5).target == 8 * H


def test_channel_and_category_filters() -> None:
    p = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric="first_reply",
                within=H,
                channel=["chat", "phone"],
                category="refund",
                business_hours=False,
            )
        ],
    )
    matched = len(p.evaluate(ticket(channel="chat", category="refund"), now=at(10)))
    unmatched = len(p.evaluate(ticket(channel="email", category="refund"), now=at(10)))
    assert (matched, unmatched) == (1, 0)


def test_no_result_when_no_target_matches_the_priority() -> None:
    p = policy("first_reply", priority="urgent")
    assert p.evaluate(ticket(priority="low"), now=at(10)) == ()


def test_target_for_uses_the_first_match() -> None:
    assert _segmented().target_for("first_reply", segment="repeat").within == 8 * H  # type: ignore[union-attr]


# ---------------------------------------------------------------- warnings and escalations


def test_warning_thresholds_passed_and_next() -> None:
    p = policy("resolution", 4 * H, warnings=(0.5, timedelta(minutes=30)))
    result = one(p, ticket(), now=11.5)
    expected = (1, at(11), at(12.5))
    assert expected == (result.warnings_passed, result.warned_at, result.next_warning_at)


def test_results_name_the_warning_thresholds_as_given() -> None:
    p = policy("resolution", 4 * H, warnings=(timedelta(minutes=30), 0.5))
    result = one(p, ticket(), now=11.5)
    assert (result.warning, result.next_warning) == (0.5, timedelta(minutes=30))


def test_next_warning_waits_for_a_paused_clock() -> None:
    p = policy("resolution", 4 * H, warnings=(0.5,))
    result = one(p, ticket(status(10, "pending")), now=12)
    assert (result.warnings_passed, result.next_warning_at) == (0, None)


def test_escalation_level_reached_and_next() -> None:
    p = policy("resolution", 4 * H, escalations=[("lead", 0.8), ("manager", 1.0)])
    result = one(p, ticket(), now=12.5)
    expected = ("lead", at(9) + 3.2 * H, "manager", at(13))
    assert expected == (
        result.escalation,
        result.escalated_at,
        result.next_escalation,
        result.next_escalation_at,
    )


def test_escalation_after_breach_with_a_negative_duration() -> None:
    p = policy("resolution", 2 * H, escalations=[SlaEscalation(level="director", at=-H)])
    result = one(p, ticket(), now=12.5)
    assert ("director", at(12)) == (result.escalation, result.escalated_at)


def test_escalation_thresholds_count_paused_time_out() -> None:
    p = policy("resolution", 4 * H, escalations=[("lead", 0.5)])
    t = ticket(status(10, "pending"), status(12, "open"))
    assert at(13) == one(p, t, now=12.5).next_escalation_at


# ---------------------------------------------------------------- validation and values


def test_now_before_creation_is_rejected() -> None:
    with pytest.raises(SlaError, match="before ticket 'T1' was created"):
        policy("first_reply").evaluate(ticket(), now=at(8))


def test_naive_now_is_rejected() -> None:
    with pytest.raises(NaiveDatetimeError):
        policy("first_reply").evaluate(ticket(), now=datetime(2026, 3, 2, 12))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"within": timedelta(0)}, "within must be a positive timedelta"),
        ({"within": H, "warnings": (1.0,)}, r"warnings\[0\]"),
        ({"within": H, "warnings": (H,)}, r"warnings\[0\]"),
        ({"within": H, "warnings": (-0.5,)}, r"warnings\[0\]"),
        ({"within": H, "escalations": [("boss", H)]}, "level 'boss'"),
    ],
)
def test_invalid_targets_name_the_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SlaError, match=message):
        SlaTarget(metric="first_reply", **kwargs)  # type: ignore[arg-type]


def test_escalation_needs_a_level_name() -> None:
    with pytest.raises(SlaError, match=r"SlaEscalation\.level"):
        SlaEscalation(level=" ", at=0.5)


def test_policy_needs_a_name() -> None:
    with pytest.raises(SlaError, match=r"SlaPolicy\.name"):
        SlaPolicy(name="")


def test_policy_calendar_must_be_a_calendar() -> None:
    with pytest.raises(SlaError, match=r"SlaPolicy\.calendar"):
        SlaPolicy(name="p", calendar="Mon-Fri 9-17")  # type: ignore[arg-type]


def test_policy_targets_must_be_targets() -> None:
    with pytest.raises(SlaError, match=r"targets\[0\]"):
        SlaPolicy(name="p", targets=["first_reply"])  # type: ignore[list-item]


def test_policy_is_hashable_and_pickles() -> None:
    p = policy("first_reply", warnings=(0.5,), escalations=[("lead", 0.8)])
    assert (hash(p), p) == (hash(pickle.loads(pickle.dumps(p))), pickle.loads(pickle.dumps(p)))


def test_default_pause_statuses_are_pending_and_on_hold() -> None:
    assert (
        frozenset({TicketStatus.PENDING, TicketStatus.ON_HOLD})
        == SlaPolicy(name="p").pause_statuses
    )


def test_metric_accepts_names_in_any_case() -> None:
    assert SlaMetric.REQUESTER_WAIT is SlaMetric("Requester-Wait")


def test_escalations_accept_pairs_mappings_and_values() -> None:
    target = SlaTarget(
        metric="resolution",
        within=4 * H,
        escalations=[
            ("lead", 0.5),
            {"level": "manager", "at": 1.0},
            SlaEscalation(level="vp", at=2.0),
        ],
    )
    assert [e.level for e in target.escalations] == ["lead", "manager", "vp"]


def test_target_filters_accept_several_values() -> None:
    target = SlaTarget(metric="first_reply", within=H, priority={"high", Priority.URGENT})
    assert target.priority == frozenset({Priority.HIGH, Priority.URGENT})


def test_business_calendar_is_a_business_clock() -> None:
    from cs8.sla import BusinessCalendar, SlaClock

    assert isinstance(BusinessCalendar.always_open(), SlaClock)
