"""The whole editorial flow in a real browser: write, submit, review, preview, schedule, publish."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import make_author, make_section, make_user

PASSWORD = "correct horse battery staple"


def log_in(browser, live_server, username):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def choose_autocomplete(page, container, text):
    """Pick ``text`` in one of the admin's select2 autocomplete boxes."""
    page.locator(f"#{container}").locator("xpath=..").click()  # the box around the text
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_submits_editor_previews_and_schedules_story_goes_live(browser, live_server):
    make_section(name="Harbour", slug="harbour")
    reporter = make_user(username="rita", is_staff=True, groups=["Reporter"])
    make_author(name="Rita Reporter", user=reporter, bio="Covers the port.")
    make_user(username="edna", is_staff=True, groups=["Editor"])

    # The reporter writes the story with a quoted post under her byline, and submits it.
    page = log_in(browser, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Cranes return to the harbour")
    assert page.input_value("#id_slug") == "cranes-return-to-the-harbour"
    page.fill("#id_dek", "The first ship in a month is unloaded.")
    page.fill(
        "#id_body",
        "Work resumed at dawn.\n\n> “The cranes are moving again.”\n> — @portauthority",
    )
    preview_pane = page.locator(".markdown-preview blockquote")
    preview_pane.wait_for()
    assert "cranes are moving" in preview_pane.inner_text()
    choose_autocomplete(page, "select2-id_section-container", "Harbour")
    # Her own byline is there already.
    assert page.inner_text("#select2-id_bylines-0-author-container") == "Rita Reporter"
    assert page.input_value("#id_bylines-0-role") == "reporter"
    assert page.locator("input[name=_publish]").count() == 0
    page.click("input[name=_submit]")
    page.wait_for_selector("text=Submitted for review.")

    # The editor finds it on the dashboard, previews it and schedules it.
    page = log_in(browser, live_server, "edna")
    page.click(".newsroom-dashboard caption:has-text('In review') >> xpath=.. >> text=Cranes")
    page.wait_for_selector("input[name=_schedule]")
    with page.context.expect_page() as preview_info:
        page.click("input[name=_preview]")
    preview = preview_info.value
    preview.wait_for_load_state()
    assert "Preview:" in preview.inner_text(".status-banner")
    assert "The cranes are moving again." in preview.inner_text(".story__body blockquote")
    assert "Rita Reporter" in preview.inner_text(".byline")
    preview.close()

    go_live = timezone.localtime(timezone.now() + timedelta(minutes=2)).replace(microsecond=0)
    page.fill("#id_publish_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_publish_at_1", go_live.strftime("%H:%M:%S"))
    page.click("input[name=_schedule]")
    page.wait_for_selector("text=Scheduled: Cranes return to the harbour")

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}/")
    assert "Cranes return to the harbour" not in reader.content()

    # No job runs: the server's clock reaching the scheduled time is enough.
    with time_machine.travel(go_live + timedelta(seconds=1)):
        reader.goto(f"{live_server.url}/")
        reader.click("text=Cranes return to the harbour")
        reader.wait_for_selector(".story__headline")
        assert "The cranes are moving again." in reader.inner_text(".story__body blockquote")
        assert reader.locator(".status-banner").count() == 0
