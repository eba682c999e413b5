"""Render an HTML file in headless Chromium and report what a reader would see.

A small DevTools-protocol client over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
NUL-separated JSON), so the browser test needs no Python dependency and no browser download:
Debian's ``chromium`` package is enough. Used by ``test_browser.py``; run it as a script to
refresh the screenshot kept in the docs::

    PYTHONPATH=src python tests/report/browser.py report.html docs/report-screenshot.png
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from base64 import b64decode
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)
TIMEOUT = 90.0


def find_chromium() -> str | None:
    """Return the Chromium executable (``$CS8_CHROMIUM``, ``chromium``, ``chromium-browser``)."""
    named = os.environ.get("CS8_CHROMIUM")
    if named:
        return named
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with a fresh profile, driven over the DevTools pipe.

    Not thread-safe: one test drives it at a time. Use as a context manager.
    """

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.TemporaryDirectory(
            prefix="cs8-chromium-", ignore_cleanup_errors=True
        )
        cmd_r, self._cmd_w = os.pipe()
        self._resp_r, resp_w = os.pipe()

        def pipes_on_3_and_4() -> None:
            a, b = os.dup(cmd_r), os.dup(resp_w)  # fresh numbers, then inheritable 3 and 4
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            preexec_fn=pipes_on_3_and_4,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_r)
        os.close(resp_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._cmd_w)
        os.close(self._resp_r)
        # Chromium's helper processes may still be writing to the profile for a moment after the
        # browser exits: try a few times, then leave what is left to the system's temp cleaning.
        for _ in range(20):
            shutil.rmtree(self._profile.name, ignore_errors=True)
            if not os.path.exists(self._profile.name):
                break
            time.sleep(0.1)
        self._profile.cleanup()

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._resp_r], [], [], TIMEOUT)
            if not ready:
                raise TimeoutError(f"chromium sent nothing for {TIMEOUT:.0f} s")
            chunk = os.read(self._resp_r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> Any:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._cmd_w, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str) -> dict[str, Any]:
        """Return the first event named ``event`` (already received or still to come)."""
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        while True:
            message = self._receive()
            self.events.append(message)
            if message.get("method") == event:
                return message


def render(
    html: Path, screenshot: Path, *, width: int = 1100, height: int | None = None
) -> dict[str, Any]:
    """Open ``html``, take a screenshot and return what the page showed.

    Args:
        html: The page.
        screenshot: Where to write the PNG.
        width: Viewport width in CSS pixels.
        height: Height of the screenshot; ``None`` captures the whole page.

    Returns:
        ``errors`` (console errors and uncaught exceptions), ``charts`` (width and height of
        every ``svg.chart``), ``text`` (the page's visible text), ``fonts`` (the platform fonts
        that drew the first heading, with their glyph counts) and ``heading`` (its text).
    """
    executable = find_chromium()
    if executable is None:
        raise FileNotFoundError("chromium")
    with Browser(executable) as browser:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "DOM", "CSS"):
            browser.call(f"{domain}.enable", session=session)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height or 1200, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        browser.call("Page.navigate", {"url": html.resolve().as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")

        def evaluate(expression: str) -> Any:
            result = browser.call(
                "Runtime.evaluate",
                {"expression": expression, "returnByValue": True},
                session=session,
            )
            return result["result"].get("value")

        charts = evaluate(
            "[...document.querySelectorAll('svg.chart')]"
            ".map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        text = evaluate("document.body.innerText")
        root = browser.call("DOM.getDocument", session=session)["root"]["nodeId"]
        node = browser.call(
            "DOM.querySelector", {"nodeId": root, "selector": "h2"}, session=session
        )["nodeId"]
        fonts = browser.call("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)[
            "fonts"
        ]
        heading = evaluate("document.querySelector('h2').textContent")
        full = evaluate("document.documentElement.scrollHeight")
        shot_height = height or int(full)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": shot_height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        png = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        screenshot.write_bytes(b64decode(png))
        errors = [
            e["params"]
            for e in browser.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (
                e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error"
            )
            or (
                e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"
            )
        ]
        return {
            "errors": errors,
            "charts": charts,
            "text": text,
            "fonts": fonts,
            "heading": heading,
        }


if __name__ == "__main__":
    seen = render(
        Path(sys.argv[1]), Path(sys.argv[2]), height=int(sys.argv[3]) if len(sys.argv) > 3 else None
    )
    print(json.dumps({k: v for k, v in seen.items() if k != "text"}, ensure_ascii=False, indent=1))
