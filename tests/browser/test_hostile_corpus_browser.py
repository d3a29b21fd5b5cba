"""The whole hostile corpus in a real browser: no dialog opens and no script of theirs runs.

The Content-Security-Policy is bypassed on purpose, so the test proves the escaping and the
sanitiser, not only the policy behind them. Only requests to this test server leave the browser.
"""

import shutil
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_author, make_correction, make_user
from tests.security.hostile import PAYLOADS, build_corpus

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

# Records every way a payload's script could show itself; payloads cannot reach this name.
WATCH = """
window.__newsroomWatch = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__newsroomWatch.push(name + ":" + String(args[0]));
    return original.apply(this, args);
  };
}
"""


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes
    # meanwhile are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


def visit_all(context, base_url, paths):
    dialogs, errors, blocked, problems = [], [], [], {}

    def route(route):
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in paths:
        response = page.goto(base_url + path, wait_until="load")
        # Give timers, transitions and autofocus handlers a moment to fire.
        page.wait_for_timeout(50)
        calls = page.evaluate("window.__newsroomWatch")
        if response.status != 200 or calls:
            problems[path] = [response.status, calls]
    page.close()
    return dialogs, errors, blocked, problems


def assert_no_script_runs(browser, live_server, paths):
    """Visit ``paths`` as a superuser of the desk, watched: no dialog, no script error, no page
    problem, and no request to this machine (pictures a payload points at are stopped before
    they leave)."""
    client = Client()
    client.force_login(make_user(username="desk", is_staff=True, is_superuser=True))
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(WATCH)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    dialogs, errors, blocked, problems = visit_all(context, live_server.url, paths)
    context.close()

    assert problems == {}
    assert dialogs == []
    assert errors == []
    assert all(urlsplit(url).hostname not in {"127.0.0.1", "localhost"} for url in blocked)


@pytest.fixture
def corpus(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    built = build_corpus()
    # One story carrying the whole corpus at once: every line in its body, every line as a
    # correction, and an author per line in its byline.
    omnibus = built.articles[0]
    omnibus.body = "\n\n".join(PAYLOADS)
    omnibus.save()
    for number, payload in enumerate(PAYLOADS[1:60], start=1):
        omnibus.bylines.create(author=make_author(name=payload[:120], slug=f"omni-{number}"))
        make_correction(article=omnibus, text=payload)
    return built


def test_corpus_runs_no_script_in_a_browser(live_server, browser, corpus):
    reader_paths = [reverse("articles:home")]
    reader_paths += [article.get_absolute_url() for article in corpus.articles]
    reader_paths += [section.get_absolute_url() for section in corpus.sections[::5]]
    reader_paths += [author.get_absolute_url() for author in corpus.authors[::5]]
    omnibus = corpus.articles[0]
    admin_paths = [
        reverse("admin:articles_article_change", args=[omnibus.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:authors_author_changelist"),
        reverse("admin:articles_correction_changelist"),
    ]
    admin_paths += [
        reverse("admin:articles_article_change", args=[article.pk])
        for article in corpus.articles[1::25]
    ]

    assert_no_script_runs(browser, live_server, reader_paths + admin_paths)


def test_the_watch_would_see_a_script_run(live_server, browser, db):
    """The instruments work: a page that does run a script is caught by both of them."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + reverse("healthz"))
    page.evaluate("alert('probe')")
    assert dialogs == ["probe"]
    assert page.evaluate("window.__newsroomWatch") == ["alert:probe"]
    context.close()
