"""The HTML report in a real browser: headless Chromium renders it without errors.

Needs Debian's ``chromium`` package (``.ci/run`` installs it); skips with a clear message where
it is not installed. The page is the sample quarter's report in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cs8.report import ServiceReport

from .browser import find_chromium, render

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="chromium not found: install Debian's chromium package (apt-get install chromium) "
    "or set CS8_CHROMIUM to run the browser test",
)


@pytest.fixture(scope="module")
def seen(
    quarter_report: ServiceReport, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "report.html"
    page.write_text(quarter_report.to_html(lang="vi"), encoding="utf-8")
    result = render(page, folder / "report.png")
    result["screenshot"] = folder / "report.png"
    return result


def test_page_renders_without_console_errors(seen: dict[str, object]) -> None:
    assert seen["errors"] == []


def test_every_chart_has_a_size(seen: dict[str, object], quarter_report: ServiceReport) -> None:
    charts = seen["charts"]
    assert isinstance(charts, list)
    assert len(charts) == quarter_report.to_html().count("<svg")
    assert all(width > 0 and height > 0 for width, height in charts)


def test_vietnamese_text_is_drawn_with_its_diacritics(seen: dict[str, object]) -> None:
    text = seen["text"]
    assert isinstance(text, str)
    assert "Bảng điểm S8" in text
    assert "Thời gian phản hồi đầu tiên" in text
    assert seen["heading"] == "Bảng điểm S8"
    fonts = seen["fonts"]
    assert isinstance(fonts, list)
    # Every glyph of the heading came from a real font (no missing-glyph fallback box):
    # 12 characters, spaces included, drawn by fonts that have them.
    assert sum(f["glyphCount"] for f in fonts) == len("Bảng điểm S8")
    assert all(f["familyName"] != "LastResort" for f in fonts)


def test_screenshot_is_a_png(seen: dict[str, object]) -> None:
    shot = seen["screenshot"]
    assert isinstance(shot, Path)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000
