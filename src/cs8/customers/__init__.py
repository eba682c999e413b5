"""Customers: who is still a customer, what they are worth, when they will buy again.

Example:
    >>> from cs8.customers import TimeUnit
    >>> TimeUnit.WEEK.days
    7
"""

from cs8.customers._bgnbd import BgNbd, fit_bgnbd
from cs8.customers._gamma_gamma import GammaGamma, customer_lifetime_value, fit_gamma_gamma
from cs8.customers._journey import (
    DEFAULT_STAGES,
    Funnel,
    FunnelStep,
    JourneyEvent,
    Stage,
    journey_funnel,
)
from cs8.customers._next_purchase import PurchaseDue, next_purchase_due
from cs8.customers._pareto import ParetoNbd, fit_pareto_nbd
from cs8.customers._proactive import (
    Incident,
    ProactiveFollowUp,
    affected_customers,
    preferred_channels,
    proactive_follow_up,
)
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
    "DEFAULT_STAGES",
    "RFM_SEGMENTS",
    "BgNbd",
    "ConvergenceError",
    "CustomerSummary",
    "Funnel",
    "FunnelStep",
    "GammaGamma",
    "HoldoutSummary",
    "Incident",
    "JourneyEvent",
    "ParetoNbd",
    "ProactiveFollowUp",
    "PurchaseDue",
    "PurchaseState",
    "RfmRule",
    "RfmSegment",
    "Stage",
    "SummaryTable",
    "TimeUnit",
    "TransactionModel",
    "affected_customers",
    "calibration_holdout",
    "customer_lifetime_value",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_pareto_nbd",
    "journey_funnel",
    "next_purchase_due",
    "preferred_channels",
    "proactive_follow_up",
    "purchase_state",
    "purchase_summary",
    "rfm_segments",
    "simulate_bgnbd",
]
