"""Routing plugins: the Condition, Strategy and RoutingRule protocols, and the RuleRegistry.

A plugin is an object an application (or an installed package) registers under a name:

* a **condition** factory, called with a rule's ``args`` and returning a :class:`Condition`; rule
  documents use it as ``{"plugin": "business_hours_only", "args": {...}}``;
* a **strategy** (:class:`Strategy`), used by name in a rule's ``"strategy"``;
* a **rule** (:class:`RoutingRule`), placed in a document's rule list as ``{"plugin": "name"}``.

A :class:`RuleRegistry` is an ordinary object: create one, register into it, and pass it to
``load_rules(..., registry=)``. There is no global registry, and nothing is imported or loaded until
:meth:`RuleRegistry.load_entry_points` is called. Installed packages advertise plugins as entry points
in the group ``cs8.routing`` named ``<kind>.<name>``, for example::

    [project.entry-points."cs8.routing"]
    "condition.business_hours_only" = "cs8_example_plugin:business_hours_only"
    "strategy.sticky_agent" = "cs8_example_plugin:StickyAgent"

An entry point may name the plugin object itself or a zero-argument class or function returning it
(a strategy or rule class is instantiated; a condition factory is used as is).

Example:
    >>> from cs8.routing import load_rules
    >>> registry = RuleRegistry()
    >>> def weekend(**args: object) -> Condition:
    ...     class Weekend:
    ...         name = "weekend"
    ...         def __call__(self, ctx: RoutingContext) -> bool:
    ...             return ctx.local_weekday in ("sat", "sun")
    ...     return Weekend()
    >>> registry.register("condition", "weekend", weekend)
    >>> rules = load_rules({"rules": [{"name": "w", "when": {"plugin": "weekend"},
    ...     "actions": {"queue": "weekend"}}]}, registry=registry)
    >>> rules.rules[0].when.name
    'weekend()'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias, cast

from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError, PluginLoadError, UnknownFieldError
from cs8.routing._actions import RuleActions
from cs8.routing._conditions import ConditionFactory
from cs8.routing._rules import BUILTIN_STRATEGY_NAMES, RoutingRule
from cs8.routing._strategy_plugin import Strategy, StrategyChoice, StrategyState

if TYPE_CHECKING:
    from importlib import metadata

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginKind",
    "RuleRegistry",
    "Strategy",
    "StrategyChoice",
    "StrategyState",
]

ENTRY_POINT_GROUP = "cs8.routing"
"""The entry-point group routing plugins are advertised in."""

PluginKind: TypeAlias = Literal["condition", "strategy", "rule"]
"""What a plugin is: a condition factory, a strategy or a rule."""

_KINDS: tuple[str, ...] = ("condition", "strategy", "rule")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}")


def _distribution(ep: metadata.EntryPoint) -> str:
    dist = ep.dist
    if dist is None:
        return "an unknown package"
    version = dist.version
    return f"{dist.name} {version}" if version else dist.name


class RuleRegistry:
    """Named routing plugins (condition factories, strategies and rules) for one application.

    A registry is a plain object: nothing is global and nothing is loaded until you ask.

    Example:
        >>> registry = RuleRegistry()
        >>> registry.names("strategy")
        ()
        >>> registry.lookup("condition", "nope")
        Traceback (most recent call last):
        ...
        cs8.exceptions.UnknownFieldError: no condition plugin named 'nope' (registered: none)
    """

    __slots__ = ("_origins", "_plugins")

    def __init__(self) -> None:
        self._plugins: dict[str, dict[str, object]] = {kind: {} for kind in _KINDS}
        # Which entry point each loaded plugin came from, so loading again is a no-op.
        self._origins: dict[tuple[str, str], str] = {}

    def __repr__(self) -> str:
        parts = ", ".join(f"{kind}s={sorted(self._plugins[kind])}" for kind in _KINDS)
        return f"RuleRegistry({parts})"

    # ------------------------------------------------------------------ registering

    @staticmethod
    def _check(kind: str, name: str, obj: object) -> None:
        if kind not in _KINDS:
            raise InvalidValueError(f"plugin kind must be one of {', '.join(_KINDS)}, got {kind!r}")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InvalidValueError(
                f"plugin name must be a letter or '_' then letters, digits, '_' or '-' "
                f"(at most 64), got {name!r}"
            )
        if kind == "condition":
            if not callable(obj):
                raise InvalidValueError(
                    f"condition plugin {name!r} must be a factory (callable returning a "
                    f"Condition), got {obj!r}"
                )
        elif kind == "strategy":
            if not isinstance(obj, Strategy):
                raise InvalidValueError(
                    f"strategy plugin {name!r} must have a name and a choose() method, got {obj!r}"
                )
            if name in BUILTIN_STRATEGY_NAMES:
                raise InvalidValueError(f"strategy name {name!r} is a built-in strategy's")
            if obj.name != name:
                raise InvalidValueError(
                    f"strategy plugin registered as {name!r} calls itself {obj.name!r}"
                )
        else:
            if not isinstance(obj, RoutingRule):
                raise InvalidValueError(
                    f"rule plugin {name!r} must have a name, matches() and actions, got {obj!r}"
                )
            if obj.name != name:
                raise InvalidValueError(
                    f"rule plugin registered as {name!r} calls itself {obj.name!r}"
                )
            if not isinstance(obj.actions, RuleActions):
                raise InvalidValueError(f"rule plugin {name!r} must have RuleActions as actions")

    def register(self, kind: PluginKind, name: str, obj: object, *, replace: bool = False) -> None:
        """Register ``obj`` as the ``kind`` plugin called ``name``.

        Args:
            kind: ``"condition"`` (a factory returning a Condition), ``"strategy"`` or ``"rule"``.
            name: The name documents use; for strategies and rules it must equal ``obj.name``.
            obj: The plugin.
            replace: Replace an existing plugin of that name instead of refusing.

        Raises:
            InvalidValueError: If the kind or name is invalid, ``obj`` does not fit its kind, or
                the name is taken (and ``replace`` is false).

        Example:
            >>> registry = RuleRegistry()
            >>> registry.register("gadget", "x", object())
            Traceback (most recent call last):
            ...
            cs8.exceptions.InvalidValueError: plugin kind must be one of condition, strategy, rule, got 'gadget'
        """
        self._check(kind, name, obj)
        if name in self._plugins[kind] and not replace:
            raise InvalidValueError(f"a {kind} plugin named {name!r} is already registered")
        self._plugins[kind][name] = obj
        self._origins.pop((kind, name), None)

    def unregister(self, kind: PluginKind, name: str) -> None:
        """Remove the ``kind`` plugin called ``name``.

        Raises:
            UnknownFieldError: If there is none.

        Example:
            >>> registry = RuleRegistry()
            >>> registry.register("condition", "c", lambda: None)
            >>> registry.unregister("condition", "c")
            >>> registry.names("condition")
            ()
        """
        self.lookup(kind, name)
        del self._plugins[kind][name]
        self._origins.pop((kind, name), None)

    # ------------------------------------------------------------------ looking up

    def lookup(self, kind: PluginKind, name: str) -> object:
        """Return the ``kind`` plugin called ``name``.

        Raises:
            UnknownFieldError: If there is none (or the kind is unknown).

        Example:
            >>> registry = RuleRegistry()
            >>> registry.register("condition", "c", len)
            >>> registry.lookup("condition", "c") is len
            True
        """
        plugins = self._plugins.get(kind)
        if plugins is None:
            raise UnknownFieldError(f"unknown plugin kind {kind!r}; expected {', '.join(_KINDS)}")
        try:
            return plugins[name]
        except (KeyError, TypeError):
            known = ", ".join(sorted(plugins)) or "none"
            raise UnknownFieldError(
                f"no {kind} plugin named {name!r} (registered: {known})"
            ) from None

    def condition(self, name: str) -> ConditionFactory:
        """Return the condition factory called ``name`` (see :meth:`lookup`).

        Example:
            >>> RuleRegistry().condition("x")
            Traceback (most recent call last):
            ...
            cs8.exceptions.UnknownFieldError: no condition plugin named 'x' (registered: none)
        """
        obj = self.lookup("condition", name)
        return cast(ConditionFactory, obj)

    def strategy(self, name: str) -> Strategy:
        """Return the strategy called ``name`` (see :meth:`lookup`).

        Example:
            >>> RuleRegistry().strategy("sticky_agent")
            Traceback (most recent call last):
            ...
            cs8.exceptions.UnknownFieldError: no strategy plugin named 'sticky_agent' (registered: none)
        """
        obj = self.lookup("strategy", name)
        if not isinstance(obj, Strategy):  # pragma: no cover - register() checked it
            raise UnknownFieldError(f"no strategy plugin named {name!r}")
        return obj

    def rule(self, name: str) -> RoutingRule:
        """Return the rule called ``name`` (see :meth:`lookup`).

        Example:
            >>> RuleRegistry().rule("vip")
            Traceback (most recent call last):
            ...
            cs8.exceptions.UnknownFieldError: no rule plugin named 'vip' (registered: none)
        """
        obj = self.lookup("rule", name)
        if not isinstance(obj, RoutingRule):  # pragma: no cover - register() checked it
            raise UnknownFieldError(f"no rule plugin named {name!r}")
        return obj

    def names(self, kind: PluginKind) -> tuple[str, ...]:
        """Return the names registered for ``kind``, sorted.

        Example:
            >>> registry = RuleRegistry()
            >>> registry.register("condition", "b", len)
            >>> registry.register("condition", "a", len)
            >>> registry.names("condition")
            ('a', 'b')
        """
        return tuple(sorted(self._plugins.get(kind, {})))

    def conditions(self) -> Mapping[str, ConditionFactory]:
        """Return a snapshot of the condition factories by name.

        Example:
            >>> RuleRegistry().conditions()
            FrozenDict({})
        """
        return FrozenDict(
            {name: cast(ConditionFactory, obj) for name, obj in self._plugins["condition"].items()}
        )

    def strategies(self) -> Mapping[str, Strategy]:
        """Return a snapshot of the strategy plugins by name.

        Example:
            >>> RuleRegistry().strategies()
            FrozenDict({})
        """
        return FrozenDict(
            {n: s for n, s in self._plugins["strategy"].items() if isinstance(s, Strategy)}
        )

    # ------------------------------------------------------------------ entry points

    def load_entry_points(
        self, group: str = ENTRY_POINT_GROUP, *, replace: bool = False
    ) -> tuple[str, ...]:
        """Load and register every plugin installed packages advertise in ``group``.

        Entry points are named ``<kind>.<name>`` (``condition.business_hours_only``). Each is
        loaded with :meth:`importlib.metadata.EntryPoint.load`; a class or zero-argument function
        loaded for a strategy or rule is called to get the plugin. Either every plugin loads and is
        registered, or none is.

        Args:
            group: The entry-point group.
            replace: Let loaded plugins replace ones already registered under the same name.

        Returns:
            The entry-point names registered by this call, sorted (loading again registers
            nothing new and returns an empty tuple).

        Raises:
            PluginLoadError: If an entry point is badly named, fails to import, or gives an object
                that does not fit its kind; the message names the entry point and its package.

        Example:
            >>> RuleRegistry().load_entry_points("cs8.no-such-group")
            ()
        """
        from importlib import metadata  # only when asked: importing cs8 scans nothing

        staged: dict[tuple[str, str], tuple[object, str, str]] = {}
        seen_values: dict[str, str] = {}
        for ep in sorted(metadata.entry_points(group=group), key=lambda e: (e.name, e.value)):
            package = _distribution(ep)
            if seen_values.get(ep.name) == ep.value:
                continue  # the same distribution found twice on sys.path
            kind, _, name = ep.name.partition(".")
            if kind not in _KINDS or not name:
                raise PluginLoadError(
                    f"routing plugin {ep.name!r} from {package}: entry points in {group!r} must be "
                    f"named '<kind>.<name>' with kind one of {', '.join(_KINDS)}"
                )
            origin = f"{package}: {ep.value}"
            if self._origins.get((kind, name)) == origin:
                seen_values[ep.name] = ep.value
                continue  # loaded from this very entry point before
            if (kind, name) in staged:
                raise PluginLoadError(
                    f"routing plugin {ep.name!r} from {package}: the name is also provided by "
                    f"{staged[(kind, name)][1]}"
                )
            try:
                obj = ep.load()
                if (kind != "condition" and isinstance(obj, type)) or (
                    kind != "condition" and callable(obj) and not _fits(kind, obj)
                ):
                    obj = obj()
                self._check(kind, name, obj)
            except Exception as exc:  # any failure in third-party code is reported, not raised raw
                raise PluginLoadError(
                    f"routing plugin {ep.name!r} from {package} failed to load: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            if name in self._plugins[kind] and not replace:
                raise PluginLoadError(
                    f"routing plugin {ep.name!r} from {package}: a {kind} plugin named {name!r} "
                    f"is already registered"
                )
            staged[(kind, name)] = (obj, package, origin)
            seen_values[ep.name] = ep.value
        for (kind, name), (obj, _, origin) in staged.items():
            self._plugins[kind][name] = obj
            self._origins[(kind, name)] = origin
        return tuple(sorted(f"{kind}.{name}" for kind, name in staged))


def _fits(kind: str, obj: object) -> bool:
    return isinstance(obj, Strategy) if kind == "strategy" else isinstance(obj, RoutingRule)
