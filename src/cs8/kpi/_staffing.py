"""Where ``cs8.kpi._surveys`` and ``cs8.kpi._customers`` still import their table rendering from.

The staffing maths moved to :mod:`cs8.staffing`; the two rendering helpers live in
``cs8.staffing._display`` and are re-exported here only so those modules keep importing them until
the KPI result layer replaces them (then this module goes).

Example:
    >>> _text_table("T", {"a": 1}).splitlines()[1].split()
    ['a', '1']
"""

from cs8.staffing._display import _html_table, _text_table

__all__ = ["_html_table", "_text_table"]
