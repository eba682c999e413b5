"""Keyed, bounded memory for strategy plugins (per customer, least recently used evicted).

A strategy plugin that has a ``state_key(ctx) -> str | None`` method keeps its memory per key
(a customer id, say) in a :class:`KeyedState` instead of one map: each decision hands the plugin
only the entry of its ticket's key (``{key: entry}``, or empty) and stores back the entry the
plugin returns for that key, so a decision costs the same with 50 or 50,000 customers. The store
holds at most ``max_keys`` keys over all plugins and forgets the least recently used first.

Example:
    >>> store = KeyedState(max_keys=2)
    >>> store.put("sticky", "C1", "a1"); store.put("sticky", "C2", "a2")
    >>> store.get("sticky", "C1")       # C1 is now the most recently used
    'a1'
    >>> store.put("sticky", "C3", "a3")  # over the bound: C2, the least recently used, goes
    >>> store.get("sticky", "C2") is None, len(store)
    (True, 2)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from cs8.exceptions import InvalidValueError

__all__ = ["DEFAULT_MAX_KEYS", "KeyedState"]

DEFAULT_MAX_KEYS = 100_000
"""How many keys a :class:`KeyedState` keeps by default (over all plugins)."""


class KeyedState:
    """Strategy plugins' per-key memory, bounded by least-recently-used eviction.

    Mutable and thread-safe (one lock around each read or write). A :class:`RoutingState`
    carries one (made at the first decision of a keyed plugin); the states that follow from it
    share it, so it is the one part of a routing state that changes in place: a plugin's memory
    of a customer is the one its last decision left, whichever state object is passed.

    Args:
        max_keys: The most (plugin, key) entries kept; the least recently read or written goes
            first. Default :data:`DEFAULT_MAX_KEYS` (100,000).

    Raises:
        InvalidValueError: If ``max_keys`` is not a positive integer.

    Example:
        >>> import pickle
        >>> store = KeyedState(max_keys=10)
        >>> store.put("sticky", "C1", "a1")
        >>> store.get("sticky", "C1"), store.get("other", "C1")
        ('a1', None)
        >>> pickle.loads(pickle.dumps(store)).get("sticky", "C1")
        'a1'
    """

    __slots__ = ("_data", "_lock", "max_keys")

    def __init__(self, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        if not isinstance(max_keys, int) or isinstance(max_keys, bool) or max_keys < 1:
            raise InvalidValueError(
                f"KeyedState.max_keys must be a positive integer, got {max_keys!r}"
            )
        self.max_keys = max_keys
        self._data: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:
        """The bound and the entries, least recently used first (for pickle and copy)."""
        with self._lock:
            return {"max_keys": self.max_keys, "entries": list(self._data.items())}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.max_keys = state["max_keys"]
        self._data = OrderedDict(state["entries"])
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"KeyedState(max_keys={self.max_keys}, keys={len(self._data)})"

    def get(self, plugin: str, key: str) -> Any:
        """Return plugin ``plugin``'s entry for ``key`` (``None`` when it has none), marking it
        recently used.

        Example:
            >>> KeyedState().get("sticky", "C1") is None
            True
        """
        with self._lock:
            found = self._data.get((plugin, key))
            if found is not None:
                self._data.move_to_end((plugin, key))
            return found

    def put(self, plugin: str, key: str, entry: Any) -> None:
        """Store ``entry`` as plugin ``plugin``'s entry for ``key`` (``None`` removes it),
        evicting the least recently used entries over ``max_keys``.

        Example:
            >>> store = KeyedState()
            >>> store.put("sticky", "C1", "a1"); store.put("sticky", "C1", None)
            >>> len(store)
            0
        """
        with self._lock:
            data = self._data
            if entry is None:
                data.pop((plugin, key), None)
                return
            data[(plugin, key)] = entry
            data.move_to_end((plugin, key))
            while len(data) > self.max_keys:
                data.popitem(last=False)
