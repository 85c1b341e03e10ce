"""Headless Chromium for browser tests: Debian's chromium, driven by Playwright.

Playwright cannot download its own browser here, so the tests launch the system binary with
``executable_path``. Without chromium the tests are skipped, and `make test` says so up front.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser(live_server: Any) -> Iterator[Any]:
    """Chromium, started after the live server and closed before it stops (see
    ``_wait_for_request_threads``)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # While Playwright's sync API is active its event loop runs in this thread, and Django's
    # async-safety check would refuse every ORM call of the tests and their teardown.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    _wait_for_request_threads()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _wait_for_request_threads(timeout: float = 10.0) -> None:
    """Let the live server's request threads finish the keep-alive connections the closed
    browser leaves them. The server stops after this fixture; a request thread still running
    then would close the shared in-memory SQLite connection after the server gave it back, which
    Django reports as a thread error in the last test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [
            thread
            for thread in threading.enumerate()
            if "process_request_thread" in thread.name and thread.is_alive()
        ]
        if not busy:
            return
        busy[0].join(timeout=max(0.0, deadline - time.monotonic()))


# The data migrations' own loaders: a browser test runs against a live server in another
# thread, so it needs committed data (``transaction=True``), and the flush after each such test
# empties the tables. Loading them again is quicker than ``serialized_rollback``, which
# deserialises the whole migrated database object by object before every test.
MIGRATED_DATA = (
    ("safetynet.regions.migrations.0002_load_henan", "load"),
    ("safetynet.policy.migrations.0003_load_henan_standards", "load"),
    ("safetynet.determination.migrations.0002_national_time_limits", "forwards"),
    ("safetynet.monitoring.migrations.0002_load_indicators", "load"),
    ("safetynet.oversight.migrations.0002_province_settings", "forward"),
)


def _load_migrated_data() -> None:
    from django.apps import apps

    from safetynet.regions.models import Region

    if Region.objects.exists():
        return
    for module, function in MIGRATED_DATA:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def migrated_data(transactional_db: Any) -> None:
    _load_migrated_data()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
