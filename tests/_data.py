"""Find the real public datasets in ``shared/data`` (beside the clone); tests skip when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def shared_data_dir() -> Path | None:
    """Return ``shared/data`` from ``$CS8_SHARED_DATA`` or the nearest ancestor that has it."""
    env = os.environ.get("CS8_SHARED_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def shared_file(name: str) -> Path:
    """Return the path of a shared dataset, or skip the test when the folder is not there."""
    base = shared_data_dir()
    if base is None or not (base / name).exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"shared dataset {name} not found beside the clone")
        pytest.skip(f"shared dataset {name} not available")
    return base / name
