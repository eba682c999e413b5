"""The dataframe path of the ticket KPIs gives exactly the object path's results."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs8 import ActorKind, Message, StatusChange, Ticket
from cs8.exceptions import Cs8Error, NaiveDatetimeError, UnknownFieldError
from cs8.io import write_tickets
from cs8.kpi import (
    breakdown,
    first_contact_resolution,
    first_reply_time,
    full_resolution_time,
    one_touch_rate,
    reopen_rate,
    resolution_time,
    ticket_summary,
)
from cs8.sla import BusinessCalendar
from cs8.testing import strategies as cs8_st
from tests.kpi._strategies import T0
from tests.kpi._strategies import tickets as kpi_tickets

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

# Each example writes and reads two CSV files with two libraries: fewer examples than the profile's,
# so the kpi test directory stays within its time budget.
_SETTINGS = settings(max_examples=60)

_TEXT = ("id", "customer_id", "ticket_id", "author_id", "merged_into", "agent_id")


def _csv(tickets: Sequence[Ticket]) -> tuple[str, str]:
    t, e = io.StringIO(), io.StringIO()
    write_tickets(tickets, t, e, format="csv")
    return t.getvalue(), e.getvalue()


def frames(tickets: Sequence[Ticket], library: str) -> tuple[object, object]:
    """Write ``tickets`` with cs8.io to CSV and read the two files with pandas or polars."""
    return read_frames(*_csv(tickets), library)


def read_frames(t_text: str, e_text: str, library: str) -> tuple[object, object]:
    """Read tickets and events CSV text with pandas or polars (id columns as text)."""
    if library == "pandas":
        # Only a blank cell is missing, as for cs8.io (pandas would read the text "nan" as NaN).
        kw = {"dtype": dict.fromkeys(_TEXT, str), "keep_default_na": False, "na_values": [""]}
        return pd.read_csv(io.StringIO(t_text), **kw), pd.read_csv(io.StringIO(e_text), **kw)
    overrides = dict.fromkeys(_TEXT, pl.String)
    return (
        pl.read_csv(io.StringIO(t_text), schema_overrides=overrides),
        pl.read_csv(io.StringIO(e_text), schema_overrides=overrides),
    )


unique_tickets = st.lists(kpi_tickets(), max_size=12, unique_by=lambda t: t.id)
model_tickets = st.lists(cs8_st.tickets(), max_size=8, unique_by=lambda t: t.id)
libraries = st.sampled_from(["pandas", "polars"])
presets = st.sampled_from(["cs8", "zendesk", "intercom"])


@_SETTINGS
@given(unique_tickets, libraries, presets)
def test_summary_from_frames_equals_the_object_path(
    tickets: list[Ticket], library: str, preset: str
) -> None:
    tf, ef = frames(tickets, library)
    assert ticket_summary(tickets, definition=preset) == ticket_summary.frame(
        tf, ef, definition=preset
    )


@_SETTINGS
@given(model_tickets, libraries, presets)
def test_summary_from_frames_equals_the_object_path_on_every_event_kind_and_zone(
    tickets: list[Ticket], library: str, preset: str
) -> None:
    tf, ef = frames(tickets, library)
    assert ticket_summary(tickets, definition=preset) == ticket_summary.frame(
        tf, ef, definition=preset
    )


@_SETTINGS
@given(unique_tickets, libraries, st.booleans(), st.booleans(), st.booleans())
def test_first_reply_time_choices_match_the_object_path(
    tickets: list[Ticket], library: str, public_only: bool, count_bots: bool, skip: bool
) -> None:
    tf, ef = frames(tickets, library)
    options = {"public_only": public_only, "count_bots": count_bots, "skip_agent_opening": skip}
    assert first_reply_time(tickets, **options) == first_reply_time.frame(tf, ef, **options)


_PERIOD = (T0 + timedelta(days=5), T0 + timedelta(days=20))


@_SETTINGS
@given(unique_tickets, libraries, st.sampled_from(["created", "event"]))
def test_each_kpi_with_a_period_matches_the_object_path(
    tickets: list[Ticket], library: str, attribution: str
) -> None:
    tf, ef = frames(tickets, library)
    kw = {"period": _PERIOD, "attribution": attribution}
    assert first_reply_time(tickets, **kw) == first_reply_time.frame(tf, ef, **kw)
    assert resolution_time(tickets, **kw) == resolution_time.frame(tf, ef, **kw)
    assert full_resolution_time(tickets, **kw) == full_resolution_time.frame(tf, ef, **kw)
    assert reopen_rate(tickets, **kw) == reopen_rate.frame(tf, ef, **kw)
    assert one_touch_rate(tickets, **kw) == one_touch_rate.frame(tf, ef, **kw)


@_SETTINGS
@given(
    unique_tickets,
    libraries,
    st.lists(
        st.sampled_from(["one_reply", "no_follow_up", "single_agent", "no_repeat_contact"]),
        min_size=1,
        max_size=2,
    ),
    presets,
    st.integers(0, 60 * 24 * 10).map(lambda m: timedelta(minutes=m)),
)
def test_first_contact_resolution_rules_match_the_object_path(
    tickets: list[Ticket], library: str, rules: list[str], preset: str, window: timedelta
) -> None:
    tf, ef = frames(tickets, library)
    kw = {"rules": rules, "definition": preset, "repeat_window": window}
    assert first_contact_resolution(tickets, **kw) == first_contact_resolution.frame(tf, ef, **kw)


_CALENDAR = BusinessCalendar(
    timezone="Asia/Ho_Chi_Minh",
    hours={
        d: [("08:00", "12:00"), ("13:30", "17:30")] for d in ("mon", "tue", "wed", "thu", "fri")
    },
)


@_SETTINGS
@given(unique_tickets, libraries)
def test_business_hours_summary_matches_the_object_path(
    tickets: list[Ticket], library: str
) -> None:
    tf, ef = frames(tickets, library)
    assert ticket_summary(tickets, _CALENDAR) == ticket_summary.frame(tf, ef, _CALENDAR)


def _big(n: int) -> list[Ticket]:
    out = []
    for i in range(n):
        created = T0 + timedelta(seconds=37 * i)
        reply = created + timedelta(seconds=60 + (i * 7919) % 86_400)
        solve = reply + timedelta(seconds=(i * 104_729) % 500_000)
        events = [Message(at=reply, author="agent"), StatusChange(at=solve, status="solved")]
        out.append(
            Ticket(id=f"T{i}", customer_id="C", channel="email", created_at=created, events=events)
        )
    return out


def test_sketched_durations_equal_the_object_path_beyond_the_exact_limit() -> None:
    tickets = _big(5000)
    tf, ef = frames(tickets, "pandas")
    assert ticket_summary(tickets) == ticket_summary.frame(tf, ef)


def test_datetime_columns_give_the_same_result_as_text() -> None:
    tickets = _big(50)
    tf, ef = frames(tickets, "pandas")
    tf["created_at"] = pd.to_datetime(tf["created_at"], utc=True)
    ef["at"] = pd.to_datetime(ef["at"], utc=True)
    assert ticket_summary(tickets) == ticket_summary.frame(tf, ef)


def test_naive_datetime_column_raises() -> None:
    tf = pd.DataFrame({"id": ["T1"], "created_at": [datetime(2026, 1, 1)]})
    ef = pd.DataFrame({"ticket_id": ["T1"], "type": ["message"], "at": [datetime(2026, 1, 1)]})
    with pytest.raises(NaiveDatetimeError):
        ticket_summary.frame(tf, ef)


def test_column_mapping_reads_other_names() -> None:
    tickets = _big(20)
    tf, ef = frames(tickets, "polars")
    tf = tf.rename({"id": "key", "created_at": "opened"})
    ef = ef.rename({"ticket_id": "key", "at": "when"})
    result = ticket_summary.frame(
        tf,
        ef,
        columns={"id": "key", "created_at": "opened"},
        event_columns={"ticket_id": "key", "at": "when"},
    )
    assert ticket_summary(tickets) == result


def test_missing_column_raises_a_cs8_error() -> None:
    tf = pd.DataFrame({"id": ["T1"]})
    ef = pd.DataFrame({"ticket_id": ["T1"], "type": ["message"], "at": ["2026-01-01T00:00:00Z"]})
    with pytest.raises(UnknownFieldError):
        ticket_summary.frame(tf, ef)


def test_agent_created_opening_is_not_a_reply() -> None:
    t = Ticket(
        id="T1",
        customer_id="C",
        channel="email",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        created_by=ActorKind.AGENT,
        events=[Message(at=datetime(2026, 1, 1, 1, tzinfo=UTC), author="agent")],
    )
    tf, ef = frames([t], "polars")
    assert first_reply_time.frame(tf, ef).n == 0


@_SETTINGS
@given(unique_tickets, st.randoms(use_true_random=False))
def test_events_of_tickets_in_any_order_give_the_same_result(
    tickets: list[Ticket], rnd: random.Random
) -> None:
    # Each ticket's events keep their relative order (ties are read in file order, as the
    # loader does); the tickets' blocks are shuffled.
    tf, ef = frames(tickets, "pandas")
    keys = {t.id: rnd.random() for t in tickets}
    shuffled = ef.assign(k=ef["ticket_id"].map(keys)).sort_values("k", kind="stable")
    shuffled = shuffled.drop(columns="k").reset_index(drop=True)
    assert ticket_summary(tickets) == ticket_summary.frame(tf, shuffled)


@_SETTINGS
@given(unique_tickets, st.integers(-5, 5), st.booleans())
def test_integer_ticket_ids_give_the_same_result(
    tickets: list[Ticket], offset: int, spread: bool
) -> None:
    tf, ef = frames(tickets, "polars")
    number = {t.id: (i * 3 if spread else i) + offset for i, t in enumerate(tickets)}
    tf = tf.with_columns(pl.col("id").replace_strict(number, return_dtype=pl.Int64))
    ef = ef.with_columns(pl.col("ticket_id").replace_strict(number, return_dtype=pl.Int64))
    assert ticket_summary(tickets) == ticket_summary.frame(tf.reverse() if spread else tf, ef)


def _table_rows(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: (None if v != v else v) for k, v in r.items()} for r in rows]  # NaN -> None


@_SETTINGS
@given(unique_tickets, st.sampled_from(["first_reply_time", "reopen_rate", "one_touch_rate"]))
def test_breakdown_frame_matches_breakdown_of_objects(tickets: list[Ticket], name: str) -> None:
    from cs8 import kpi

    tf, ef = frames(tickets, "polars")
    out = breakdown.frame(name, tf, ef, by=("channel", "period"), timezone="Asia/Ho_Chi_Minh")
    expected = kpi.breakdown(
        getattr(kpi, name), tickets, by=("channel", "period"), timezone="Asia/Ho_Chi_Minh"
    ).to_dicts()
    assert isinstance(out, pl.DataFrame)
    assert _table_rows(expected) == _table_rows(out.to_dicts())


def test_breakdown_frame_of_pandas_is_pandas() -> None:
    tf, ef = frames(_big(30), "pandas")
    out = breakdown.frame("resolution_time", tf, ef, by="channel")
    assert isinstance(out, pd.DataFrame)
    assert list(out["n"]) == [30]


def test_breakdown_frame_without_dimensions_gives_one_row() -> None:
    tf, ef = frames(_big(3), "polars")
    assert breakdown.frame(first_reply_time, tf, ef).height == 1


def test_breakdown_of_a_dataframe_points_to_breakdown_frame() -> None:
    from cs8.kpi import (
        breakdown,
        first_reply_time,
    )

    tf, _ = frames(_big(3), "pandas")
    with pytest.raises(Cs8Error, match=r"breakdown\.frame"):
        breakdown(first_reply_time, tf, by="channel")


def test_lazy_polars_frames_are_collected() -> None:
    tickets = _big(10)
    tf, ef = frames(tickets, "polars")
    assert ticket_summary(tickets) == ticket_summary.frame(tf.lazy(), ef.lazy())


class _HalfTime:
    """A clock without a batch form: business time is half the elapsed time."""

    def business_duration(self, start: datetime, end: datetime) -> timedelta:
        return (end - start) / 2


@_SETTINGS
@given(unique_tickets)
def test_a_clock_without_a_batch_form_matches_the_object_path(tickets: list[Ticket]) -> None:
    tf, ef = frames(tickets, "polars")
    clock = _HalfTime()
    assert ticket_summary(tickets, clock) == ticket_summary.frame(tf, ef, clock)


@pytest.mark.parametrize("granularity", ["week", "month"])
def test_breakdown_frame_periods_match_breakdown(granularity: str) -> None:
    from cs8 import kpi

    tickets = _big(3000)  # 37 s apart: about 31 hours, across two weeks
    tickets = tickets + [attrs_evolve_created(t, days=40) for t in tickets[:50]]
    tf, ef = frames(tickets, "pandas")
    out = breakdown.frame(
        "resolution_time", tf, ef, by="period", period=granularity, timezone="Europe/Paris"
    )
    expected = kpi.breakdown(
        kpi.resolution_time, tickets, by="period", period=granularity, timezone="Europe/Paris"
    ).to_dicts()
    assert [(r["period"], r["n"]) for r in expected] == list(
        zip(out["period"], out["n"], strict=True)
    )


def attrs_evolve_created(t: Ticket, days: int) -> Ticket:
    shift = timedelta(days=days)
    events = [attrs.evolve(e, at=e.at + shift) for e in t.events]
    return attrs.evolve(t, id=t.id + "-later", created_at=t.created_at + shift, events=events)
