"""Customers: who is still a customer, what they are worth, when they will buy again.

Example:
    >>> from cs8.customers import TimeUnit
    >>> TimeUnit.WEEK.days
    7
"""

from cs8.customers._bgnbd import BgNbd, fit_bgnbd
from cs8.customers._gamma_gamma import GammaGamma, customer_lifetime_value, fit_gamma_gamma
from cs8.customers._next_purchase import PurchaseDue, next_purchase_due
from cs8.customers._pareto import ParetoNbd, fit_pareto_nbd
from cs8.customers._rfm import RFM_SEGMENTS, RfmRule, RfmSegment, rfm_segments
from cs8.customers._simulate import simulate_bgnbd
from cs8.customers._summary import (
    CustomerSummary,
    HoldoutSummary,
    PurchaseState,
    TimeUnit,
    calibration_holdout,
    purchase_state,
    purchase_summary,
)
from cs8.customers._table import SummaryTable
from cs8.customers._transactions import TransactionModel
from cs8.exceptions import ConvergenceError

__all__ = [
    "RFM_SEGMENTS",
    "BgNbd",
    "ConvergenceError",
    "CustomerSummary",
    "GammaGamma",
    "HoldoutSummary",
    "ParetoNbd",
    "PurchaseDue",
    "PurchaseState",
    "RfmRule",
    "RfmSegment",
    "SummaryTable",
    "TimeUnit",
    "TransactionModel",
    "calibration_holdout",
    "customer_lifetime_value",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_pareto_nbd",
    "next_purchase_due",
    "purchase_state",
    "purchase_summary",
    "rfm_segments",
    "simulate_bgnbd",
]
