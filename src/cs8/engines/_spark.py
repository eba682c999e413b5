"""The functions module of a Spark-like DataFrame: PySpark (classic or Connect) or SQLFrame.

PySpark 4 defines its DataFrame in ``pyspark.sql.classic.dataframe`` (Spark Connect's in
``pyspark.sql.connect.dataframe``) while the functions are ``pyspark.sql.functions`` for both;
SQLFrame has one functions module per engine (``sqlframe.duckdb.functions``). The cs8 shims that
narwhals cannot express on these frames (epoch microseconds, discrete quantiles) read it here.

Example:
    >>> from sqlframe.duckdb import DuckDBSession
    >>> df = DuckDBSession().createDataFrame([(1,)], ["x"])
    >>> functions_of(df).__name__
    'sqlframe.duckdb.functions'
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["functions_of"]


def functions_of(df: object) -> ModuleType:
    """Return the ``functions`` module that builds columns for ``df``.

    Example:
        >>> from sqlframe.duckdb import DuckDBSession
        >>> functions_of(DuckDBSession().createDataFrame([(1,)], ["x"])).__name__
        'sqlframe.duckdb.functions'
    """
    module = type(df).__module__
    if module.startswith("pyspark."):
        return importlib.import_module("pyspark.sql.functions")
    return importlib.import_module(module.rsplit(".", 1)[0] + ".functions")
