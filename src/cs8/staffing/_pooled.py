"""Pooled multi-channel rotas: agents who can serve several channels cover any of them.

A slot's requirement ``R[c]`` per channel can be met by the agents at work in it exactly when,
for every set ``S`` of channels, the agents able to serve at least one channel of ``S`` number at
least ``sum(R[c] for c in S)`` (Hall's condition for the transportation problem from agents'
channel sets to channels: Gale, "A theorem on flows in networks", Pacific J. Math. 7, 1957). So
the pooled rota is the single-channel covering programme with one row per slot and non-empty
channel set: the same solver (exact MILP, greedy, bounds) solves it unchanged, and with few
channels (at most :data:`MAX_CHANNELS`) the rows stay few. Which agent serves which channel in a
slot is then a small maximum flow (:func:`serve`).

Example:
    >>> rows, need, totals = expand_rows(["phone", "chat"], [frozenset({"phone"}), frozenset()],
    ...                                  [[0], [0]], {"phone": [2], "chat": [1]})
    >>> need, rows, totals
    ([2, 1, 3], [[0, 2], [0, 1, 2]], [2])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

from cs8.exceptions import InvalidValueError

__all__ = ["MAX_CHANNELS", "expand_rows", "serve"]

MAX_CHANNELS = 8
"""Most channels a pooled rota plans (its rows grow as 2 ** channels per slot)."""


def _subsets(channels: Sequence[str]) -> list[frozenset[str]]:
    """Every non-empty set of channels, by size; the last is all of them."""
    return [
        frozenset(group)
        for size in range(1, len(channels) + 1)
        for group in combinations(channels, size)
    ]


def expand_rows(
    channels: Sequence[str],
    skills: Sequence[frozenset[str]],
    slots: Sequence[Sequence[int]],
    required: Mapping[str, Sequence[int]],
) -> tuple[list[list[int]], list[int], list[int]]:
    """Return the covering rows of each column, the rows' demands and the slot-total rows.

    Args:
        channels: The channels planned.
        skills: Each column's channels (empty: every channel).
        slots: Each column's worked slots (flat indices).
        required: Per channel, the agents required per flat slot.

    Raises:
        InvalidValueError: For more than :data:`MAX_CHANNELS` channels, or a column whose
            channels include one not planned.
    """
    if len(channels) > MAX_CHANNELS:
        raise InvalidValueError(
            f"plan_shifts: at most {MAX_CHANNELS} pooled channels, got {len(channels)}"
        )
    known = set(channels)
    groups = _subsets(channels)
    width = len(groups)
    n_slots = len(next(iter(required.values()), ()))
    need = [sum(int(required[c][s]) for c in group) for s in range(n_slots) for group in groups]
    rows = []
    for skill, worked in zip(skills, slots, strict=True):
        unknown = skill - known
        if unknown:
            raise InvalidValueError(
                f"plan_shifts: a shift serves {sorted(unknown)}, not among the required "
                f"channels {list(channels)}"
            )
        serves = skill or known
        hit = [k for k, group in enumerate(groups) if group & serves]
        rows.append([s * width + k for s in worked for k in hit])
    totals = [s * width + width - 1 for s in range(n_slots)]
    return rows, need, totals


def serve(agents: Mapping[frozenset[str], int], need: Mapping[str, int]) -> dict[str, int]:
    """Return how many agents serve each channel: a maximum flow from channel sets to channels.

    Args:
        agents: Agents at work by the set of channels they serve.
        need: Agents required per channel.

    Example:
        >>> serve({frozenset({"phone", "chat"}): 2, frozenset({"phone"}): 1},
        ...       {"phone": 2, "chat": 1})
        {'phone': 2, 'chat': 1}
    """
    # Residual capacities of source -> group -> channel -> sink; augmenting paths (Edmonds-Karp).
    groups = [g for g, k in agents.items() if k > 0]
    flow: dict[tuple[frozenset[str], str], int] = {}
    left = {g: agents[g] for g in groups}
    room = {c: max(0, n) for c, n in need.items()}
    while True:
        path = _augmenting(groups, left, room, flow)
        if path is None:
            break
        left[path[0][0]] -= 1
        room[path[-1][1]] -= 1
        for group, channel, sign in path:
            flow[group, channel] = flow.get((group, channel), 0) + sign
    served = dict.fromkeys(need, 0)
    for (_, channel), k in flow.items():
        served[channel] += k
    return served


def _augmenting(
    groups: Sequence[frozenset[str]],
    left: Mapping[frozenset[str], int],
    room: Mapping[str, int],
    flow: Mapping[tuple[frozenset[str], str], int],
) -> list[tuple[frozenset[str], str, int]] | None:
    """A shortest path from a group with agents left to a channel with room, by breadth first.

    Returns the edges ``(group, channel, +1 | -1)`` along the path: +1 sends an agent of
    ``group`` to ``channel``, -1 takes one back.
    """
    start = [g for g in groups if left[g] > 0]
    came: dict[object, tuple[object, tuple[frozenset[str], str, int]] | None] = dict.fromkeys(start)
    queue: list[object] = list(start)
    while queue:
        node = queue.pop(0)
        if isinstance(node, frozenset):
            for channel in sorted(node & set(room)):
                if channel not in came:
                    came[channel] = (node, (node, channel, 1))
                    if room[channel] > 0:
                        return _path(came, channel)
                    queue.append(channel)
        else:
            for group in groups:
                if group not in came and flow.get((group, str(node)), 0) > 0:
                    came[group] = (node, (group, str(node), -1))
                    queue.append(group)
    return None


def _path(
    came: Mapping[object, tuple[object, tuple[frozenset[str], str, int]] | None], end: object
) -> list[tuple[frozenset[str], str, int]]:
    edges = []
    step = came[end]
    while step is not None:
        node, edge = step
        edges.append(edge)
        step = came[node]
    return edges[::-1]
