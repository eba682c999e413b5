"""Vectorized business time over numpy ``datetime64`` arrays (imported only when numpy is used).

The same compiled engine as the scalar path, evaluated with ``numpy.searchsorted``: one search for
the piece, one in the week pattern, and one in the explicit intervals for the few instants that fall
near a DST change, holiday, override or closure. Instants outside the compiled window go through the
exact scalar path.

Example:
    >>> import numpy as np
    >>> from cs8.sla import BusinessCalendar
    >>> cal = BusinessCalendar(timezone="UTC", hours={"mon": [("09:00", "17:00")]})
    >>> starts = np.array(["2026-03-02T08:00"], dtype="datetime64[us]")
    >>> cal.business_durations(starts, starts + np.timedelta64(3, "h"))
    array([7200000000], dtype='timedelta64[us]')
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from cs8._optional import require
from cs8.sla._calendar_engine import Engine
from cs8.sla._calendar_local import DAY_US

_BUCKET_US = DAY_US
_CHUNK = 1 << 16
_HOUR_US = 3_600_000_000

__all__ = ["as_us", "numpy_adds", "numpy_durations"]


def _np() -> ModuleType:
    return require("numpy", "numpy", "BusinessCalendar batch forms on arrays")


class _Buckets:
    """``numpy.searchsorted(edges, t, "right")`` for ``t`` in a known range, by table lookup.

    The range is cut into equal buckets; a table holds how many edges lie at or before each bucket's
    start, and a few vectorized steps count the edges inside the bucket up to ``t``. With at most a
    handful of edges per bucket this is several times faster than a binary search per element.
    """

    MAX_STEPS = 6

    def __init__(self, edges: Any, base: int, width: int, count: int) -> None:
        np = _np()
        self.edges = edges
        self.base, self.width = base, width
        starts = base + width * np.arange(count + 1, dtype=np.int64)
        self.first = np.searchsorted(edges, starts[:-1], "right")
        within = np.searchsorted(edges, starts[1:] - 1, "right") - self.first
        self.steps = int(within.max()) if count else 0
        big = np.iinfo(np.int64).max
        self.padded = np.concatenate([edges, np.full(self.steps + 1, big, dtype=np.int64)])

    def __call__(self, t: Any) -> Any:
        np = _np()
        if self.steps > self.MAX_STEPS:
            return np.searchsorted(self.edges, t, "right")
        idx = self.first[(t - self.base) // self.width]
        padded = self.padded
        for _ in range(self.steps):
            idx += t >= padded[idx]
        return idx


class _Arrays:
    """numpy copies of an engine's tables (with sentinels so searches never return -1)."""

    def __init__(self, engine: Engine) -> None:
        np = _np()
        i64 = np.int64
        self.bounds = np.array(engine.bounds, dtype=i64)
        self.offsets = np.array(engine.offsets, dtype=i64)
        self.explicit = np.array(engine.explicit, dtype=bool)
        self.any_explicit = bool(self.explicit.any())
        self.bases = np.array(engine.bases, dtype=i64)
        self.cumulative = np.array(engine.cumulative, dtype=i64)
        self.total = engine.total
        self.period = engine.period
        self.anchor = engine.anchor
        self.opens = np.array(engine.opens, dtype=i64)
        self.before = np.array(engine.before, dtype=i64)
        self.through = np.array(engine.through, dtype=i64)
        # with a zero-length sentinel at offset 0
        self.s_opens = np.array([0, *engine.opens], dtype=i64)
        self.s_before = np.array([0, *engine.before], dtype=i64)
        self.s_lengths = np.array([0, *engine.lengths], dtype=i64)
        self.ex_starts = np.array(engine.ex_starts, dtype=i64)
        self.ex_before = np.array(engine.ex_before, dtype=i64)
        self.ex_through = np.array(engine.ex_through, dtype=i64)
        sentinel = -(2**62)
        self.s_ex_starts = np.array([sentinel, *engine.ex_starts], dtype=i64)
        self.s_ex_before = np.array([0, *engine.ex_before], dtype=i64)
        self.s_ex_lengths = np.array(
            [0, *(b - a for a, b in zip(engine.ex_starts, engine.ex_ends, strict=True))], dtype=i64
        )
        span = engine.hi - engine.lo
        self.piece_of = _Buckets(self.bounds, engine.lo, _BUCKET_US, span // _BUCKET_US + 1)
        self.open_of = _Buckets(self.s_opens, 0, _HOUR_US, engine.period // _HOUR_US)


def _arrays(engine: Engine) -> _Arrays:
    cached = engine.extras.get("numpy")
    if not isinstance(cached, _Arrays):
        cached = _Arrays(engine)
        engine.extras["numpy"] = cached
    return cached


def as_us(values: Any) -> Any:
    """Return an int64 array of epoch microseconds from a ``datetime64`` array (read as UTC)."""
    np = _np()
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        raise TypeError(f"expected a numpy datetime64 array, got dtype {arr.dtype}")
    return arr.astype("datetime64[us]").view(np.int64)


def _cum(a: _Arrays, t: Any) -> tuple[Any, Any]:
    np = _np()
    i = a.piece_of(t) - 1
    if a.total:
        local = t + a.offsets[i] - a.anchor
        q = local // a.period
        r = local - q * a.period
        j = a.open_of(r) - 1
        value = q * a.total + a.s_before[j] + np.minimum(r - a.s_opens[j], a.s_lengths[j])
    else:
        value = np.zeros(t.shape, dtype=np.int64)
    if a.any_explicit:
        idx = np.flatnonzero(a.explicit[i])
        if idx.size:
            te = t[idx]
            k = np.searchsorted(a.s_ex_starts, te, "right") - 1
            value[idx] = a.s_ex_before[k] + np.minimum(te - a.s_ex_starts[k], a.s_ex_lengths[k])
    return value + a.bases[i], i


def _chunked(fn: Any, engine: Engine, first: Any, second: Any) -> Any:
    """Apply ``fn`` to cache-sized slices (numpy temporaries then stay in cache)."""
    np = _np()
    first, second = np.broadcast_arrays(first, second)
    shape = first.shape
    first = np.ascontiguousarray(first).reshape(-1)
    second = np.ascontiguousarray(second).reshape(-1)
    result = np.empty(first.shape, dtype=np.int64)
    for k in range(0, first.size, _CHUNK):
        result[k : k + _CHUNK] = fn(engine, first[k : k + _CHUNK], second[k : k + _CHUNK])
    return result.reshape(shape)


def numpy_durations(engine: Engine, starts: Any, ends: Any) -> Any:
    """Return ``end - start`` business µs for int64 epoch-µs arrays."""
    return _chunked(_durations, engine, starts, ends)


def numpy_adds(engine: Engine, starts: Any, amounts: Any) -> Any:
    """Return the instants ``amounts`` business µs from ``starts`` (int64 epoch-µs arrays)."""
    return _chunked(_adds, engine, starts, amounts)


def _durations(engine: Engine, starts: Any, ends: Any) -> Any:
    np = _np()
    a = _arrays(engine)
    inside = (starts >= engine.lo) & (starts < engine.hi) & (ends >= engine.lo) & (ends < engine.hi)
    if inside.all():
        return _cum(a, ends)[0] - _cum(a, starts)[0]
    result = np.zeros(starts.shape, dtype=np.int64)
    idx = np.flatnonzero(inside)
    result[idx] = _cum(a, ends[idx])[0] - _cum(a, starts[idx])[0]
    for k in np.flatnonzero(~inside):
        result[k] = engine.duration(int(starts[k]), int(ends[k]))
    return result


def _adds(engine: Engine, starts: Any, amounts: Any) -> Any:
    np = _np()
    a = _arrays(engine)
    result = starts.copy()
    inside = (starts >= engine.lo) & (starts < engine.hi)
    sel = np.flatnonzero(inside & (amounts != 0))
    s, d = starts[sel], amounts[sel]
    value = _cum(a, s)[0] + d
    pos = d > 0
    ok = np.where(pos, value <= a.cumulative[-1], value >= 0)
    fallback = sel[~ok]
    sel, value, pos = sel[ok], value[ok], pos[ok]
    i = np.where(
        pos,
        np.searchsorted(a.cumulative, value, "left") - 1,
        np.searchsorted(a.cumulative, value, "right") - 1,
    )
    target = value - a.bases[i]
    out = np.zeros(target.shape, dtype=np.int64)
    if a.total:
        q, rem = np.divmod(target, a.total)
        adjust = pos & (rem == 0)
        q = q - adjust
        rem = rem + adjust * a.total
        j = np.where(
            pos,
            np.searchsorted(a.through, rem, "left"),
            np.searchsorted(a.before, rem, "right") - 1,
        )
        j = np.minimum(j, len(a.opens) - 1)
        out = q * a.period + a.opens[j] + rem - a.before[j] + a.anchor - a.offsets[i]
    if a.any_explicit:
        idx = np.flatnonzero(a.explicit[i])
        if idx.size:
            te, pe = target[idx], pos[idx]
            k = np.where(
                pe,
                np.searchsorted(a.ex_through, te, "left"),
                np.searchsorted(a.ex_before, te, "right") - 1,
            )
            k = np.clip(k, 0, max(len(a.ex_starts) - 1, 0))
            out[idx] = a.ex_starts[k] + te - a.ex_before[k]
    result[sel] = out
    for k in (*np.flatnonzero(~inside & (amounts != 0)), *fallback):
        result[k] = engine.add(int(starts[k]), int(amounts[k]))
    return result
