"""The SLA definitions of issue 15: first-reply clocks that resume or restart, group ownership
(OLAs), targets on any condition and schedules that change over time.

Sources:

* Zammad, ``test/unit/ticket_sla_test.rb`` ("ticket sla"): calendar "EU 1" (Europe/Berlin, Monday
  to Friday 09:00-17:00), first response 60 minutes, ticket created 2013-03-21 09:30 UTC.
* Chatwoot, ``app/models/reporting_event.rb`` / ``last_non_human_activity``: the first-response
  clock starts at the latest bot handoff or reopen before the first human reply.
* Zendesk, "Defining and using group SLA policies": a group's clock runs while it owns the ticket.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cs8 import ActorKind, Assignment, Handoff, Message, SlaError, StatusChange, Ticket
from cs8.sla import BusinessCalendar, SlaMetric, SlaPolicy, SlaState, SlaTarget

H = timedelta(hours=1)
M = timedelta(minutes=1)
DAY0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


def at(hour: float) -> datetime:
    return DAY0 + hour * H


def _ticket(*events: object, created: datetime | None = None, **kw: object) -> Ticket:
    return Ticket(
        id="T1",
        customer_id="C1",
        channel="chat",
        created_at=created or at(9),
        events=events,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _only(policy: SlaPolicy, ticket: Ticket, now: datetime, metric: SlaMetric):  # type: ignore[no-untyped-def]
    (result,) = [r for r in policy.evaluate(ticket, now=now) if r.metric is metric]
    return result


# -- first reply: resume after a reopen (Zammad) -------------------------------------------------

EU1 = BusinessCalendar(
    timezone="Europe/Berlin",
    hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")},
)
ZAMMAD_CREATED = datetime(2013, 3, 21, 9, 30, tzinfo=UTC)


def _zammad(on_reopen: str) -> SlaPolicy:
    return SlaPolicy(
        name="test sla 1",
        calendar=EU1,
        targets=[SlaTarget(metric="first_reply", within=60 * M, on_reopen=on_reopen)],  # type: ignore[arg-type]
    )


def test_zammad_first_response_due_time() -> None:
    # ticket_sla_test.rb "ticket sla", verify 1: first_response_escalation_at 2013-03-21 10:30 UTC.
    result = _only(
        _zammad("resume"), _ticket(created=ZAMMAD_CREATED), ZAMMAD_CREATED, SlaMetric.FIRST_REPLY
    )
    assert datetime(2013, 3, 21, 10, 30, tzinfo=UTC) == result.due_at


def test_resume_pauses_the_first_reply_clock_while_closed() -> None:
    # ticket_sla_test.rb "ticket sla", verify 9: once the ticket is closed, escalation_at is nil;
    # with on_reopen="resume" the unanswered clock is PAUSED with no due time.
    ticket = _ticket(
        StatusChange(at=datetime(2013, 3, 21, 10, tzinfo=UTC), status="closed"),
        created=ZAMMAD_CREATED,
    )
    result = _only(
        _zammad("resume"), ticket, datetime(2013, 3, 21, 11, tzinfo=UTC), SlaMetric.FIRST_REPLY
    )
    assert (SlaState.PAUSED, None, 30 * M) == (result.state, result.due_at, result.elapsed)


def test_resume_continues_with_the_time_already_used_after_a_reopen() -> None:
    # 30 of 60 business minutes used before the close; reopened at 12:00 UTC (13:00 Berlin).
    ticket = _ticket(
        StatusChange(at=datetime(2013, 3, 21, 10, tzinfo=UTC), status="closed"),
        StatusChange(at=datetime(2013, 3, 21, 12, tzinfo=UTC), status="open"),
        created=ZAMMAD_CREATED,
    )
    result = _only(
        _zammad("resume"), ticket, datetime(2013, 3, 21, 12, 10, tzinfo=UTC), SlaMetric.FIRST_REPLY
    )
    assert (SlaState.ACTIVE, datetime(2013, 3, 21, 12, 30, tzinfo=UTC)) == (
        result.state,
        result.due_at,
    )


def test_complete_lets_a_close_before_the_reply_complete_the_clock() -> None:
    ticket = _ticket(
        StatusChange(at=datetime(2013, 3, 21, 10, tzinfo=UTC), status="closed"),
        created=ZAMMAD_CREATED,
    )
    result = _only(
        _zammad("complete"), ticket, datetime(2013, 3, 21, 11, tzinfo=UTC), SlaMetric.FIRST_REPLY
    )
    assert (SlaState.ACHIEVED, datetime(2013, 3, 21, 10, tzinfo=UTC)) == (
        result.state,
        result.completed_at,
    )


@pytest.mark.parametrize("on_reopen", ["resume", "complete"])
@pytest.mark.parametrize("later", [0 * M, 1 * M, 2 * H])
def test_a_reply_at_the_creation_instant_achieves_the_clock_even_when_solved_then(
    on_reopen: str, later: timedelta
) -> None:
    # A ticket solved and answered at the very instant it was created, evaluated at that instant
    # and later. The public agent comment fulfils the first reply metric (Zendesk, "Ticket metric
    # event types reference", reply_time: "fulfill" on the first public agent comment,
    # https://developer.zendesk.com/documentation/ticketing/reference-guides/ticket-metric-event-types-reference),
    # and evaluation replays every event at or before `now` (docs/sla-policies.md, "States, due
    # times and breaches"), so with on_reopen="resume" the solve's pause is ended by the reply at
    # the same instant: ACHIEVED in 0, never PAUSED, the same at any later `now`. Found by
    # hypothesis in test_resume_counts_the_open_time_until_the_first_agent_reply.
    created = at(9)
    ticket = _ticket(
        StatusChange(at=created, status="solved"),
        Message(at=created, author="agent"),
        created=created,
    )
    policy = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric="first_reply",
                within=3 * H,
                business_hours=False,
                on_reopen=on_reopen,  # type: ignore[arg-type]
            )
        ],
    )
    result = _only(policy, ticket, created + later, SlaMetric.FIRST_REPLY)
    assert (SlaState.ACHIEVED, 0 * M, created) == (
        result.state,
        result.elapsed,
        result.completed_at,
    )


def test_resume_is_for_first_reply_targets_only() -> None:
    with pytest.raises(SlaError, match="on_reopen applies to first_reply targets only"):
        SlaTarget(metric="resolution", within=H, on_reopen="resume")


def test_first_reply_targets_of_a_policy_share_one_clock_definition() -> None:
    with pytest.raises(SlaError, match="disagree on"):
        SlaPolicy(
            name="p",
            targets=[
                SlaTarget(metric="first_reply", within=H, priority="high", on_reopen="resume"),
                SlaTarget(metric="first_reply", within=H),
            ],
        )


# -- first reply: start at the last bot handoff or reopen (Chatwoot) -----------------------------


def _chatwoot() -> SlaPolicy:
    return SlaPolicy(
        name="chat",
        targets=[
            SlaTarget(
                metric="first_reply",
                within=15 * M,
                business_hours=False,
                reply_clock_start="last_handoff_or_reopen",
            )
        ],
    )


def test_first_reply_clock_starts_at_the_bot_handoff() -> None:
    ticket = _ticket(
        Message(at=at(9), author=ActorKind.CUSTOMER),
        Message(at=at(9) + M, author=ActorKind.BOT),
        Handoff(at=at(9) + 40 * M),
        Message(at=at(9) + 50 * M, author=ActorKind.AGENT),
    )
    result = _only(_chatwoot(), ticket, at(12), SlaMetric.FIRST_REPLY)
    assert (at(9) + 40 * M, 10 * M, SlaState.ACHIEVED) == (
        result.started_at,
        result.elapsed,
        result.state,
    )


def test_first_reply_clock_starts_at_the_latest_reopen_before_the_reply() -> None:
    ticket = _ticket(
        Handoff(at=at(9) + 5 * M),
        StatusChange(at=at(9) + 10 * M, status="solved"),  # the bot solved it
        StatusChange(at=at(11), status="open"),
        Message(at=at(11) + 5 * M, author=ActorKind.AGENT),
    )
    result = _only(_chatwoot(), ticket, at(12), SlaMetric.FIRST_REPLY)
    assert (at(11), 5 * M) == (result.started_at, result.elapsed)


def test_first_reply_clock_without_handoff_starts_at_creation() -> None:
    ticket = _ticket(Message(at=at(9) + 20 * M, author=ActorKind.AGENT))
    result = _only(_chatwoot(), ticket, at(12), SlaMetric.FIRST_REPLY)
    assert (at(9), SlaState.BREACHED) == (result.started_at, result.state)


def test_a_handoff_after_the_first_reply_does_not_move_the_clock() -> None:
    ticket = _ticket(
        Message(at=at(9) + 5 * M, author=ActorKind.AGENT),
        Handoff(at=at(10)),
    )
    result = _only(_chatwoot(), ticket, at(12), SlaMetric.FIRST_REPLY)
    assert (at(9), 5 * M) == (result.started_at, result.elapsed)


# -- group ownership (OLAs) ----------------------------------------------------------------------

GROUPS = SlaPolicy(
    name="ola",
    targets=[
        SlaTarget(metric="group_ownership", within=H, group="tier2", business_hours=False),
        SlaTarget(metric="group_ownership", within=30 * M, group="tier1", business_hours=False),
    ],
)


def _handed_over() -> Ticket:
    return _ticket(
        Assignment(at=at(9), agent_id="a1", group="tier1"),
        Assignment(at=at(10), agent_id="b1", group="tier2"),
        Assignment(at=at(10.5), agent_id="b2"),  # same group, another agent: the span goes on
        StatusChange(at=at(11.5), status="solved"),
        StatusChange(at=at(12), status="open"),
        StatusChange(at=at(12) + 20 * M, status="solved"),
    )


def test_group_ownership_has_one_cycle_per_span() -> None:
    result = _only(GROUPS, _handed_over(), at(13), SlaMetric.GROUP_OWNERSHIP)
    assert [
        ("tier1", at(9), at(10), SlaState.BREACHED),
        ("tier2", at(10), at(11.5), SlaState.BREACHED),
        ("tier2", at(12), at(12) + 20 * M, SlaState.ACHIEVED),
    ] == [(c.group, c.started_at, c.completed_at, c.state) for c in result.cycles]


def test_group_ownership_result_describes_the_latest_span() -> None:
    result = _only(GROUPS, _handed_over(), at(13), SlaMetric.GROUP_OWNERSHIP)
    assert ("tier2", 20 * M, H) == (result.group, result.elapsed, result.target)


def test_group_ownership_runs_while_the_group_owns_an_open_ticket() -> None:
    ticket = _ticket(Assignment(at=at(9), agent_id=None, group="tier1"))
    result = _only(GROUPS, ticket, at(9) + 10 * M, SlaMetric.GROUP_OWNERSHIP)
    assert (SlaState.ACTIVE, at(9) + 30 * M, "tier1") == (result.state, result.due_at, result.group)


def test_a_group_without_a_target_has_no_cycle() -> None:
    ticket = _ticket(Assignment(at=at(9), agent_id=None, group="billing"))
    assert () == tuple(r for r in GROUPS.evaluate(ticket, now=at(10)))


def test_group_targets_filter_other_metrics_on_the_owning_group() -> None:
    policy = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(metric="resolution", within=H, group="vip-desk", business_hours=False),
            SlaTarget(metric="resolution", within=8 * H, business_hours=False),
        ],
    )
    ticket = _ticket(Assignment(at=at(9), agent_id="a1", group="vip-desk"))
    assert H == _only(policy, ticket, at(9.5), SlaMetric.RESOLUTION).target


# -- targets on any condition --------------------------------------------------------------------

BIG_ORDERS = SlaPolicy(
    name="orders",
    targets=[
        SlaTarget(
            metric="first_reply",
            within=H,
            business_hours=False,
            condition={"field": "ticket.attributes.order_amount", "op": "gt", "value": 2_000_000},
        ),
        SlaTarget(metric="first_reply", within=8 * H, business_hours=False),
    ],
)


@pytest.mark.parametrize(("amount", "within"), [(2_500_000, H), (1_000_000, 8 * H)])
def test_orders_over_two_million_vnd_get_a_one_hour_first_reply(
    amount: int, within: timedelta
) -> None:
    ticket = _ticket(attributes={"order_amount": amount})
    assert within == _only(BIG_ORDERS, ticket, at(9.5), SlaMetric.FIRST_REPLY).target


def test_a_condition_on_a_missing_attribute_does_not_match() -> None:
    assert 8 * H == _only(BIG_ORDERS, _ticket(), at(9.5), SlaMetric.FIRST_REPLY).target


def test_a_malformed_condition_raises_a_rule_error_naming_the_path() -> None:
    from cs8 import RuleError

    with pytest.raises(RuleError, match="fax"):
        SlaTarget(
            metric="first_reply",
            within=H,
            condition={"field": "ticket.channel", "op": "equals", "value": "fax"},
        )


# -- schedules that change over time -------------------------------------------------------------

LONG = BusinessCalendar(
    timezone="UTC", hours={d: [("08:00", "20:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)
SHORT = BusinessCalendar(
    timezone="UTC", hours={d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
)
CHANGING = BusinessCalendar.from_periods([(date(2026, 1, 1), LONG), (date(2026, 3, 3), SHORT)])


def _resolution(schedule: str) -> SlaPolicy:
    return SlaPolicy(
        name="p",
        calendar=CHANGING,
        schedule=schedule,  # type: ignore[arg-type]
        targets=[SlaTarget(metric="resolution", within=40 * H)],
    )


def test_each_span_counts_in_the_schedule_in_force_then() -> None:
    # Zendesk: business hours follow the schedule in force at each instant. Monday 2026-03-02
    # 08:00-20:00 (12 h) under the old schedule, Tuesday 09:00-17:00 (8 h) under the new one.
    ticket = _ticket(created=at(8))
    result = _only(_resolution("in_force"), ticket, at(24 + 17), SlaMetric.RESOLUTION)
    assert 20 * H == result.elapsed


def test_the_latest_schedule_counts_the_whole_ticket() -> None:
    ticket = _ticket(created=at(8))
    result = _only(_resolution("latest"), ticket, at(24 + 17), SlaMetric.RESOLUTION)
    assert 16 * H == result.elapsed


def test_the_schedules_a_ticket_had() -> None:
    # dbt_zendesk's schedule history: every schedule in force while the ticket was open.
    spans = CHANGING.spans(at(8), at(24 + 17))
    assert [
        (at(8), datetime(2026, 3, 3, tzinfo=UTC), LONG),
        (datetime(2026, 3, 3, tzinfo=UTC), at(24 + 17), SHORT),
    ] == list(spans)


def test_an_unknown_schedule_rule_raises() -> None:
    with pytest.raises(SlaError, match="schedule must be 'in_force' or 'latest'"):
        SlaPolicy(name="p", schedule="first")  # type: ignore[arg-type]


def test_target_for_reads_the_group_and_skips_conditional_targets() -> None:
    policy = SlaPolicy(
        name="p",
        targets=[
            SlaTarget(
                metric="first_reply",
                within=H,
                condition={"field": "ticket.tags", "op": "has", "value": "vip"},
            ),
            SlaTarget(metric="first_reply", within=2 * H, group="tier2"),
            SlaTarget(metric="first_reply", within=8 * H),
        ],
    )
    assert (2 * H, 8 * H) == (
        policy.target_for("first_reply", group="tier2").within,  # type: ignore[union-attr]
        policy.target_for("first_reply").within,  # type: ignore[union-attr]
    )


def test_the_report_breaks_group_ownership_down_by_group() -> None:
    from cs8.sla import sla_report

    report = sla_report([_handed_over()], GROUPS, now=at(13))
    tier1 = report.rate("group_ownership", by="group", key="tier1")
    tier2 = report.rate("group_ownership", by="group", key="tier2")
    assert ((0.0, 1), (0.5, 2)) == ((tier1.value, tier1.n), (tier2.value, tier2.n))
