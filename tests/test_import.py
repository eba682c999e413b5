"""`import cs8` is light: no optional dependency is imported, and it is quick."""

from __future__ import annotations

import json
import subprocess
import sys

OPTIONAL = (
    "pandas",
    "polars",
    "numpy",
    "narwhals",
    "holidays",
    "matplotlib",
    "hypothesis",
    "pyarrow",
)


def test_import_cs8_imports_no_optional_library() -> None:
    code = (
        "import sys, json, cs8, cs8.sla, cs8.kpi, cs8.routing, cs8.surveys, cs8.io, cs8.serialization, cs8.datasets;"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {OPTIONAL!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == []


def test_import_cs8_is_fast() -> None:
    code = "import time; t = time.perf_counter(); import cs8; print(time.perf_counter() - t)"
    best = min(
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(3)
    )
    assert best < 1.0


def test_version_is_exposed() -> None:
    import cs8

    assert cs8.__version__.count(".") >= 2


def test_public_names_are_sorted_and_exist() -> None:
    import cs8

    assert list(cs8.__all__) == sorted(cs8.__all__)
    assert all(hasattr(cs8, name) for name in cs8.__all__)


def test_every_error_is_a_cs8_error_and_a_stdlib_error() -> None:
    import cs8.exceptions as exc

    for name in exc.__all__:
        cls = getattr(exc, name)
        assert issubclass(cls, exc.Cs8Error)
        if cls is not exc.Cs8Error:
            stdlib = (ValueError, KeyError, ImportError, NotImplementedError)
            assert any(issubclass(cls, base) for base in stdlib)
