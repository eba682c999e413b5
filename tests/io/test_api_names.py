"""The names issue 12 adds to the public API (API.md, "cs8.io: real exports") exist."""

from __future__ import annotations

import cs8.io
from cs8 import Channel, Interaction, Ticket


def test_io_names() -> None:
    for name in (
        "read_event_log",
        "read_zendesk",
        "read_freshdesk",
        "read_zammad",
        "Dataset",
        "iter_tickets",
        "iter_interactions",
        "neutralise",
    ):
        assert hasattr(cs8.io, name), name
        assert name in cs8.io.__all__


def test_dataset_fields() -> None:
    ds = cs8.io.Dataset()
    for name in ("tickets", "customers", "agents", "interactions", "surveys", "rejected"):
        assert getattr(ds, name) == ()
    assert (ds.calendar, ds.policy, ds.source) == (None, None, "")


def test_channel_other_and_channel_raw() -> None:
    assert Channel("other") is Channel.OTHER
    assert "channel_raw" in Ticket.__init__.__code__.co_varnames
    assert "channel_raw" in Interaction.__init__.__code__.co_varnames
