import shutil

import pytest

CHROMIUM = shutil.which("chromium")


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright; skipped, saying why, when it is not installed."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser test skipped.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # ordinary blocking calls, so let Django run them.
    # Set for this test only: a later test that runs `check --deploy` must not inherit it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()
