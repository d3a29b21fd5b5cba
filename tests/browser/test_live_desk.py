"""The live desk in a real browser: a reporter on the byline posts an entry with the keyboard
and it tops the stream with the box empty again; axe-core finds nothing on the desk, its edit
form, an entry's history, the list of desks, or the desk with a form error showing, nor on the story's page as an editor sees it with its
live coverage fieldset and links."""

import shutil
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from live.models import Entry
from tests.browser.test_accessibility import AXE, axe_violations
from tests.browser.test_admin_ui import log_in
from tests.factories import make_editor, make_entry, make_live_story, make_reporter, make_section

CHROMIUM = shutil.which("chromium")
User = get_user_model()

pytestmark = [
    pytest.mark.browser,
    # The live server needs a transactional database; the editorial groups are made again after
    # each flush (articles.roles), so no serialized copy of them is restored.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed"),
]


@pytest.fixture
def live_desk(db):
    rita = make_reporter(username="rita", first_name="Rita", last_name="Reporter")
    make_editor(username="edna")
    story = make_live_story(
        headline="Storm reaches the coast", section=make_section(), authors=[rita.author]
    )
    make_entry(
        article=story,
        headline="Red warning",
        body="The warning is **red** from ten o'clock.",
        by=rita,
        author=rita.author,
        is_key_event=True,
    )
    pinned = make_entry(
        article=story, body="What to do:\n\n- stay in\n- charge phones", by=rita, is_pinned=True
    )
    make_entry(
        article=story,
        body="The evening update is due.",
        by=rita,
        author=rita.author,
        publish_at=timezone.now() + timedelta(hours=2),
    )
    return rita, story, pinned


def test_a_reporter_posts_from_the_keyboard_and_the_box_is_empty_again(
    browser, live_server, live_desk
):
    rita, story, _ = live_desk
    page = log_in(browser, live_server, rita)
    page.goto(reverse("admin:live_entry_desk", args=[story.pk]))
    page.fill("#id_body", "Trees are down on the coast road.")
    page.keyboard.press("Tab")
    page.fill("#id_headline", "Coast road closed")
    page.click("input[type=submit][value=Post]")
    page.wait_for_selector(".messagelist .success")
    assert page.input_value("#id_body") == ""
    first = page.locator(".live-desk__entry").nth(1)  # the scheduled entry stays on top
    assert "Coast road closed" in first.inner_text()
    assert Entry.objects.filter(headline="Coast road closed", author=rita.author).exists()


def test_axe_finds_no_violations_on_the_live_desk(browser, live_server, live_desk):
    rita, story, pinned = live_desk
    assert AXE.exists(), "axe-core is missing: run `make browser-deps`"
    page = log_in(browser, live_server, rita, bypass_csp=True)
    desk = reverse("admin:live_entry_desk", args=[story.pk])
    pages = {
        "desks": reverse("admin:live_entry_changelist"),
        "desk": desk,
        "edit": reverse("admin:live_entry_edit", args=[pinned.pk]),
        "history": reverse("admin:live_entry_history", args=[pinned.pk]),
    }
    problems = {}
    for name, path in pages.items():
        assert page.goto(path).status == 200, name
        found = axe_violations(page)
        if found:
            problems[name] = found
    # The desk with a form error: Post with the box empty.
    page.goto(desk)
    page.click("input[type=submit][value=Post]")
    page.wait_for_selector(".errorlist")
    if found := axe_violations(page):
        problems["desk with an error"] = found
    # The story's page as an editor sees it: the live coverage fieldset and its links.
    editor = log_in(browser, live_server, User.objects.get(username="edna"), bypass_csp=True)
    editor.goto(reverse("admin:articles_article_change", args=[story.pk]))
    assert editor.locator("text=End live coverage").count() == 1
    if found := axe_violations(editor):
        problems["story page"] = found
    editor.goto(reverse("admin:live_entry_end", args=[story.pk]))
    if found := axe_violations(editor):
        problems["end coverage"] = found
    assert problems == {}
