"""Every public page, in a real browser: axe-core finds no violations in the light or the dark
scheme, and the Nu HTML Checker finds no errors in the HTML the server sends."""

import io
import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_section,
    make_teaser,
)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]  # fmt: skip


def jpeg(size, color):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="picture.jpg")


def seed():
    """A small site with every kind of content a page can show; returns the pages to check."""
    world = make_section(name="World", slug="world", description="News from every continent.")
    make_section(name="Sport", slug="sport")
    author = make_author(
        name="Ada Reporter",
        slug="ada",
        job_title="Harbour correspondent",
        website="https://ada.example",
    )
    author.photo = jpeg((300, 300), (90, 120, 150))
    author.save()
    story = make_article(
        headline="Harbour reopens after a year of repairs",
        kicker="Analysis",
        dek="Ships return to the old port; traders are cautiously hopeful.",
        body="The **harbour** reopened today.\n\n# What changed\n\n> A new quay.\n\n- one\n- two",
        section=world,
        tags=["harbour", "shipping"],
        authors=[author],
        hero_alt="Fishing boats moored at the quay",
        hero_caption="The quay on Monday morning.",
        hero_credit="Photo: Ada Reporter",
        is_featured=True,
    )
    story.hero_image = jpeg((1400, 800), (30, 90, 140))
    story.save()
    other = make_article(headline="Ferry timetable changes", section=world, tags=["shipping"])
    make_article(headline="Cup final tonight", section=make_section(name="Culture", slug="culture"))
    make_teaser(article=story, target=other)
    make_correction(article=story, text="An earlier version gave the wrong year for the repairs.")
    return {
        "home": reverse("articles:home"),
        "story": story.get_absolute_url(),
        "section": world.get_absolute_url(),
        "tag": reverse("articles:tag", args=["shipping"]),
        "author": author.get_absolute_url(),
        "search": reverse("articles:search") + "?q=harbour",
        "search-empty": reverse("articles:search") + "?q=%21%21%21",
        "corrections": reverse("articles:corrections"),
        "404": "/no-such-page/",
    }


@pytest.fixture
def site(live_server, transactional_db):
    return live_server.url, seed()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's async guard would
    # otherwise refuse the tests' own database work (seeding and flushing) while it runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            yield browser
            browser.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_any_public_page(site, browser, scheme):
    base, pages = site
    assert AXE.exists(), "axe-core is missing: run `make browser-deps`"
    # The site's Content-Security-Policy forbids inline scripts, which is how axe is injected:
    # let the test's own tool in, leave everything else about the page as readers get it.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response.status == (404 if name == "404" else 200), name
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        found = axe_violations(page)
        if found:
            problems[name] = found
    context.close()
    assert problems == {}


def test_keyboard_focus_is_visible_and_skip_link_works(site, browser):
    base, pages = site
    page = browser.new_page()
    page.goto(base + pages["story"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.close()


def fetch(url):
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 (the test's own server)
            return response.read()
    except urllib.error.HTTPError as error:
        return error.read()


def test_nu_html_checker_finds_no_errors(site, tmp_path):
    base, pages = site
    assert VNU.exists(), "the Nu HTML Checker is missing: run `make browser-deps`"
    assert shutil.which("java"), "Java is needed to run the Nu HTML Checker"
    files = []
    for name, path in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_bytes(fetch(base + path))
        files.append(str(target))
    assert nu_html_errors(files) == []
    assert len(files) == len(pages)


def nu_html_errors(files):
    """The Nu HTML Checker's errors in the HTML files ``files``, as ``name:line: message``."""
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
