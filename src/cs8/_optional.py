"""Lazy imports of optional dependencies, with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from cs8.exceptions import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, purpose: str = "") -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming the ``cs8[extra]`` to install.

    Args:
        module: The module to import, e.g. ``"pandas"``.
        extra: The cs8 extra that installs it, e.g. ``"dataframe"``.
        purpose: What it is needed for, for the message.

    Example:
        >>> require("json", "none").__name__
        'json'
        >>> require("not_a_module_cs8", "dataframe", "to_pandas()")
        Traceback (most recent call last):
        ...
        cs8.exceptions.MissingExtraError: to_pandas() needs the optional dependency 'not_a_module_cs8': pip install 'cs8[dataframe]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        what = f"{purpose} needs" if purpose else "this needs"
        raise MissingExtraError(
            f"{what} the optional dependency {module!r}: pip install 'cs8[{extra}]'"
        ) from exc
