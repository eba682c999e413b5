"""Service-quality surveys: SERVQUAL/RATER gap scoring, reliability, IPA and CSAT/NPS/CES.

Example:
    >>> from cs8.surveys import ServqualResponse, servqual_scores
    >>> r = ServqualResponse(expectations=[7] * 22, perceptions=[6] * 22)
    >>> servqual_scores([r]).unweighted
    -1.0
"""

from cs8.surveys._instrument import (
    RATER_ORDER,
    SERVPERF,
    SERVQUAL_1988,
    SERVQUAL_1991,
    SERVQUAL_ITEMS,
    SERVQUAL_THREE_COLUMN,
    Dimension,
    Instrument,
    Item,
    ResponseFormat,
)
from cs8.surveys._ipa import (
    IpaPoint,
    IpaResult,
    Quadrant,
    derived_importance,
    importance_performance,
    servqual_ipa,
)
from cs8.surveys._questions import (
    CES_EFFORT_QUESTION,
    CES_QUESTION,
    CSAT_QUESTION,
    NPS_QUESTION,
    Question,
    SurveyTally,
    survey_due,
    survey_due_at,
)
from cs8.surveys._reliability import (
    ReliabilityReport,
    cronbach_alpha,
    dimension_reliability,
    reliability,
)
from cs8.surveys._responses import NOT_APPLICABLE, Missing, ServqualResponse
from cs8.surveys._servqual import servqual_scores
from cs8.surveys._servqual_breakdown import ServqualBreakdown, servqual_breakdown
from cs8.surveys._servqual_results import (
    BatteryScores,
    Gap1Report,
    RespondentScore,
    ServqualReport,
    ZonePosition,
    ZoneReport,
)

__all__ = [
    "CES_EFFORT_QUESTION",
    "CES_QUESTION",
    "CSAT_QUESTION",
    "NOT_APPLICABLE",
    "NPS_QUESTION",
    "RATER_ORDER",
    "SERVPERF",
    "SERVQUAL_1988",
    "SERVQUAL_1991",
    "SERVQUAL_ITEMS",
    "SERVQUAL_THREE_COLUMN",
    "BatteryScores",
    "Dimension",
    "Gap1Report",
    "Instrument",
    "IpaPoint",
    "IpaResult",
    "Item",
    "Missing",
    "Quadrant",
    "Question",
    "ReliabilityReport",
    "RespondentScore",
    "ResponseFormat",
    "ServqualBreakdown",
    "ServqualReport",
    "ServqualResponse",
    "SurveyTally",
    "ZonePosition",
    "ZoneReport",
    "cronbach_alpha",
    "derived_importance",
    "dimension_reliability",
    "importance_performance",
    "reliability",
    "servqual_breakdown",
    "servqual_ipa",
    "servqual_scores",
    "survey_due",
    "survey_due_at",
]

# Statistics moved to cs8.stats (one home); the old names warn for one release.
_MOVED = {
    "PairedTest": "PairedTest",
    "WilcoxonTest": "WilcoxonTest",
    "bootstrap_ci": "bootstrap_ci",
    "paired_t_test": "paired_t_test",
    "t_cdf": "t_cdf",
    "t_ppf": "t_quantile",
    "wilcoxon_signed_rank": "wilcoxon_signed_rank",
}


def __getattr__(name: str) -> object:
    if name in _MOVED:
        import cs8.stats
        from cs8.kpi._kpi import deprecated_alias

        new = _MOVED[name]
        return deprecated_alias("cs8.surveys", name, getattr(cs8.stats, new), f"cs8.stats.{new}")
    raise AttributeError(f"module 'cs8.surveys' has no attribute {name!r}")
