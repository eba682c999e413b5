"""cs8.surveys must not import optional dependencies at import time."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_load_optional_dependencies():
    code = (
        "import sys, cs8.surveys; "
        "print(sorted(m for m in ('numpy', 'pandas', 'polars', 'narwhals', 'scipy', 'matplotlib')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
