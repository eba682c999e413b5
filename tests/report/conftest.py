"""Shared fixtures: the sample quarter's report, built once per session."""

from __future__ import annotations

import pytest

from cs8.datasets import SampleShop, sample_shop
from cs8.report import ServiceData, ServiceReport, build_report


@pytest.fixture(scope="session")
def quarter() -> SampleShop:
    """The bundled sample quarter (``cs8 report`` without files)."""
    return sample_shop()


@pytest.fixture(scope="session")
def quarter_report(quarter: SampleShop) -> ServiceReport:
    return build_report(ServiceData.from_shop(quarter))


@pytest.fixture(scope="session")
def small() -> SampleShop:
    return sample_shop(n_customers=600, weeks=4)
