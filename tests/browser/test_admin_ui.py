"""The story form in a real browser: accessibility (axe-core), the length counters, the
leave-page prompt, the object tools beside the title, the byline inline and the hero's focal
point."""

import shutil

import pytest
from django.urls import reverse

from articles.models import Article
from tests.browser.test_accessibility import AXE, axe_violations
from tests.factories import (
    make_article,
    make_author,
    make_editor,
    make_image,
    make_section,
    make_teaser,
)

CHROMIUM = shutil.which("chromium")
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.browser,
    # The live server needs a transactional database; the editorial groups are made again after
    # each flush (articles.roles), so no serialized copy of them is restored.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed"),
]

LONG_HEADLINE = (
    "Harbour authority and unions agree a night-shift deal after a summer of stoppages, "
    "delays and a record backlog of containers"
)


def log_in(browser, live_server, user, **context):
    # The site's Content-Security-Policy holds (no inline script), except where a test injects axe.
    page = browser.new_context(base_url=live_server.url, **context).new_page()
    page.goto(reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


@pytest.fixture
def desk(db):
    """An editor with an author profile, and a story with a byline, a teaser and a hero."""
    editor = make_editor(username="edna")
    world = make_section(name="World", slug="world")
    target = make_article(headline="Ferry timetable changes", section=world)
    story = make_article(
        headline=LONG_HEADLINE,
        section=world,
        authors=[make_author(name="Ada Reporter")],
        status=Article.Status.IN_REVIEW,
        publish_at=None,
        modified_by=editor,
        hero_image=make_image(name="quay.png", size=(400, 200)),
        hero_alt="The quay at dawn",
    )
    make_teaser(article=story, target=target)
    return editor, story


def test_axe_finds_no_violations_on_the_story_forms_schedule_and_dashboard(
    browser, live_server, desk
):
    editor, story = desk
    assert AXE.exists(), "axe-core is missing: run `make browser-deps`"
    page = log_in(browser, live_server, editor, bypass_csp=True)
    pages = {
        "dashboard": reverse("admin:index"),
        "add": reverse("admin:articles_article_add"),
        "change": reverse("admin:articles_article_change", args=[story.pk]),
        "schedule": reverse("admin:articles_relatedteaser_schedule"),
    }
    problems = {}
    for name, path in pages.items():
        assert page.goto(path).status == 200, name
        if name in {"add", "change"}:
            # The live Markdown preview is part of the form: check it with its content.
            page.fill("#id_body", "Intro.\n\n> “The cranes are moving again.”\n>\n> — @port")
            page.locator(".markdown-preview blockquote").wait_for()
        if name == "change":
            # Rows added in the browser are named like the ones the server drew.
            for group in ("#bylines-group", "#corrections-group", "#teasers-group"):
                page.click(f"{group} .add-row a")
        found = axe_violations(page)
        if found:
            problems[name] = found
    assert problems == {}


def test_headline_counter_counts_as_one_types_and_a_long_headline_is_kept_with_an_error(
    browser, live_server, desk
):
    editor, story = desk
    page = log_in(browser, live_server, editor)
    page.goto(reverse("admin:articles_article_add"))
    counter = page.locator("#id_headline_count")
    assert counter.inner_text() == "0 of 120 characters"
    page.locator("#id_headline").press_sequentially("Cranes return")
    assert counter.inner_text() == "13 of 120 characters"
    assert "120 characters to publish" in page.inner_text("#id_headline_helptext")

    # Past the save limit too: nothing is cut as it is typed, and saving says why it failed.
    too_long = "Cranes return to the harbour " * 8
    page.fill("#id_headline", too_long)
    assert page.input_value("#id_headline") == too_long
    assert (
        counter.inner_text() == f"{len(too_long)} of 120 characters: {len(too_long) - 120} too many"
    )
    page.click("input[name=_save_draft]")
    page.wait_for_selector(".errornote")
    assert "at most 200 characters" in page.inner_text(".field-headline .errorlist")
    assert page.input_value("#id_headline") == too_long
    assert not Article.objects.filter(headline__startswith="Cranes").exists()


def test_leaving_asks_only_when_the_form_has_unsaved_changes(browser, live_server, desk):
    editor, story = desk
    page = log_in(browser, live_server, editor)
    change = reverse("admin:articles_article_change", args=[story.pk])
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)

    # Clean: leaving asks nothing.
    page.goto(change)
    page.click("#id_dek")  # the browser asks only on a page the user has interacted with
    page.goto(reverse("admin:index"))
    assert dialogs == []

    # Dirty: the browser's leave-page prompt.
    page.goto(change)
    page.locator("#id_dek").press_sequentially(" More to come.")
    page.goto(reverse("admin:index"))
    assert dialogs == ["beforeunload"]

    # Saving is leaving on purpose.
    page.goto(change)
    page.locator("#id_dek").press_sequentially(" Saved.")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert dialogs == ["beforeunload"]
    assert "Saved." in Article.objects.get(pk=story.pk).dek


@pytest.mark.parametrize("width", [1280, 390])
def test_object_tools_do_not_cover_the_title(browser, live_server, desk, width):
    editor, story = desk
    page = log_in(browser, live_server, editor, viewport={"width": width, "height": 900})
    page.goto(reverse("admin:articles_article_change", args=[story.pk]))

    def box(selector):
        rect = page.locator(selector).bounding_box()
        return rect["x"], rect["y"], rect["x"] + rect["width"], rect["y"] + rect["height"]

    tools = [
        box(f".object-tools li >> nth={n}") for n in range(page.locator(".object-tools li").count())
    ]
    assert len(tools) >= 4
    for title in ("#content > h1", "#content > h2"):
        left, top, right, bottom = box(title)
        for t_left, t_top, t_right, t_bottom in tools:
            apart = t_right <= left or t_left >= right or t_bottom <= top or t_top >= bottom
            assert apart, (title, (left, top, right, bottom), (t_left, t_top, t_right, t_bottom))


def test_byline_order_changes_from_the_keyboard(browser, live_server, desk):
    editor, story = desk
    make_author(name="Bo Second").bylines.create(article=story, position=2)
    page = log_in(browser, live_server, editor)
    page.goto(reverse("admin:articles_article_change", args=[story.pk]))
    assert (
        page.locator("#bylines-group input[name$=-position]").first.get_attribute("type")
        == "hidden"
    )
    arrow = page.locator("#bylines-1 .sort i.move-begin")
    arrow.focus()
    page.keyboard.press("Enter")
    names = page.locator(
        "#bylines-group .inline-related.has_original .inline_label"
    ).all_inner_texts()
    assert [name.split(" ")[0] for name in names][:2] == ["Bo", "Ada"]
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert [b.author.name for b in story.bylines.order_by("position", "id")] == [
        "Bo Second",
        "Ada Reporter",
    ]


def test_the_focal_point_is_set_by_a_click_or_the_arrow_keys(browser, live_server, desk):
    editor, story = desk
    page = log_in(browser, live_server, editor)
    page.goto(reverse("admin:articles_article_change", args=[story.pk]))
    picker, marker = page.locator(".focal-point"), page.locator(".focal-point__marker")
    across, down = page.locator("#id_hero_focal_x"), page.locator("#id_hero_focal_y")

    def marker_at():
        area, ring = picker.bounding_box(), marker.bounding_box()
        return (
            round((ring["x"] + ring["width"] / 2 - area["x"]) / area["width"], 2),
            round((ring["y"] + ring["height"] / 2 - area["y"]) / area["height"], 2),
        )

    assert marker.is_visible()
    assert marker_at() == (0.5, 0.5)
    assert picker.get_attribute("role") == "slider"
    assert picker.get_attribute("aria-valuetext") == "50% across, 50% down"

    area = picker.bounding_box()
    picker.click(position={"x": area["width"] * 0.2, "y": area["height"] * 0.75})
    assert (float(across.input_value()), float(down.input_value())) == pytest.approx(
        (0.2, 0.75), abs=0.01
    )
    assert marker_at() == pytest.approx((0.2, 0.75), abs=0.01)

    # From the keyboard: the picture takes the focus, each arrow moves the point a hundredth.
    across.fill("0.3")
    down.fill("0.6")
    assert marker_at() == (0.3, 0.6)  # typing in a box moves the marker
    picker.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    assert (across.input_value(), down.input_value()) == ("0.32", "0.5")
    assert picker.get_attribute("aria-valuetext") == "32% across, 50% down"
    for _ in range(80):
        page.keyboard.press("ArrowRight")
    assert across.input_value() == "1"  # held to the picture's edge

    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert (story.hero_focal_x, story.hero_focal_y) == (1.0, 0.5)
    assert story.hero_renditions["shapes"]["square"]["box"] == [200, 0, 400, 200]
