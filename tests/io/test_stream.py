"""cs8.io streaming: chunks of bounded size, the same records as a whole read, strict at once."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import LoadError, Ticket
from cs8.io import iter_interactions, iter_tickets, read_interactions, write_tickets
from tests.strategies import tickets

HEADER = "id,customer_id,channel,started_at\n"


def calls(n: int, bad_every: int = 0) -> str:
    rows = []
    for i in range(n):
        channel = "fax!" if bad_every and i % bad_every == 0 else "phone"
        when = "not a date" if bad_every and i % bad_every == 1 else "2026-01-05T09:00:00Z"
        rows.append(f"I{i},C1,{channel},{when}\n")
    return HEADER + "".join(rows)


def test_chunks_hold_the_same_records_and_rejections_as_a_whole_read() -> None:
    text = calls(25, bad_every=4)
    chunks = list(iter_interactions(io.StringIO(text), chunk_size=7))
    whole = read_interactions(io.StringIO(text))
    assert [c.rows_read for c in chunks] == [7, 7, 7, 4]
    assert [r for c in chunks for r in c.records] == list(whole.records)
    assert [r.line for c in chunks for r in c.rejected] == [r.line for r in whole.rejected]


def test_a_repeated_id_in_a_later_chunk_is_rejected() -> None:
    text = HEADER + "I1,C1,phone,2026-01-05T09:00:00Z\n" * 3
    chunks = list(iter_interactions(io.StringIO(text), chunk_size=2))
    assert [len(c.records) for c in chunks] == [1, 0]
    assert chunks[1].rejected[0].reason == "duplicate id 'I1' (kept line 2)"


def test_streaming_cannot_reject_every_copy() -> None:
    with pytest.raises(LoadError, match="streaming takes"):
        next(iter_interactions(io.StringIO(HEADER), duplicates="reject"))


def test_strict_raises_before_the_rest_of_the_file_is_read() -> None:
    read: list[int] = []

    class Lines(io.StringIO):
        def __next__(self) -> str:
            line = super().__next__()
            read.append(1)
            return line

    text = HEADER + "I0,C1,fax!,nope\n" + calls(1000)[len(HEADER) :]
    with pytest.raises(LoadError):
        list(iter_interactions(Lines(text), strict=True))
    assert len(read) < 100


def test_progress_callback_sees_the_rows() -> None:
    seen: list[int] = []
    list(iter_interactions(io.StringIO(calls(25_000)), progress=seen.append))
    assert seen == [10_000, 20_000, 25_000]


@given(st.lists(tickets(), min_size=1, max_size=6, unique_by=lambda t: t.id))
def test_tickets_stream_from_json_lines_with_their_events(items: list[Ticket]) -> None:
    out = io.StringIO()
    write_tickets(items, out, format="jsonl")
    back = io.StringIO(out.getvalue())
    back.name = "t.jsonl"
    chunks = list(iter_tickets(back, chunk_size=4))
    assert [t for c in chunks for t in c.records] == items


def test_progress_true_shows_a_bar_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    list(iter_interactions(io.StringIO(calls(12_000)), progress=True))
    assert "12.0k rows" in capsys.readouterr().err


def test_a_whole_read_reports_progress_too() -> None:
    seen: list[int] = []
    read_interactions(io.StringIO(calls(10_500)), progress=seen.append)
    assert seen == [10_000, 10_500]
