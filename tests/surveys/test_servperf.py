"""The two SERVPERF scores: mean of dimension means (default) and Cronin and Taylor's item sum.

Cronin, J. J. and Taylor, S. A. (1992), "Measuring service quality: a reexamination and
extension", Journal of Marketing 56(3), 55-68: SERVPERF is the unweighted sum of the 22
perception items.
"""

from __future__ import annotations

import math
import random

from cs8.surveys import SERVPERF, ServqualResponse, servqual_scores


def _responses(seed: int = 5) -> list[ServqualResponse]:
    rng = random.Random(seed)
    return [
        ServqualResponse(instrument=SERVPERF, perceptions=[rng.randint(1, 7) for _ in range(22)])
        for _ in range(40)
    ]


def test_item_mean_is_cronin_taylor_sum_over_22() -> None:
    responses = _responses()
    sums = [sum(r.perceptions) for r in responses]  # type: ignore[arg-type]
    report = servqual_scores(responses)
    assert math.isclose(report.servperf_item_mean, sum(sums) / len(sums) / 22, rel_tol=1e-12)


def test_default_is_the_mean_of_dimension_means() -> None:
    report = servqual_scores(_responses())
    dims = report.perceptions.dimensions
    assert report.servperf == report.perceptions.overall
    assert math.isclose(report.servperf, math.fsum(dims.values()) / len(dims), rel_tol=1e-12)
    assert report.servperf != report.servperf_item_mean  # 4, 5, 4, 4, 5 items: they differ
