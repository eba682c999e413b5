"""cs8._trusted: the trusted constructor stores values as given and equals ``__init__``'s result."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Channel, Interaction
from cs8._trusted import paused_collection, trusted_builder, trusted_constructor

make = trusted_constructor(Interaction)


@given(
    seconds=st.integers(0, 10**6),
    wait=st.integers(0, 3600),
    talk=st.integers(0, 3600),
    channel=st.sampled_from(list(Channel)),
    agent=st.none() | st.text(min_size=1, max_size=5),
)
def test_equals_the_validated_constructor(
    seconds: int, wait: int, talk: int, channel: Channel, agent: str | None
) -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC) + timedelta(seconds=seconds)
    built = Interaction(
        id="I1",
        customer_id="C1",
        channel=channel,
        started_at=start,
        answered_at=start + timedelta(seconds=wait),
        agent_id=agent,
        talk_time=timedelta(seconds=talk),
    )
    values = attrs.asdict(built, recurse=False)
    made = make(*values.values())
    assert made == built
    assert type(made) is Interaction
    assert repr(made) == repr(built)
    assert hash(made) == hash(built)


@given(
    rows=st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from(list(Channel)), st.none() | st.text()),
        max_size=20,
    )
)
def test_the_builder_equals_the_constructor_row_by_row(
    rows: list[tuple[int, Channel, str | None]],
) -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    built = [
        Interaction(
            id=f"I{i}",
            customer_id="C1",
            channel=channel,
            started_at=start + timedelta(seconds=seconds),
            agent_id=agent,
        )
        for i, (seconds, channel, agent) in enumerate(rows)
    ]
    values = [list(attrs.asdict(b, recurse=False).values()) for b in built]
    columns = [list(column) for column in zip(*values, strict=True)] or [
        [] for _ in attrs.fields(Interaction)
    ]
    made = trusted_builder(Interaction)(columns, len(rows))
    assert made == built
    assert [repr(m) for m in made] == [repr(b) for b in built]
    assert made == [make(*row) for row in values]


def test_the_builder_refuses_a_short_column() -> None:
    columns = [[None] for _ in attrs.fields(Interaction)]
    columns[0] = []
    with pytest.raises(ValueError, match="a column of 0 values for 1 records"):
        trusted_builder(Interaction)(columns, 1)


def test_checks_nothing_so_it_is_for_checked_values_only() -> None:
    values = {f.name: f.default for f in attrs.fields(Interaction)}
    values.update(id="", customer_id="C1", channel=Channel.CHAT, started_at=None)
    assert make(*values.values()).id == ""  # __init__ would refuse it: the caller's duty


def test_refuses_classes_it_cannot_build() -> None:
    with pytest.raises(TypeError, match="not an attrs class"):
        trusted_constructor(int)

    @attrs.frozen
    class Hooked:
        x: int

        def __attrs_pre_init__(self) -> None:
            pass

    with pytest.raises(TypeError, match="pre_init"):
        trusted_constructor(Hooked)


def test_paused_collection_enables_the_collector_again_after_an_exception() -> None:
    seen = []

    def build() -> None:
        with paused_collection():
            seen.append(gc.isenabled())
            raise ZeroDivisionError

    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        build()
    assert seen == [False]
    assert gc.isenabled()


def test_paused_collection_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the application's choice is kept
    finally:
        gc.enable()
    with paused_collection():
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one did not enable it under the outer one
    assert gc.isenabled()


def test_paused_collection_still_collects_cycles_afterwards() -> None:
    class Node:
        other: object = None

    with paused_collection():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
    assert gc.collect() >= 2  # the cycle made inside the block is collected as usual


def _collections_on_leaving(
    count: int, *, lasting: bool = True
) -> tuple[list[int], list[list[int]]]:
    """The generations collected while a paused block that kept ``count`` new lists ends, and
    the lists (kept alive by the caller)."""
    collected: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    gc.collect()  # every generation's count back to 0: the block's own objects decide
    gc.callbacks.append(note)
    try:
        with paused_collection(lasting=lasting):
            kept = [[i] for i in range(count)]
        gc.callbacks.remove(note)  # nothing of the test's own after the block is counted
    finally:
        if note in gc.callbacks:
            gc.callbacks.remove(note)
    return collected, kept


def test_a_large_paused_block_ends_with_one_middle_collection_into_the_oldest() -> None:
    limit = gc.get_threshold()[0]
    collected, kept = _collections_on_leaving(10 * limit)
    assert collected == [1]  # one pass over the block, not a young one now and a middle later
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(o) in oldest for o in kept)


def test_a_small_or_short_lived_paused_block_is_left_to_the_automatic_collections() -> None:
    collected, kept = _collections_on_leaving(gc.get_threshold()[0] // 2)
    assert collected == []
    assert len(kept) == gc.get_threshold()[0] // 2
    collected, _ = _collections_on_leaving(10 * gc.get_threshold()[0], lasting=False)
    assert collected == [0]  # a streamed chunk's: the young collection of the next allocation


def test_a_paused_block_collects_nothing_when_automatic_collection_is_off() -> None:
    thresholds = gc.get_threshold()
    gc.set_threshold(0)  # the application's way to turn automatic collection off
    try:
        collected, _ = _collections_on_leaving(10_000)
    finally:
        gc.set_threshold(*thresholds)
    assert collected == []
    gc.disable()
    try:
        collected, _ = _collections_on_leaving(10_000)
    finally:
        gc.enable()
    assert collected == []


def test_a_constructor_of_some_fields_leaves_the_others_unset() -> None:
    @attrs.frozen
    class Pair:
        a: int
        b: int = 0

    make = trusted_constructor(Pair, ("b",))
    made = make(5)
    assert made.b == 5
    with pytest.raises(AttributeError):
        _ = made.a  # unset: for classes whose descriptors build such fields when read


def test_a_builder_of_some_fields_leaves_the_others_unset() -> None:
    @attrs.frozen
    class Pair:
        a: int
        b: int = 0

    made = trusted_builder(Pair, ("b",))([map(abs, [-1, 2])], 2)
    assert [m.b for m in made] == [1, 2]
    with pytest.raises(AttributeError):
        _ = made[0].a
