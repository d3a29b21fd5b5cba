"""A live coverage story's reader page in Chromium: axe-core finds no violations (light and
dark, first page, an older page, ended coverage), the Nu HTML Checker no errors, and the
hostile corpus through entries runs no script."""

import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from live import stream as live_stream
from live.services import end_coverage
from tests.browser.test_accessibility import AXE, VNU, axe_violations, fetch, jpeg, nu_html_errors
from tests.browser.test_hostile_corpus_browser import assert_no_script_runs
from tests.factories import make_article, make_author, make_entry, make_live_story, make_section
from tests.live.hostile_entries import build_hostile_live_story

pytestmark = pytest.mark.browser

BODY = """The river rose past its banks before dawn.

> Stay away from the embankment until the water falls.
>
> <cite>The fire service</cite>

- the bridge is closed;
- trains run on the north line only.
"""


def seed():
    """A running live story with every kind of entry, and an ended one; returns the pages."""
    section = make_section(name="Weather", slug="weather")
    reporter = make_author(name="Ana Ferreira", slug="ana", job_title="Weather correspondent")
    now = timezone.now()
    story = make_live_story(
        headline="Floods: the river breaks its banks",
        dek="Live updates as the water rises.",
        section=section,
        tags=["floods"],
        authors=[reporter],
        publish_at=now - timedelta(hours=3),
    )
    make_article(headline="Rain expected all week", section=section, tags=["floods"])
    entries = []
    for number in range(8):
        entries.append(
            make_entry(
                article=story,
                body=BODY if number % 2 else f"Update {number}: the level is still rising.",
                author=reporter,
                headline=f"Warning raised to level {number}" if number % 3 == 0 else "",
                is_key_event=number % 3 == 0,
                is_pinned=number == 1,
                publish_at=now - timedelta(minutes=60 - number * 5),
                correction_note="An earlier version named the wrong bridge." if number == 2 else "",
            )
        )
    pictured = entries[4]
    pictured.image = jpeg((1200, 800), (20, 60, 110))
    pictured.image_alt = "Water over the road by the old bridge"
    pictured.image_caption = "The old bridge at six."
    pictured.image_credit = "Photo: Ana Ferreira"
    pictured.save()
    ended = make_live_story(
        headline="Storm passes", section=section, publish_at=now - timedelta(days=1)
    )
    make_entry(article=ended, body="The storm has moved out to sea.")
    end_coverage(article=ended, by=None)
    return {
        "live": story.get_absolute_url(),
        "older": f"{story.get_absolute_url()}?before={entries[5].pk}",
        "ended": ended.get_absolute_url(),
        "section": section.get_absolute_url(),
    }


@pytest.fixture
def pages(transactional_db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(live_stream, "PAGE_SIZE", 3)  # an older page with a few entries
    return seed()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_live_page(live_server, browser, pages, scheme):
    assert AXE.exists(), "axe-core is missing: run `make browser-deps`"
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        if name == "live":
            assert page.locator(".key-events a").count() == 3
            assert page.locator(".live-pinned .entry").count() == 1
            assert page.locator("#live-stream .entry").count() == 3
        if found := axe_violations(page):
            problems[name] = found
    context.close()
    assert problems == {}


def test_nu_html_checker_finds_no_errors_on_the_live_page(live_server, pages, tmp_path):
    assert VNU.exists(), "the Nu HTML Checker is missing: run `make browser-deps`"
    assert shutil.which("java"), "Java is needed to run the Nu HTML Checker"
    files = []
    for name, path in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_bytes(fetch(live_server.url + path))
        files.append(str(target))
    assert nu_html_errors(files) == []
    assert len(files) == len(pages)


def test_the_hostile_corpus_through_entries_runs_no_script(
    live_server, browser, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    story, entries = build_hostile_live_story()
    url = story.get_absolute_url()
    paths = [url, f"{url}entries/{entries[0].pk}/"]
    paths += [
        f"{url}?before={entries[n].pk}" for n in range(len(entries) - 1, 0, -live_stream.PAGE_SIZE)
    ]
    assert_no_script_runs(browser, live_server, paths)
