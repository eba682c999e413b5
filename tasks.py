#!/usr/bin/env python3
"""Project tasks that need nothing but ``python3``: each creates and fills ``.venv`` on first use.

    python3 tasks.py report      # the cs8 report on the bundled sample data
    python3 tasks.py test        # ruff, mypy --strict, pytest with doctests (the CI gate)
    python3 tasks.py bench NAME  # run benchmarks/NAME.py
    python3 tasks.py spark       # the engine tests on a real PySpark session (needs Java 17+)
    python3 tasks.py shell ...   # run a command inside the virtual environment

The environment is rebuilt when ``pyproject.toml`` changes (a stamp file records its hash).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*cmd: str | os.PathLike[str], env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def check(*cmd: str | os.PathLike[str]) -> None:
    if run(*cmd) != 0:
        sys.exit(f"command failed: {' '.join(str(c) for c in cmd)}")


def ensure_env(profile: str) -> None:
    """Create ``.venv`` and install cs8 with what ``profile`` ("core", "dev" or "bench") needs."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".cs8-{profile}-{digest}"
    if stamp.exists():
        return
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [PY, "-m", "pip", "--disable-pip-version-check", "-q"]
    # Dependency groups (PEP 735) need pip >= 25.1.
    check(*pip, "install", "--upgrade", "pip>=25.1")
    if profile == "core":
        check(*pip, "install", "-e", ".")
    else:
        check(*pip, "install", "-e", ".[all]", "--group", "dev")
        plugin = ROOT / "tests" / "routing" / "example_plugin"
        if (plugin / "pyproject.toml").exists():
            check(*pip, "install", "-e", plugin)
        if profile == "bench":
            check(*pip, "install", "--group", "bench")
    for old in VENV.glob(f".cs8-{profile}-*"):
        old.unlink()
    stamp.touch()


def task_report(args: list[str]) -> int:
    ensure_env("core")
    return run(BIN / "cs8", "report", *args)


def task_test(args: list[str]) -> int:
    ensure_env("dev")
    steps: list[list[str | os.PathLike[str]]] = [
        [PY, "-m", "ruff", "check", "src", "tests", "benchmarks", "tasks.py"],
        [PY, "-m", "ruff", "format", "--check", "src", "tests", "benchmarks", "tasks.py"],
        [PY, "-m", "mypy", "--strict", "src", "tests/typing"],
        [PY, "-m", "pytest", *args],
    ]
    env = dict(os.environ)
    env.setdefault("HYPOTHESIS_PROFILE", "ci" if env.get("CI") else "dev")
    failed = []
    for step in steps:
        if run(*step, env=env) != 0:
            failed.append(" ".join(str(s) for s in step[1:4]))
    if failed:
        print("FAILED steps: " + "; ".join(failed), flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


def task_bench(args: list[str]) -> int:
    ensure_env("bench")
    if not args:
        names = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py"))
        sys.exit("usage: python3 tasks.py bench NAME [ARGS]; NAME is one of: " + ", ".join(names))
    return run(PY, ROOT / "benchmarks" / f"{args[0]}.py", *args[1:])


def task_spark(args: list[str]) -> int:
    """The optional job CI skips (no JVM there): the ``spark`` extra, then the PySpark tests."""
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        sys.exit("python3 tasks.py spark needs a Java runtime (java on PATH or JAVA_HOME)")
    ensure_env("dev")
    check(PY, "-m", "pip", "--disable-pip-version-check", "-q", "install", "-e", ".[spark]")
    env = dict(os.environ, CS8_SPARK="1")
    return run(
        PY, "-m", "pytest", "-p", "no:cacheprovider", "tests/engines/test_spark.py", *args, env=env
    )


def task_shell(args: list[str]) -> int:
    ensure_env("dev")
    if not args:
        sys.exit("usage: python3 tasks.py shell COMMAND [ARGS]")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return run(*args, env=env)


TASKS = {
    "report": task_report,
    "test": task_test,
    "bench": task_bench,
    "spark": task_spark,
    "shell": task_shell,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(__doc__)
    sys.exit(TASKS[sys.argv[1]](sys.argv[2:]))
