"""cs8.report: the service report people read, and the S8 scorecard.

:func:`build_report` computes every figure as numbers (:class:`ServiceReport`); the report then
renders as text, Markdown, JSON or one self-contained HTML page with inline SVG charts, in any
language of the catalogue (``"en"``, ``"vi"``; see :func:`available_languages`). ``cs8 report``
on the command line does the same. The ``plot_*`` functions draw the charts with matplotlib for
users who want them alone.

The S8 model holds that each of its eight pillars (availability, speed, accuracy, empathy,
proactivity, personalization, omnichannel, continuous learning) is worth something only when it
is measured. The scorecard gives each pillar one headline measure from :mod:`cs8.kpi` and
:mod:`cs8.sla`, a target you choose (:class:`ScorecardTargets`), the verdict and its trend; every
figure comes with its sample size.

Example:
    >>> from cs8.datasets import sample_shop
    >>> report = build_report(ServiceData.from_shop(sample_shop(n_customers=300, weeks=4)))
    >>> [row.pillar for row in report.scorecard][:3]
    ['availability', 'speed', 'accuracy']
    >>> report.to_markdown(lang="vi").splitlines()[0]
    '# Báo cáo chăm sóc khách hàng: sample shop (seed 0)'
"""

from cs8.report._data import ServiceData
from cs8.report._gather import build_report
from cs8.report._lang import Language, available_languages, language
from cs8.report._model import (
    Breakdown,
    BreakdownRow,
    Figure,
    Heatmap,
    Series,
    SlaRow,
    StaffingRow,
)
from cs8.report._plot import (
    plot_backlog,
    plot_first_reply_buckets,
    plot_heatmap,
    plot_staffing,
    plot_trend,
)
from cs8.report._report import ServiceReport
from cs8.report._scorecard import PILLARS, PillarScore, ScorecardTargets, default_policy
from cs8.report._tables import ServiceTables, read_tables

__all__ = [
    "PILLARS",
    "Breakdown",
    "BreakdownRow",
    "Figure",
    "Heatmap",
    "Language",
    "PillarScore",
    "ScorecardTargets",
    "Series",
    "ServiceData",
    "ServiceReport",
    "ServiceTables",
    "SlaRow",
    "StaffingRow",
    "available_languages",
    "build_report",
    "default_policy",
    "language",
    "plot_backlog",
    "plot_first_reply_buckets",
    "plot_heatmap",
    "plot_staffing",
    "plot_trend",
    "read_tables",
]
