"""The two real logs load with cs8 alone: a fresh interpreter reads both and never imports pandas.

Issue 12's "done when": the 4TU helpdesk log and the Anonymous Bank log load with
``read_event_log`` / ``read_interactions`` and mappings alone, no pandas. The figures are checked
against the raw files in ``test_real_logs``; this checks the "alone".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests._data import shared_file

SCRIPT = """
import sys
from cs8.io import read_event_log, read_interactions
from tests.io.test_real_logs import HELPDESK_ACTIVITIES
log = read_event_log(
    sys.argv[1], case="case:concept:name", at="time:timestamp", activity="concept:name",
    resource="org:resource", values={"activity": HELPDESK_ACTIVITIES},
    constants={"customer_id": "unknown"},
)
none = ["0:00:00"]
calls = read_interactions(
    sys.argv[2], delimiter="\\t",
    columns={"id": ("vru+line", "call_id"), "started_at": ("date", "vru_entry"),
             "answered_at": ("date", "ser_start"),
             "ended_at": [("date", "ser_exit"), ("date", "q_exit")]},
    missing={"ser_start": none, "ser_exit": none, "q_exit": none},
    constants={"channel": "phone"}, date_format="%y%m%d %H:%M:%S", timezone="Asia/Jerusalem",
)
print(len(log.records), calls.rows_read, "pandas" in sys.modules)
"""


def test_both_real_logs_load_without_pandas_in_a_fresh_interpreter() -> None:
    helpdesk = shared_file("helpdesk_eventlog.csv")
    bank = shared_file("anonymous_bank_february_1999.txt")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(helpdesk), str(bank)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],  # the repository root: tests/ imports
    )
    assert done.stdout.split() == ["4580", "33344", "False"]
