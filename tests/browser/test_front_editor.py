"""The front editor in a real browser: a pick dragged to a new place, another moved with the
keyboard alone, both saved in that order; axe-core finds nothing on the editor's pages or on the
home page they draw."""

import shutil
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fronts.models import Front
from tests.browser.test_accessibility import AXE, axe_violations
from tests.browser.test_admin_ui import log_in
from tests.factories import (
    make_article,
    make_editor,
    make_front,
    make_pick,
    make_section,
    make_zone,
)

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    # The live server needs a transactional database; the editorial groups are made again after
    # each flush (articles.roles), so no serialized copy of them is restored.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed"),
]


@pytest.fixture
def desk(db):
    """An editor, and the home front's lead zone with three stories picked in order, a story
    waiting for its window in the next zone, and a banner."""
    editor = make_editor(username="edna")
    world = make_section(name="World", slug="world")
    # A home front of these zones only, whatever an earlier test left.
    Front.objects.filter(kind=Front.Kind.HOME).delete()
    home = make_front()
    lead = make_zone(front=home, heading="Top stories", layout="lead_plus_2", size=3, position=1)
    picks = [
        make_pick(zone=lead, target=make_article(headline=headline, section=world), position=n)
        for n, headline in zip(
            (10, 20, 30), ["Harbour reopens", "Ferry strike", "Cranes return"], strict=True
        )
    ]
    latest = make_zone(
        front=home, heading="Latest", layout="grid", size=6, backfill="everything", position=2
    )
    make_pick(
        zone=latest,
        target=make_article(headline="Budget day", section=world),
        starts_at=timezone.now() + timedelta(hours=1),
    )
    banner = make_zone(front=make_front(kind=Front.Kind.BANNER), layout="banner", size=1)
    make_pick(zone=banner, url="https://example.com/", headline="Polls are open", kind="live")
    return editor, lead, picks


def order_in_db(zone):
    return list(zone.picks.order_by("position", "id").values_list("headline", "target__headline"))


def headlines(zone):
    return [target for _, target in order_in_db(zone)]


def saved(page):
    page.wait_for_selector(".messagelist .success")


def test_a_pick_dragged_to_the_top_is_saved_there(browser, live_server, desk):
    editor, lead, picks = desk
    # Tall enough for the zone's three picks to be on screen together, as the drag needs.
    viewport = {"width": 1280, "height": 4000}
    page = log_in(browser, live_server, editor, viewport=viewport)
    page.goto(reverse("admin:fronts_zone_change", args=[lead.pk]))
    # The third pick's title bar is its handle: drag it by the mouse onto the first's.
    source = page.locator("#picks-2 h3").bounding_box()
    target = page.locator("#picks-0 h3").bounding_box()
    x = source["x"] + 20
    page.mouse.move(x, source["y"] + 10)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x, source["y"] + 10 + (target["y"] - source["y"]) * step / 10)
    page.mouse.up()
    boxes = page.locator("#picks-group .inline-related.has_original input._reorder_")
    assert [boxes.nth(n).input_value() for n in range(3)] == ["1", "2", "3"]
    labels = page.locator("#picks-group .inline-related.has_original .inline_label")
    assert labels.nth(0).inner_text().startswith("Cranes return")
    page.click("input[name=_save]")
    saved(page)
    assert headlines(lead) == ["Cranes return", "Harbour reopens", "Ferry strike"]


def test_a_pick_moved_with_the_keyboard_alone_is_saved_there(browser, live_server, desk):
    editor, lead, picks = desk
    page = log_in(browser, live_server, editor)
    page.goto(reverse("admin:fronts_zone_change", args=[lead.pk]))
    # Tab to the second pick's position box, type where it goes, and press Enter to save.
    box = page.locator("#id_picks-1-position")
    page.locator("#id_picks-0-position").focus()
    for _ in range(80):
        if page.evaluate("document.activeElement.id") == "id_picks-1-position":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_picks-1-position"
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Tab")  # the row moves to the top as the box is left
    labels = page.locator("#picks-group .inline-related.has_original .inline_label")
    assert labels.nth(0).inner_text().startswith("Ferry strike")
    assert box.input_value() == "1"
    # The moved row's box keeps the focus: Enter there saves the form.
    assert page.evaluate("document.activeElement.id") == "id_picks-1-position"
    page.keyboard.press("Enter")
    saved(page)
    assert headlines(lead) == ["Ferry strike", "Harbour reopens", "Cranes return"]


def test_axe_finds_no_violations_on_the_front_editor_and_the_home_page(browser, live_server, desk):
    editor, lead, picks = desk
    assert AXE.exists(), "axe-core is missing: run `make browser-deps`"
    page = log_in(browser, live_server, editor, bypass_csp=True)
    home = Front.objects.get(kind=Front.Kind.HOME)
    at = timezone.localtime(timezone.now() + timedelta(hours=2))
    pages = {
        "fronts": reverse("admin:fronts_front_changelist"),
        "front": reverse("admin:fronts_front_change", args=[home.pk]),
        "zone": reverse("admin:fronts_zone_change", args=[lead.pk]),
        "pick": reverse("admin:fronts_pick_change", args=[picks[0].pk]),
        "as of, the form": reverse("admin:fronts_front_as_of", args=[home.pk]),
        "as of, a bad date": reverse("admin:fronts_front_as_of", args=[home.pk]) + "?at=x",
        "as of, a moment": reverse("admin:fronts_front_as_of", args=[home.pk])
        + f"?at={at:%Y-%m-%dT%H:%M}",
        "home": reverse("articles:home"),
    }
    problems = {}
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == (400 if "bad" in name else 200), name
        if name in {"front", "zone"}:
            # Rows added in the browser are named like the ones the server drew.
            page.click(".inline-group .add-row a")
        found = axe_violations(page)
        if found:
            problems[name] = found
    assert problems == {}
    # The moment's page shows the waiting pick, and the banner.
    page.goto(pages["as of, a moment"])
    assert page.locator("text=Budget day").count() == 1
    assert page.locator(".breaking-news").inner_text().endswith("Polls are open")
