"""Headless Chromium for the end-to-end checks: Debian's /usr/bin/chromium, never a downloaded build.

Playwright's sync API runs an asyncio loop in the test thread; Django refuses ORM calls from a thread
with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Only these tests set it.
"""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser(request):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    request.getfixturevalue("django_db_setup")  # create the test database before the loop starts
    serialized = _serialized_contents()
    with sync_api.sync_playwright() as playwright:
        _restore_serialized_contents(serialized)
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Django keeps database connections in an asgiref Local that switches to context-local storage once
# an event loop runs in the thread. With Playwright's loop running, the tests get new connection
# objects (to the same test database) that lack the `_test_serialized_contents` stored on the first
# ones when the test database was created; `serialized_rollback` would then silently skip reloading
# the migrations' data (the system roles) after a transactional test flushed the database.
def _serialized_contents() -> dict[str, str]:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_contents(serialized: dict[str, str]) -> None:
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


class Pages:
    """Opens browser contexts and remembers every console error and failed request, so that a test
    can assert that a page broke no Content-Security-Policy rule and loaded all its assets."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.errors: list[str] = []

    def open(self, viewport=DESKTOP, *, javascript: bool = True, locale: str = "vi-VN"):
        context = self.browser.new_context(
            viewport=viewport, java_script_enabled=javascript, locale=locale, device_scale_factor=1
        )
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        return page

    def _on_response(self, response):
        if response.status >= 400 and "/static/" in response.url:
            self.errors.append(f"{response.status} {response.url}")

    def _on_request_failed(self, request):
        # Leaving a page before its favicon arrived aborts that request: not a fault of the page.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _on_console(self, message):
        # A 404 or 429 page is itself a "failed" load; static assets are checked by status above.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser):
    opened = Pages(browser)
    yield opened
    opened.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
