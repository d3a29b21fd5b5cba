"""The "teaser strip as of" controls on a story's change form, driven in a real browser.

The controls sit inside the story's own form but submit a separate GET form through the HTML
``form`` attribute; only a browser shows that they open the preview and leave the story untouched.
"""

import shutil
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_teaser, make_user

CHROMIUM = shutil.which("chromium")
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    # The live server needs a transactional database; keep the Editor group from the data
    # migration, which a flush after an earlier transactional test would otherwise remove.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed"),
]


@pytest.fixture
def page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls below are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser.new_page(base_url=live_server.url)
        browser.close()


def test_editor_previews_the_strip_at_a_future_instant_from_the_change_form(page):
    editor = make_user(is_staff=True, groups=["Editor"], password=PASSWORD)
    host = make_article(headline="Harbour reopens")
    goes_live = timezone.now() + timedelta(hours=2)
    target = make_article(headline="Ferry timetable returns", publish_at=goes_live)
    make_teaser(article=host, target=target)
    modified = host.modified_at

    page.goto(reverse("admin:login"))
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(reverse("admin:articles_article_change", args=[host.pk]))

    later = timezone.localtime(goes_live + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#teaser-strip-at", later)
    page.click("text=Show what readers will see")
    page.wait_for_url(f"**{reverse('admin:articles_relatedteaser_strip', args=[host.pk])}?at=*")

    strip = page.locator("section.related")
    assert strip.locator("h3").all_inner_texts() == ["Ferry timetable returns"]
    assert page.locator(".teaser-strip-at time").get_attribute("datetime").startswith(later[:10])
    assert Article.objects.get(pk=host.pk).modified_at == modified
