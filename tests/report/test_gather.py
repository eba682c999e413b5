"""Each section's numbers equal the KPI computed directly on the same records (oracles)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from cs8.datasets import SampleShop
from cs8.kpi import backlog, first_reply_time, ticket_summary
from cs8.report import ServiceData, ServiceReport, build_report


def test_buckets_partition_the_first_replies(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    calendar = ServiceData.from_shop(quarter).calendar()
    stats = first_reply_time(quarter.tickets, calendar=calendar)
    counts = [int(f.value or 0) for f in quarter_report.buckets]
    assert sum(counts) == stats.n
    within_hour = sum(
        1
        for t in quarter.tickets
        if (one := first_reply_time([t], calendar=calendar)).n
        and one.median is not None
        and one.median < timedelta(hours=1)
    )
    assert counts[0] == within_hour


def test_backlog_equals_the_kpi_at_each_local_day_end(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    zone = ZoneInfo(quarter_report.zone)
    for day, count in quarter_report.backlog[::9]:
        at = datetime.combine(day + timedelta(days=1), time(), zone)
        assert count == backlog(quarter.tickets, at).value, day


def test_volume_trend_sums_to_the_tickets(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    volume = quarter_report.trends[0]
    assert sum(p.n for p in volume.points) == len(quarter.tickets)


def test_breakdown_rows_are_the_kpis_of_their_group(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    calendar = ServiceData.from_shop(quarter).calendar()
    channel = quarter_report.breakdowns[0]
    assert channel.dimension == "channel"
    for row in channel.rows:
        group = [t for t in quarter.tickets if t.channel.value == row.group]
        summary = ticket_summary(group, calendar)
        assert row.figures[0].n == len(group)
        assert summary.first_reply_time.median is not None
        assert row.figures[1].value == summary.first_reply_time.median.total_seconds()
        assert row.figures[3].value == summary.reopen_rate.value


def test_arrival_heatmap_counts_every_arrival(
    quarter: SampleShop, quarter_report: ServiceReport
) -> None:
    arrivals = quarter_report.heatmaps[0]
    total = sum(int(v or 0) for line in arrivals.values for v in line)
    expected = len(quarter.tickets) + sum(1 for i in quarter.interactions if i.ticket_id is None)
    assert total == expected


def test_breaches_are_listed_by_ticket(quarter_report: ServiceReport) -> None:
    assert quarter_report.breaches
    assert all(row.ticket_id.startswith("T") and row.margin > 0 for row in quarter_report.breaches)


def test_staffing_needs_at_least_one_agent_where_calls_arrive(
    quarter_report: ServiceReport,
) -> None:
    assert quarter_report.staffing
    assert all(r.agents >= 1 and r.scheduled >= r.agents for r in quarter_report.staffing)


def test_servqual_gaps_appear_when_there_are_servqual_answers() -> None:
    from cs8.surveys import ServqualResponse, servqual_scores

    answers = [
        ServqualResponse(expectations=[6] * 22, perceptions=[5] * 11 + [7] * 11),
        ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22),
    ]
    report = build_report(ServiceData(servqual=answers))
    expected = {d.value: g for d, g in servqual_scores(answers).dimension_gaps.items()}
    assert dict(report.servqual) == expected
    assert "SERVQUAL" in report.to_text()


def test_at_risk_clocks_are_listed_by_ticket_at_an_instant_inside_the_period(
    small: SampleShop,
) -> None:
    from cs8.report import default_policy
    from cs8.sla import sla_report

    data = ServiceData.from_shop(small)
    now = datetime(2026, 7, 15, 10, tzinfo=ZoneInfo(small.timezone))
    report = build_report(data, now=now)
    tickets = [t for t in small.tickets if t.created_at < now]
    expected = sla_report(
        tickets,
        default_policy(data.calendar()),
        now=now,
        customers=small.customers,
        timezone=small.timezone,
    )
    assert [r.ticket_id for r in report.at_risk] == [r.ticket_id for r in expected.at_risk]
    assert report.at_risk
    assert len(report.breaches) == len(expected.breaches)
