"""One name per KPI: the plain call, the mergeable state and the dataframe form come from it.

A KPI is written once, as the function that builds its mergeable state; :func:`kpi` turns it into a
:class:`Kpi` object. Calling the object returns the result (``state.result()``), ``.state(...)``
returns the state (to compute on partitions and merge with ``+``), and ``.frame(...)`` computes the
same KPI on dataframes where cs8 has a columnar path. This is how tea-tasting's metrics carry both
``analyze`` and ``analyze_aggregates``.

Example:
    >>> from cs8.kpi import reopen_rate
    >>> reopen_rate([]).n, reopen_rate.state([]).n
    (0, 0)
    >>> reopen_rate
    <KPI cs8.kpi.reopen_rate>
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar, cast

from cs8.exceptions import InvalidValueError

__all__ = ["Kpi", "Variant", "WithFrame", "deprecated_alias", "kpi", "with_frame", "with_state"]

P = ParamSpec("P")
Q = ParamSpec("Q")
S = TypeVar("S")
R = TypeVar("R")
B = TypeVar("B")


class Kpi(Generic[P, R, Q, S]):
    """A KPI: call it for the result, ``.state(...)`` for the mergeable state, ``.frame(...)``.

    Made by :func:`kpi` (from the state-building function) or :func:`with_state` (from a plain
    function that also takes options of the result, such as ``confidence``). Immutable after
    construction and safe to share between threads.

    Example:
        >>> from cs8.kpi import volume
        >>> (volume.state([]) + volume.state([])).result() == volume([])
        True
    """

    __wrapped__: Callable[..., object]
    __name__: str

    def __init__(
        self,
        call: Callable[P, R],
        state: Callable[Q, S],
        frame: Callable[..., object] | None = None,
        doc: Callable[..., object] | None = None,
    ) -> None:
        functools.update_wrapper(self, doc or call)
        self._call = call
        self._state = state
        self._frame = frame

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Return the KPI's result."""
        return self._call(*args, **kwargs)

    def state(self, *args: Q.args, **kwargs: Q.kwargs) -> S:
        """Return the KPI's mergeable state (``empty()``, ``merge``/``+``, ``result()``, ``excluded``)."""
        return self._state(*args, **kwargs)

    def frame(self, *args: object, **kwargs: object) -> R:
        """Return the KPI computed on dataframes (see ``docs/kpi-definitions.md``).

        Raises:
            InvalidValueError: If this KPI has no dataframe form.
        """
        if self._frame is None:
            raise InvalidValueError(f"{self.__name__} has no dataframe form")
        return cast("R", self._frame(*args, **kwargs))

    @property
    def has_frame(self) -> bool:
        """Whether :meth:`frame` is available."""
        return self._frame is not None

    def __repr__(self) -> str:
        return f"<KPI cs8.kpi.{self.__name__}>"

    def __reduce__(self) -> str:
        # Pickled by name, as functions are: a KPI is a module-level singleton.
        return self.__name__


class Variant(Generic[B]):
    """Base of a callable that stands as one named, documented function among siblings.

    Some KPIs share one signature and differ only in what they measure (``resolution_time`` and
    ``full_resolution_time``; ``requester_wait_time`` and ``agent_work_time``, which are
    ``status_time`` bound to fixed statuses). A subclass writes that signature once, typed, as its
    ``__call__``, and reads what tells the siblings apart from ``self.bound``; each KPI is one
    instance with its own name and docstring. :func:`kpi` and ``mypy`` read the parameters from
    ``__call__`` (keyword-only ones included), and ``inspect.signature``, ``help`` and doctest
    see a function of that name in the subclass's module. Immutable after construction.

    Example:
        >>> import inspect
        >>> class Scaled(Variant[int]):
        ...     def __call__(self, x: int, *, plus: int = 0) -> int:
        ...         return self.bound * x + plus
        >>> double = Scaled("double", 2, "Return twice ``x``.")
        >>> double(3, plus=1), double.__name__, list(inspect.signature(double).parameters)
        (7, 'double', ['x', 'plus'])
    """

    __call__: Callable[..., object]

    def __init__(self, name: str, bound: B, doc: str) -> None:
        self.__name__ = self.__qualname__ = name
        self.__doc__ = doc
        self.bound = bound
        # doctest collects routines (through inspect.unwrap): the bound __call__ is one.
        self.__wrapped__ = self.__call__

    def __repr__(self) -> str:
        return f"<function {self.__module__}.{self.__name__}>"


class _Result(Generic[Q, S, R]):
    """``result(state(...))`` as one callable (picklable, no closure)."""

    def __init__(self, state: Callable[Q, S], result: Callable[[S], R]) -> None:
        self._state = state
        self._result = result

    def __call__(self, *args: Q.args, **kwargs: Q.kwargs) -> R:
        return self._result(self._state(*args, **kwargs))


def kpi(
    result: Callable[[S], R], *, frame: Callable[..., R] | None = None
) -> Callable[[Callable[Q, S]], Kpi[Q, R, Q, S]]:
    """Return a decorator that makes a state-building function a :class:`Kpi`.

    The decorated function's docstring documents the KPI (its result); calling the KPI returns
    ``result(state)``.

    Args:
        result: Turns the state into the result (usually ``StateClass.result``).
        frame: The dataframe form, if any.

    Example:
        >>> from cs8.kpi import CountState
        >>> def things(values: list[int]) -> CountState:
        ...     return CountState.of(len(values))
        >>> things = kpi(CountState.result)(things)
        >>> things([1, 2]).value, things.state([1]).value
        (2, 1)
    """

    def wrap(state: Callable[Q, S]) -> Kpi[Q, R, Q, S]:
        return Kpi(_Result(state, result), state, frame, doc=state)

    return wrap


def with_state(
    state: Callable[Q, S], *, frame: Callable[..., object] | None = None
) -> Callable[[Callable[P, R]], Kpi[P, R, Q, S]]:
    """Return a decorator that makes a plain KPI function a :class:`Kpi` with ``state`` as its state.

    For KPIs whose call takes options of the result (``confidence``) besides the state's arguments.

    Example:
        >>> from cs8.kpi import CountState
        >>> def _count_state(values: list[int]) -> CountState:
        ...     return CountState.of(len(values))
        >>> def count(values: list[int], *, confidence: float = 0.95) -> int:
        ...     return _count_state(values).result().value
        >>> count = with_state(_count_state)(count)
        >>> count([1]), count.state([1, 2]).value
        (1, 2)
    """

    def wrap(call: Callable[P, R]) -> Kpi[P, R, Q, S]:
        return Kpi(call, state, frame)

    return wrap


def deprecated_alias(module: str, name: str, target: object, new: str) -> object:
    """Warn that ``module.name`` is deprecated in favour of ``new`` and return ``target``.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     deprecated_alias("cs8.kpi", "old", 1, "cs8.kpi.new")
        ...     print(caught[0].message)
        1
        cs8.kpi.old is deprecated and will be removed in the next release: use cs8.kpi.new
    """
    warnings.warn(
        f"{module}.{name} is deprecated and will be removed in the next release: use {new}",
        DeprecationWarning,
        stacklevel=3,
    )
    return target


class WithFrame(Generic[P, R]):
    """A function on records that also has a dataframe form, ``.frame(...)``.

    ``ticket_summary`` and ``breakdown`` are such functions: they are not single KPIs with one
    state, but each has a columnar twin that gives the same result on dataframes.

    Example:
        >>> from cs8.kpi import ticket_summary
        >>> ticket_summary.has_frame
        True
    """

    __wrapped__: Callable[..., object]
    __name__: str

    def __init__(self, call: Callable[P, R], frame: Callable[..., object]) -> None:
        functools.update_wrapper(self, call)
        self._call = call
        self._frame = frame

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Return the result on records."""
        return self._call(*args, **kwargs)

    def frame(self, *args: object, **kwargs: object) -> object:
        """Return the result on dataframes (see ``docs/kpi-definitions.md``)."""
        return self._frame(*args, **kwargs)

    @property
    def has_frame(self) -> bool:
        """Always ``True``."""
        return True

    def __repr__(self) -> str:
        return f"<function cs8.kpi.{self.__name__} (with .frame)>"

    def __reduce__(self) -> str:
        return self.__name__


def with_frame(frame: Callable[..., object]) -> Callable[[Callable[P, R]], WithFrame[P, R]]:
    """Return a decorator that gives a function on records its dataframe form ``frame``.

    Example:
        >>> def double(x: int) -> int:
        ...     return 2 * x
        >>> double = with_frame(lambda frame: frame * 2)(double)
        >>> double(2), double.frame(3)
        (4, 6)
    """

    def wrap(call: Callable[P, R]) -> WithFrame[P, R]:
        return WithFrame(call, frame)

    return wrap
