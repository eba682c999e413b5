"""The names issue 12's vendor readers add to cs8.io exist and are exported."""

from __future__ import annotations

import cs8.io


def test_vendor_reader_names() -> None:
    for name in (
        "read_chatwoot",
        "read_intercom",
        "read_jsm",
        "reconcile",
        "Reconciliation",
        "ReconciliationRow",
        "REASONS",
        "VENDOR_METRICS",
    ):
        assert hasattr(cs8.io, name), name
        assert name in cs8.io.__all__


def test_dataset_carries_the_vendor_figures() -> None:
    ds = cs8.io.Dataset()
    assert (dict(ds.sla_cycles), dict(ds.vendor_metrics)) == ({}, {})


def test_ongoing_cycles_are_exposed() -> None:
    import cs8.sla

    for name in ("OngoingCycle", "compare_ongoing"):
        assert name in cs8.sla.__all__
    assert dict(cs8.io.Dataset().ongoing_cycles) == {}


def test_servicenow_reader_is_exported() -> None:
    assert "read_servicenow" in cs8.io.__all__
    for reason in ("updates_not_in_events", "sla_definition", "no_policy", "cycle_paused"):
        assert reason in cs8.io.REASONS
    assert {"made_sla", "updates_missing"} <= set(cs8.io.VENDOR_METRICS)
