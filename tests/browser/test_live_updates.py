"""A live story's open page in Chromium, with the updates script: two reporters' entries posted at
the same moment reach an anonymous reader as an "N new updates" button that inserts them without
a reload and without moving what the reader is looking at; without JavaScript the same page shows
them on reload; the script rests while the tab is hidden, waits longer after each failure and
stops when the coverage ends.

The page's timers run on Playwright's clock, moved by the test, so a poll interval passes at once.
"""

import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from live.models import Entry
from live.services import end_coverage, save_entry
from tests.browser.test_admin_ui import log_in
from tests.factories import make_live_story, make_reporter

CHROMIUM = shutil.which("chromium")
POLL = 15  # the site's default interval: the test moves the page's clock past it

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed"),
]

LONG_BODY = " ".join(["The storm surge reached the harbour wall before the tide turned."] * 12)


@pytest.fixture
def live_site(live_server):
    return live_server


@pytest.fixture
def desk():
    rita = make_reporter(username="rita", author_name="Rita Reporter")
    otto = make_reporter(username="otto", author_name="Otto Reporter")
    story = make_live_story(headline="Storm reaches the coast", authors=[rita.author, otto.author])
    for n in range(20):
        post(story, rita, f"Earlier update {n}. {LONG_BODY}")
    return story, rita, otto


def post(story, by, body, at=None):
    entry = Entry(article=story, author=by.author, body=body, publish_at=at or timezone.now())
    return save_entry(entry=entry, by=by)


class Reader:
    """An anonymous reader's tab, its timers on a clock the test moves."""

    def __init__(self, browser, base_url, url, javascript=True):
        self.context = browser.new_context(base_url=base_url, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.problems, self.asked = [], []
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.problems.append(message.text)
            ),
        )
        self.page.on(
            "request", lambda request: "/updates/" in request.url and self.asked.append(request.url)
        )
        if javascript:
            self.page.clock.install()
        self.page.goto(url)
        if javascript:
            # From here on, the page's time passes only when the test says so.
            self.page.clock.pause_at(self.page.evaluate("Date.now()") + 50)

    def poll(self):
        """Let one poll interval pass, and wait for the fragment it asks for."""
        with self.page.expect_response(lambda response: "/updates/" in response.url) as answer:
            self.page.clock.run_for(POLL * 1000)
        return answer.value

    def settled(self):
        """A round trip to the server: any ask the page made before it has been seen."""
        self.page.evaluate("() => fetch('/healthz').then((response) => response.status)")
        return len(self.asked)

    def entry_ids(self):
        return self.page.eval_on_selector_all(
            "#live-stream [data-entry]", "items => items.map(item => Number(item.dataset.entry))"
        )


def test_two_reporters_entries_reach_an_open_page_and_a_page_without_javascript(
    live_site, browser, desk
):
    from playwright.sync_api import expect

    story, rita, otto = desk
    url = story.get_absolute_url()
    reader = Reader(browser, live_site.url, url)
    plain = Reader(browser, live_site.url, url, javascript=False)
    page = reader.page
    before = reader.entry_ids()
    assert len(before) == 20
    # Both reporters fill in the live desk, each signed in in a browser of their own, and press
    # Post at the same moment.
    desks = [log_in(browser, live_site, reporter) for reporter in (rita, otto)]
    for desk_page, words in zip(
        desks,
        ("Rita: the sea wall has held on the north side.", "Otto: the ferry port is closed."),
        strict=True,
    ):
        desk_page.goto(reverse("admin:live_entry_desk", args=[story.pk]))
        desk_page.fill("#id_body", words)
    for desk_page in desks:
        desk_page.click("input[type=submit][value=Post]", no_wait_after=True)
    for desk_page in desks:
        desk_page.wait_for_selector(".messagelist .success")
    from_rita = Entry.objects.get(body__startswith="Rita:", author=rita.author)
    from_otto = Entry.objects.get(body__startswith="Otto:", author=otto.author)
    posted = sorted((from_rita, from_otto), key=lambda e: (e.publish_at, e.pk), reverse=True)

    # The reader is reading further down: the button appearing above must not move the page.
    # Chromium's own scroll anchoring is turned off, as browsers without it have it: the
    # script keeps the place itself.
    page.evaluate("document.documentElement.style.overflowAnchor = 'none'")
    watched = page.locator(f"#entry-{before[8]}")
    watched.evaluate("item => { item.scrollIntoView(); window.scrollBy(0, -40); }")
    page.evaluate("window.readerStayed = true")
    region = page.locator("#live-stream .live-stream__new")
    assert region.evaluate("item => item.getBoundingClientRect().bottom") < 0
    top = watched.evaluate("item => item.getBoundingClientRect().top")
    assert reader.poll().status == 200
    button = page.locator("#live-stream .live-stream__new button")
    expect(button).to_have_text("2 new updates")
    assert abs(watched.evaluate("item => item.getBoundingClientRect().top") - top) <= 1
    assert reader.entry_ids() == before  # offered, not yet inserted

    page.evaluate("window.scrollTo(0, 0)")
    button.click()
    expect(region).to_have_text("2 updates shown")
    expect(region).to_have_attribute("aria-live", "polite")
    # Newest first, as the page itself orders them.
    assert reader.entry_ids() == [posted[0].pk, posted[1].pk, *before]
    expect(page.locator(f"#entry-{posted[0].pk}")).to_be_focused()
    expect(page.locator(f"#entry-{from_rita.pk}")).to_contain_text("Rita Reporter")
    assert page.evaluate("window.readerStayed") is True  # no reload happened

    # Nothing new: the next ask brings nothing, and no button comes back.
    assert reader.poll().status in (200, 304)
    expect(button).to_have_count(0)
    assert reader.problems == []  # no script error and no Content-Security-Policy refusal

    # Without JavaScript the page is complete: a reload shows both entries.
    assert plain.entry_ids() == before
    plain.page.reload()
    assert plain.entry_ids() == [posted[0].pk, posted[1].pk, *before]


def test_the_script_rests_while_hidden_backs_off_on_errors_and_stops_when_coverage_ends(
    live_site, browser, desk
):
    story, rita, _ = desk
    reader = Reader(browser, live_site.url, story.get_absolute_url())
    page = reader.page
    assert reader.poll().status == 200

    # A hidden tab asks nothing; shown again, it asks at once.
    page.evaluate(
        """() => {
        Object.defineProperty(document, "hidden", {value: true, configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }"""
    )
    asked = reader.settled()
    page.clock.run_for(10 * POLL * 1000)
    assert reader.settled() == asked
    with page.expect_response(lambda response: "/updates/" in response.url):
        page.evaluate(
            """() => {
            Object.defineProperty(document, "hidden", {value: false, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
        )

    # Failures: each wait doubles (30 s, then 60 s), and a success goes back to the interval.
    page.route("**/updates/**", lambda route: route.fulfill(status=503, body="busy"))
    assert reader.poll().status == 503
    asked = reader.settled()
    page.clock.run_for(2 * POLL * 1000 - 1000)
    assert reader.settled() == asked
    with page.expect_response(lambda response: "/updates/" in response.url):
        page.clock.run_for(1000)
    asked = reader.settled()
    page.clock.run_for(4 * POLL * 1000 - 1000)
    assert reader.settled() == asked
    page.unroute("**/updates/**")
    with page.expect_response(lambda response: "/updates/" in response.url):
        page.clock.run_for(1000)
    assert reader.poll().status in (200, 304)

    # The coverage ends: the next answer says so, and the page asks no more.
    end_coverage(article=story, by=rita)
    last = reader.poll()
    assert 'data-ended="true"' in last.text()
    asked = reader.settled()
    page.clock.run_for(3600 * 1000)
    assert reader.settled() == asked
    assert reader.problems == []
