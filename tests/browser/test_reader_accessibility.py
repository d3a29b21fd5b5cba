"""Every kind of reader page, with every kind of content it can show, in Chromium: axe-core finds
no violations, in the light scheme or the dark."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.preview import make_token
from tests.browser.test_accessibility import AXE, axe_violations, jpeg
from tests.factories import make_article, make_author, make_correction, make_section, make_teaser

pytestmark = pytest.mark.browser

BODY = """The harbour reopened today after a year of repairs, and the first ferry came in at dawn.

## What changed

> The new quay is twice as long as the old one, and it will not flood.
>
> <cite>The harbour master</cite>

Traders were cautiously hopeful:

- the fish market opens on Monday;
- the ferry runs twice a day.

Read [the council's report](https://example.org/report) for the figures.
"""


def seed():
    """A small site with every kind of content a reader page can show; returns the pages."""
    world = make_section(name="World", slug="world", description="News from every continent.")
    make_section(name="Sport", slug="sport")
    with_photo = make_author(
        name="Ada Reporter", slug="ada", job_title="Harbour correspondent", website="https://a.test"
    )
    with_photo.photo = jpeg((300, 300), (90, 120, 150))
    with_photo.save()
    without_photo = make_author(name="Ben Writer", slug="ben", job_title="")
    story = make_article(
        headline="Harbour reopens after a year of repairs",
        kicker="Analysis",
        dek="Ships return to the old port; traders are cautiously hopeful.",
        body=BODY,
        section=world,
        tags=["harbour", "shipping"],
        authors=[with_photo, (without_photo, "photographer")],
        hero_alt="Fishing boats moored at the quay",
        hero_caption="The quay on Monday morning.",
        hero_credit="Photo: Ada Reporter",
        is_featured=True,
    )
    story.hero_image = jpeg((1400, 800), (30, 90, 140))
    story.save()
    related = [
        make_article(headline=f"Ferry timetable changes {n}", section=world, tags=["shipping"])
        for n in range(3)
    ]
    make_teaser(article=story, target=related[0])
    make_teaser(article=story, url="https://example.org/port", headline="The port's history")
    make_article(headline="Cup final tonight", section=make_section(name="Culture", slug="culture"))
    make_correction(article=story, text="An earlier version gave the wrong year for the repairs.")
    draft = make_article(
        headline="Bridge to reopen",
        status=Article.Status.DRAFT,
        publish_at=None,
        section=world,
        body=BODY,
        authors=[without_photo],
    )
    return {
        "home": reverse("articles:home"),
        "story": story.get_absolute_url(),
        "section": world.get_absolute_url(),
        "tag": reverse("articles:tag", args=["shipping"]),
        "author": with_photo.get_absolute_url(),
        "author-without-photo": without_photo.get_absolute_url(),
        "search": reverse("articles:search") + "?q=harbour",
        "corrections": reverse("articles:corrections"),
        "feeds": reverse("feeds:index"),
        "404": "/no-such-page/",
        "preview": reverse("articles:preview", args=[make_token(draft)]),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_any_reader_page(live_server, transactional_db, browser, scheme):
    assert AXE.exists(), "axe-core is missing: run `make browser-deps`"
    pages = seed()
    # The Content-Security-Policy forbids the inline script axe is injected as; let it in.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == (404 if name == "404" else 200), name
        if name == "search":
            assert page.locator(".search-result mark").count() > 0
        if name == "story":
            assert page.locator(".story__body blockquote").count() == 1
            assert page.locator(".related a").count() >= 2
        found = axe_violations(page)
        if found:
            problems[name] = found
    context.close()
    assert problems == {}
