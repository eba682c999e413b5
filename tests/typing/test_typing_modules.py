"""The typing modules are also run, so what they claim is true at run time."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.typing as typing_pkg

MODULES = sorted(
    m.name for m in pkgutil.iter_modules(typing_pkg.__path__) if m.name.startswith("check_")
)


@pytest.mark.parametrize("name", MODULES)
def test_typing_module_runs(name: str) -> None:
    module = importlib.import_module(f"tests.typing.{name}")
    module.main()
