"""Type-checked in CI: cs8.surveys used as a user would write it (also run by pytest)."""

from __future__ import annotations

from cs8.surveys import (
    SERVQUAL_ITEMS,
    Dimension,
    ServqualReport,
    ServqualResponse,
    cronbach_alpha,
    servqual_scores,
)


def responses() -> list[ServqualResponse]:
    return [
        ServqualResponse(expectations=[7] * 22, perceptions=[5] * 22),
        ServqualResponse(expectations=[6] * 22, perceptions=[6] * 11 + [4] * 11),
    ]


def score(rows: list[ServqualResponse]) -> ServqualReport:
    weights = {
        Dimension.TANGIBLES: 10.0,
        Dimension.RELIABILITY: 30.0,
        Dimension.RESPONSIVENESS: 20.0,
        Dimension.ASSURANCE: 20.0,
        Dimension.EMPATHY: 20.0,
    }
    return servqual_scores(rows, weights=weights)


def alpha() -> float:
    return cronbach_alpha([[4, 5, 4], [2, 3, 3], [5, 5, 4], [3, 3, 2]])


def main() -> None:
    assert len(SERVQUAL_ITEMS) == 22
    assert SERVQUAL_ITEMS[0].dimension is Dimension.TANGIBLES
    report = score(responses())
    assert report.n == 2
    assert len(report.item_gaps) == 22
    assert report.weighted is not None
    assert -6 <= report.unweighted <= 0
    assert 0 < alpha() <= 1
