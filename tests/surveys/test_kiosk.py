"""Run the real kiosk survey (Korea 2019, 211 respondents, 24 paired items) through a custom instrument.

Data: ../shared/data/kiosk_servqual.csv, from github hanakim120/kiosk-servqual-research,
analysis/kiosk.csv (MIT licence). Encoding cp949; expectations ("N-1") and perceptions ("N-2")
alternate in columns 4-51, items in the order 1-7, 9, 8, 10-24.
"""

from __future__ import annotations

import csv
import math

import pytest

from cs8.surveys import (
    Instrument,
    Item,
    ServqualResponse,
    dimension_reliability,
    servqual_breakdown,
    servqual_scores,
)
from tests._data import shared_file

FILE_ORDER = [1, 2, 3, 4, 5, 6, 7, 9, 8, *range(10, 25)]

# The grouping below is this test's own, by the content of the item texts (three items each).
GROUPS = {
    "accuracy": (1, 2, 3),
    "enjoyment": (4, 5, 6),
    "self-service": (7, 8, 9),
    "time": (10, 11, 12),
    "choice": (13, 14, 15),
    "ease": (16, 17, 18),
    "privacy": (19, 20, 21),
    "design": (22, 23, 24),
}
KIOSK = Instrument(
    name="Kiosk K-SERVQUAL (24 items)",
    items=[
        Item(number=n, dimension=d, text=f"kiosk item {n}")
        for d, numbers in GROUPS.items()
        for n in numbers
    ],
)


def _read():
    path = shared_file("kiosk_servqual.csv")
    with path.open(encoding="cp949", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    out = []
    for i, row in enumerate(rows):
        by_number = {}
        for pos, number in enumerate(FILE_ORDER):
            e, p = row[3 + 2 * pos], row[4 + 2 * pos]
            by_number[number] = (int(e) if e.strip() else None, int(p) if p.strip() else None)
        out.append((f"r{i}", row[1], by_number))
    return out


@pytest.fixture(scope="module")
def kiosk():
    data = _read()
    responses = [
        ServqualResponse(
            instrument=KIOSK,
            respondent_id=rid,
            segment=age,
            expectations=[ans[it.number][0] for it in KIOSK.items],
            perceptions=[ans[it.number][1] for it in KIOSK.items],
        )
        for rid, age, ans in data
    ]
    return data, responses


def test_kiosk_survey_has_211_respondents_and_4_blank(kiosk):
    _, responses = kiosk
    report = servqual_scores(responses)
    assert (report.n, report.left_out["missing"]) == (211, 4 * 48)


def test_kiosk_dimension_gaps_match_brute_force(kiosk):
    data, responses = kiosk
    report = servqual_scores(responses)
    for dim, numbers in GROUPS.items():
        per = [
            sum(ans[n][1] - ans[n][0] for n in numbers) / 3
            for _, _, ans in data
            if ans[numbers[0]][0] is not None
        ]
        assert sum(per) / len(per) == pytest.approx(report.dimension_gaps[dim])


def test_kiosk_item_8_is_read_from_its_own_column(kiosk):
    data, responses = kiosk
    report = servqual_scores(responses)
    gaps = [ans[8][1] - ans[8][0] for _, _, ans in data if ans[8][0] is not None]
    assert sum(gaps) / len(gaps) == pytest.approx(
        report.item_gaps[KIOSK.positions("self-service")[1]]
    )


def test_kiosk_perceptions_are_reliable_enough_to_compute(kiosk):
    _, responses = kiosk
    reports = dimension_reliability(responses)
    assert all(not math.isnan(r.alpha) and r.n == 207 for r in reports.values())


def test_kiosk_breakdown_by_age_group_covers_everyone(kiosk):
    _, responses = kiosk
    b = servqual_breakdown(responses, by="segment")
    assert sum(rep.n for rep in b.groups.values()) == 211
