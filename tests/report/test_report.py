"""cs8.report: the S8 scorecard reads the KPIs it names; the report works on empty data."""

from __future__ import annotations

from datetime import timedelta

from cs8.datasets import SampleShop
from cs8.kpi import csat, first_contact_resolution, proactive_rate, service_level
from cs8.report import PILLARS, ScorecardTargets, ServiceData, build_report
from cs8.report._scorecard import live_contacts


def test_scorecard_has_the_eight_pillars_in_order(small: SampleShop) -> None:
    report = build_report(ServiceData.from_shop(small))
    assert tuple(row.pillar for row in report.scorecard) == PILLARS


def test_availability_is_the_service_level_of_live_inbound_contacts(small: SampleShop) -> None:
    row = build_report(ServiceData.from_shop(small)).scorecard[0]
    expected = service_level(live_contacts(small.interactions), threshold=timedelta(seconds=20))
    assert row.value == expected.value


def test_accuracy_empathy_and_proactivity_read_their_kpis(small: SampleShop) -> None:
    scorecard = {row.pillar: row for row in build_report(ServiceData.from_shop(small)).scorecard}
    assert scorecard["accuracy"].value == first_contact_resolution(small.tickets).value
    assert scorecard["empathy"].value == csat(small.surveys).value
    assert scorecard["proactivity"].value == proactive_rate(small.interactions).value


def test_targets_decide_the_verdict(small: SampleShop) -> None:
    lenient = build_report(ServiceData.from_shop(small), targets=ScorecardTargets(csat=0.0))
    strict = build_report(ServiceData.from_shop(small), targets=ScorecardTargets(csat=1.0))
    assert (lenient.scorecard[3].met, strict.scorecard[3].met) == (True, False)


def test_trend_compares_the_last_period_with_the_one_before(small: SampleShop) -> None:
    report = build_report(ServiceData.from_shop(small))
    start, end = report.periods[-2], report.periods[-1]
    tz = small.tickets[0].created_at.tzinfo
    assert tz is not None
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(report.zone)
    a, b = datetime.combine(start, time(), zone), datetime.combine(end, time(), zone)
    last = [s for s in small.surveys if s.at >= b]
    before = [s for s in small.surveys if a <= s.at < b]
    empathy = report.scorecard[3]
    assert (empathy.latest, empathy.previous) == (csat(last).value, csat(before).value)


def test_empty_data_reports_no_data_rather_than_failing() -> None:
    report = build_report(ServiceData(timezone="UTC"))
    assert {row.status for row in report.scorecard} == {"no data"}
    assert "0 of 0 measured pillars" in report.to_text()


def test_without_a_calendar_durations_are_given_once(small: SampleShop) -> None:
    data = ServiceData(tickets=small.tickets, timezone=small.timezone)
    report = build_report(data)
    keys = [f.key for f in report.tickets]
    assert "kpi.first_reply" in keys
    assert "kpi.first_reply_business" not in keys
    assert "business hours" not in report.to_text().split("Definitions")[0]


def test_month_period_cuts_trends_by_month(small: SampleShop) -> None:
    report = build_report(ServiceData.from_shop(small), period="month")
    assert all(day.day == 1 for day in report.periods)
    volume = report.trends[0]
    assert sum(p.n for p in volume.points) == len(small.tickets)
