"""cs8.report: the S8 scorecard reads the KPIs it names; the report works on empty data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cs8 import ActorKind, Channel, Direction
from cs8.datasets import SampleShop, sample_shop
from cs8.kpi import csat, first_contact_resolution, proactive_rate, service_level
from cs8.report import PILLARS, ScorecardTargets, ServiceData, build_report


@pytest.fixture(scope="module")
def shop() -> SampleShop:
    return sample_shop(n_customers=600, weeks=4)


def test_scorecard_has_the_eight_pillars_in_order(shop: SampleShop) -> None:
    report = build_report(ServiceData.from_shop(shop))
    assert tuple(row.pillar for row in report.scorecard) == PILLARS


def test_availability_is_the_service_level_of_live_inbound_contacts(shop: SampleShop) -> None:
    live = [
        i
        for i in shop.interactions
        if i.channel in (Channel.PHONE, Channel.CHAT)
        and i.handled_by is ActorKind.AGENT
        and i.direction is Direction.INBOUND
    ]
    row = build_report(ServiceData.from_shop(shop)).scorecard[0]
    assert row.value == service_level(live, threshold=timedelta(seconds=20)).value


def test_accuracy_empathy_and_proactivity_read_their_kpis(shop: SampleShop) -> None:
    scorecard = {row.pillar: row for row in build_report(ServiceData.from_shop(shop)).scorecard}
    assert scorecard["accuracy"].value == first_contact_resolution(shop.tickets).value
    assert scorecard["empathy"].value == csat(shop.surveys).value
    assert scorecard["proactivity"].value == proactive_rate(shop.interactions).value


def test_targets_decide_the_verdict(shop: SampleShop) -> None:
    lenient = build_report(ServiceData.from_shop(shop), targets=ScorecardTargets(csat=0.0))
    strict = build_report(ServiceData.from_shop(shop), targets=ScorecardTargets(csat=1.0))
    assert (lenient.scorecard[3].met, strict.scorecard[3].met) == (True, False)


def test_empty_data_reports_no_data_rather_than_failing() -> None:
    report = build_report(ServiceData(timezone="UTC"))
    assert {row.status for row in report.scorecard} == {"no data"}
    assert "0 of 0 measured pillars" in report.to_text()


def test_report_converts_to_json(shop: SampleShop) -> None:
    import json

    data = json.loads(build_report(ServiceData.from_shop(shop)).to_json())
    assert [row["pillar"] for row in data["scorecard"]] == list(PILLARS)
