"""Load and write cs8 records: CSV and JSON Lines, with column mappings and rejected rows.

Every loader returns a :class:`LoadResult`: ``.records``, and ``.rejected`` rows each with its
file, line, column, value and reason, so ``len(records) + len(rejected) == rows_read`` always.

Example:
    >>> import io
    >>> from cs8.io import read_customers
    >>> result = read_customers(io.StringIO("id,segment\\nC1,vip\\nC2,platinum\\n"))
    >>> len(result.records), result.rejected[0].column
    (1, 'segment')
"""

from cs8.io._chatwoot import read_chatwoot
from cs8.io._common import LoadResult, RejectedRow
from cs8.io._dataset import Dataset
from cs8.io._eventlog import ACTIVITIES, read_event_log
from cs8.io._events import EVENT_COLUMNS
from cs8.io._freshdesk import read_freshdesk
from cs8.io._intercom import read_intercom
from cs8.io._jsm import read_jsm
from cs8.io._readers import (
    ReadOptions,
    read_customers,
    read_interactions,
    read_orders,
    read_records,
    read_survey_responses,
    read_tickets,
)
from cs8.io._reconcile import (
    REASONS,
    VENDOR_METRICS,
    Reconciliation,
    ReconciliationRow,
    reconcile,
)
from cs8.io._servicenow import read_servicenow
from cs8.io._stream import iter_interactions, iter_records, iter_tickets
from cs8.io._writers import (
    WriteOptions,
    neutralise,
    write_customers,
    write_interactions,
    write_orders,
    write_records,
    write_survey_responses,
    write_tickets,
)
from cs8.io._zammad import read_zammad
from cs8.io._zendesk import read_zendesk

__all__ = [
    "ACTIVITIES",
    "EVENT_COLUMNS",
    "REASONS",
    "VENDOR_METRICS",
    "Dataset",
    "LoadResult",
    "ReadOptions",
    "Reconciliation",
    "ReconciliationRow",
    "RejectedRow",
    "WriteOptions",
    "iter_interactions",
    "iter_records",
    "iter_tickets",
    "neutralise",
    "read_chatwoot",
    "read_customers",
    "read_event_log",
    "read_freshdesk",
    "read_interactions",
    "read_intercom",
    "read_jsm",
    "read_orders",
    "read_records",
    "read_servicenow",
    "read_survey_responses",
    "read_tickets",
    "read_zammad",
    "read_zendesk",
    "reconcile",
    "write_customers",
    "write_interactions",
    "write_orders",
    "write_records",
    "write_survey_responses",
    "write_tickets",
]
