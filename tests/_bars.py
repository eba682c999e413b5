"""A stand-in for ``tqdm.auto.tqdm`` that records what a read does with its bar."""

from __future__ import annotations

from typing import Any


class Bar:
    """Stands in for ``tqdm.auto.tqdm``: records its arguments, the count it reached, and whether
    it was closed (``made`` lists every bar made since it was last emptied)."""

    made: list[dict[str, Any]]

    def __init__(self, **kwargs: Any) -> None:
        self.state = {**kwargs, "rows": 0, "closed": False}
        Bar.made.append(self.state)

    def update(self, n: int) -> None:
        self.state["rows"] += n

    def close(self) -> None:
        self.state["closed"] = True
