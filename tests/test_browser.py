"""A real browser against the real server: Debian's Chromium, driven by Playwright.

Starts `streamlit run dashboard.py` on 127.0.0.1 (a free port), loads the Live page, presses
Step, and checks that the galaxy (SVG points) and the story render with no exception; then
opens the inspector from the Live page. Screenshots of both go to tests/artifacts/; with
CALLISTER_SCREENSHOTS=1 they also replace docs/screenshots/live.png and inspector.png (the
README's pictures). Skipped only when /usr/bin/chromium is missing (CI installs it).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The dashboard served on 127.0.0.1; yields its URL once /_stcore/health says ok."""
    port = free_port()
    env = os.environ | {"CALLISTER_RUNS": str(tmp_path_factory.mktemp("runs"))}
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("wb") as stream:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=stream, stderr=stream)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not come up:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # A click's rerun can lag a loaded CI machine by seconds: wait for it, never sleep.
    expect.set_options(timeout=30_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(server, browser):
    """A fresh tab (a fresh Streamlit session, so a fresh run) on the Live page."""
    context = browser.new_context(viewport={"width": 1600, "height": 1800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    tab.goto(server, wait_until="domcontentloaded")
    settle(tab)
    yield tab
    context.close()


def settle(page, timeout: float = 60_000) -> None:
    """Wait like Streamlit's own e2e tests: connected, script finished, no skeletons."""
    from playwright.sync_api import expect

    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout
    )
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True, animations="disabled")
    if os.environ.get("CALLISTER_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True, animations="disabled")


def step(page, times: int) -> None:
    from playwright.sync_api import expect

    for _ in range(times):
        before = tick_shown(page)
        page.get_by_role("button", name="Step", exact=True).click()
        settle(page)
        expect(page.get_by_text(re.compile(rf"tick {before + 1} of \d+"))).to_be_visible()


def tick_shown(page) -> int:
    text = page.get_by_text(re.compile(r"tick \d+ of \d+")).first.inner_text()
    return int(re.search(r"tick (\d+) of", text)[1])


def test_live_page_steps_and_draws_the_galaxy_and_the_story(page):
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=re.compile("live"))).to_be_visible()
    assert tick_shown(page) == 0
    step(page, 12)
    galaxy = page.get_by_test_id("stPlotlyChart").first
    expect(galaxy).to_be_visible()
    points = galaxy.locator(".scatterlayer .point")
    assert points.count() > 50  # every planet, landmarks, the ship
    story = (
        page.get_by_test_id("stVerticalBlock")
        .filter(has_text="robbery")
        .or_(page.get_by_text(re.compile(r"Day 1 \d\d:00")))
    )
    expect(story.first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    monitors = page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert "credits" in monitors and "Walton's legal risk" in monitors
    assert not page.errors, page.errors
    shoot(page, "live.png")


def test_the_inspector_opens_from_the_live_page(page):
    from playwright.sync_api import expect

    step(page, 4)
    page.get_by_role("button", name=re.compile("Why did they choose")).click()
    settle(page)
    expect(page.get_by_role("heading", name=re.compile("decision inspector"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"chose “"))).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    curves = page.get_by_test_id("stPlotlyChart")
    expect(curves.nth(1)).to_be_visible()  # charts draw one after another: wait for the second
    assert curves.count() >= 2  # the score bars and at least one curve
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not page.errors, page.errors
    shoot(page, "inspector.png")
