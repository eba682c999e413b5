"""cs8.stats: the statistics behind cs8's KPIs and surveys, in one public home.

Distributions without scipy (normal, Student t, F, beta: CDFs and quantiles to machine precision),
intervals of a proportion (Wilson, adjusted Wald), paired tests (t, Wilcoxon signed-rank), the
seeded percentile bootstrap, Pearson's correlation, the type-7 quantile and the mergeable 1 %
quantile sketch. Every function is pure and thread-safe.

Example:
    >>> from cs8.stats import t_quantile, wilson_interval, type7_quantile
    >>> round(t_quantile(0.975, 9), 6)
    2.262157
    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    >>> type7_quantile([1, 2, 3, 4], 0.9)
    3.7
"""

from cs8._distributions import (
    beta_cdf,
    beta_quantile,
    f_cdf,
    f_quantile,
    normal_cdf,
    normal_quantile,
    regularized_beta,
    t_cdf,
    t_quantile,
)
from cs8.stats._intervals import adjusted_wald_interval, wilson_interval
from cs8.stats._sketch import RELATIVE_ACCURACY, QuantileSketch, type7_quantile
from cs8.stats._tests import (
    PairedTest,
    WilcoxonTest,
    bootstrap_ci,
    paired_t_test,
    pearson,
    t_test_of_differences,
    wilcoxon_signed_rank,
)

__all__ = [
    "RELATIVE_ACCURACY",
    "PairedTest",
    "QuantileSketch",
    "WilcoxonTest",
    "adjusted_wald_interval",
    "beta_cdf",
    "beta_quantile",
    "bootstrap_ci",
    "f_cdf",
    "f_quantile",
    "normal_cdf",
    "normal_quantile",
    "paired_t_test",
    "pearson",
    "regularized_beta",
    "t_cdf",
    "t_quantile",
    "t_test_of_differences",
    "type7_quantile",
    "wilcoxon_signed_rank",
    "wilson_interval",
]
