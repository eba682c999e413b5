"""Pooled multi-channel rotas against a brute-force enumeration of every plan on small instances."""

from __future__ import annotations

import itertools
from datetime import time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cs8.exceptions import InvalidValueError
from cs8.staffing import ShiftTemplate, plan_shifts
from cs8.staffing._pooled import serve

_SIX_HOURS = timedelta(hours=6)
_MAX = 2  # most of each drawn template: the enumeration is (max_count + 1) ** templates plans


def _covers(groups: dict[frozenset[str], int], need: dict[str, int]) -> bool:
    """Whether the agents (by channel set) can be given channels so every need is met.

    Independent of Hall's condition: tries every way each group's agents split among its channels.
    """
    items = list(groups.items())

    def walk(k: int, left: dict[str, int]) -> bool:
        if all(v <= 0 for v in left.values()):
            return True
        if k == len(items):
            return False
        skill, count = items[k]
        useful = [c for c in sorted(skill) if left.get(c, 0) > 0]
        for split in itertools.product(range(count + 1), repeat=len(useful)):
            if sum(split) > count:
                continue
            after = dict(left)
            for c, m in zip(useful, split, strict=True):
                after[c] -= m
            if walk(k + 1, after):
                return True
        return False

    return walk(0, dict(need))


def _slots(t: ShiftTemplate) -> list[int]:
    return [s for s in t.worked_slots(_SIX_HOURS) if s < 4]


def _oracle(
    shifts: list[ShiftTemplate], need: dict[str, list[int]], channels: list[str]
) -> float | None:
    """The cheapest plan meeting every channel in every slot, by enumerating all of them."""
    best: float | None = None
    for x in itertools.product(*(range((t.max_count or 0) + 1) for t in shifts)):
        cost = sum(k * (t.cost or 0) for k, t in zip(x, shifts, strict=True))
        if best is not None and cost >= best:
            continue
        ok = True
        for s in range(4):
            groups: dict[frozenset[str], int] = {}
            for k, t in zip(x, shifts, strict=True):
                if k and s in _slots(t):
                    skill = t.channels or frozenset(channels)
                    groups[skill] = groups.get(skill, 0) + k
            if not _covers(groups, {c: need[c][s] for c in channels}):
                ok = False
                break
        if ok:
            best = cost
    return best


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[ShiftTemplate], dict[str, list[int]], list[str]]:
    channels = ["phone", "chat", "email"][: draw(st.integers(2, 3))]
    shifts = []
    for k in range(draw(st.integers(0, 3))):
        start = draw(st.sampled_from([0, 6, 12, 18]))
        length = draw(st.sampled_from([6, 12, 18]))
        skill = draw(st.sets(st.sampled_from(channels), max_size=len(channels)))
        shifts.append(
            ShiftTemplate(
                name=f"s{k}",
                start=time(start),
                length=timedelta(hours=length),
                channels=skill,
                cost=draw(st.integers(1, 9)),
                max_count=_MAX,
            )
        )
    # Two shifts anyone may work, enough of them for any need drawn: every instance has a plan.
    for name, start in (("early", 0), ("late", 12)):
        shifts.append(
            ShiftTemplate(
                name=name,
                start=time(start),
                length=timedelta(hours=12),
                cost=draw(st.integers(1, 9)),
                max_count=3,
            )
        )
    need = {c: draw(st.lists(st.integers(0, 1), min_size=4, max_size=4)) for c in channels}
    return shifts, need, channels


@given(instances())
def test_the_pooled_plan_is_the_cheapest_plan_that_covers_every_channel(
    case: tuple[list[ShiftTemplate], dict[str, list[int]], list[str]],
) -> None:
    pytest.importorskip("scipy")
    shifts, need, channels = case
    best = _oracle(shifts, need, channels)
    assume(best is not None)
    requirement = {c: [need[c]] for c in channels}
    exact = plan_shifts(requirement, shifts=shifts, interval=_SIX_HOURS, method="milp")
    assert exact.cost == best
    assert exact.optimal
    assert exact.gap == 0.0
    assert exact.under == ((0, 0, 0, 0),)
    greedy = plan_shifts(requirement, shifts=shifts, interval=_SIX_HOURS, method="greedy")
    assert greedy.under == ((0, 0, 0, 0),)
    assert greedy.cost >= best
    assert greedy.lower_bound <= best
    if greedy.lower_bound > 0:
        assert greedy.gap == pytest.approx((greedy.cost - greedy.lower_bound) / greedy.lower_bound)
    else:
        assert greedy.cost == 0
    for c in channels:
        assert exact.served[c] == (tuple(need[c]),)


@given(
    st.dictionaries(
        st.frozensets(st.sampled_from("abc"), min_size=1), st.integers(0, 3), max_size=4
    ),
    st.fixed_dictionaries({c: st.integers(0, 4) for c in "abc"}),
)
def test_serve_assigns_as_many_agents_as_any_assignment(
    groups: dict[frozenset[str], int], need: dict[str, int]
) -> None:
    served = serve(groups, need)
    assert all(0 <= served[c] <= need[c] for c in need)
    assert sum(served.values()) <= sum(groups.values())
    # Feasible, and maximal: no channel can be given one more agent (brute force).
    assert _covers(groups, served)
    for c in need:
        if served[c] < need[c]:
            more = dict(served)
            more[c] += 1
            assert not _covers(groups, more), (served, c)


def test_a_shift_serving_an_unplanned_channel_is_refused() -> None:
    t = ShiftTemplate(name="x", start=time(0), length=_SIX_HOURS, channels=["fax"])
    with pytest.raises(InvalidValueError, match="fax"):
        plan_shifts({"phone": [[1, 0, 0, 0]]}, shifts=[t], interval=_SIX_HOURS)


def test_channels_must_cover_the_same_days() -> None:
    t = ShiftTemplate(name="x", start=time(0), length=_SIX_HOURS)
    with pytest.raises(InvalidValueError, match="other days"):
        plan_shifts(
            {"phone": [[1, 0, 0, 0]], "chat": [[1, 0, 0, 0]] * 2}, shifts=[t], interval=_SIX_HOURS
        )


def test_one_channel_pooled_is_the_plain_plan() -> None:
    t = ShiftTemplate(name="x", start=time(0), length=timedelta(hours=12))
    rows = [[2, 1, 0, 0]]
    plain = plan_shifts(rows, shifts=[t], interval=_SIX_HOURS)
    pooled = plan_shifts({"phone": rows}, shifts=[t], interval=_SIX_HOURS)
    assert (pooled.cost, pooled.coverage, pooled.under, pooled.over) == (
        plain.cost,
        plain.coverage,
        plain.under,
        plain.over,
    )
