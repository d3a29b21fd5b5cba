import shutil
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

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


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On SQLite the test database lives in memory and the live server's threads share the test's
    one connection; two requests at once (a page and its stylesheet) could then interleave on it
    and stall. Connections are still accepted in parallel, so a browser's keep-alive sockets never
    block one another; only the application itself runs one request at a time.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    # Django's request_finished (which closes this thread's database
                    # connection) fires from close(): keep it, inside the lock.
                    response.close()

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer
