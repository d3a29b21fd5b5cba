"""The live desk: posting, editing against the version lock, the pin and key-event buttons, the
removal and its audit record, and each entry's history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from live.models import Entry
from tests.htmltree import parse
from tests.live.desk_client import (
    delete_url,
    desk_url,
    edit_data,
    edit_url,
    flag,
    history_url,
    post_entry,
)

pytestmark = pytest.mark.django_db


def desk_page(client, story):
    response = client.get(desk_url(story))
    assert response.status_code == 200
    return response.content.decode()


def test_a_post_is_saved_and_the_desk_comes_back_with_an_empty_box(client, desk):
    client.force_login(desk.rita)
    response = post_entry(
        client, desk.story, body="Trees down on the **coast road**.", author=desk.rita.author.pk
    )
    assert response.status_code == 302
    assert response["Location"] == desk_url(desk.story)
    entry = Entry.objects.get(body__startswith="Trees down")
    assert entry.author == desk.rita.author
    assert entry.created_by == desk.rita
    assert "<strong>coast road</strong>" in entry.body_html
    assert entry.is_public()
    page = client.get(desk_url(desk.story))
    html = page.content.decode()
    assert "Posted." in html
    box = parse(html).one("textarea", name="body")
    assert box.text.strip() == ""
    assert "<strong>coast road</strong>" in html


def test_the_post_box_signs_with_the_posters_own_author_by_default(client, desk):
    client.force_login(desk.rita)
    form = parse(desk_page(client, desk.story)).one("select", name="author")
    chosen = [option for option in form.iter() if "selected" in option.attrs]
    assert [option.attrs["value"] for option in chosen] == [str(desk.rita.author.pk)]


def test_an_author_off_the_byline_is_refused_as_a_form_error(client, desk):
    client.force_login(desk.rita)
    response = post_entry(client, desk.story, body="Signed by Otto.", author=desk.otto.author.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Entry.objects.filter(body="Signed by Otto.").exists()


def test_a_scheduled_post_is_held_back_and_marked_on_the_desk(client, desk):
    client.force_login(desk.rita)
    later = timezone.localtime() + timedelta(hours=3)
    post_entry(
        client,
        desk.story,
        body="Held for tonight.",
        author=desk.rita.author.pk,
        publish_at=later.strftime("%Y-%m-%dT%H:%M"),
    )
    entry = Entry.objects.get(body="Held for tonight.")
    assert not entry.is_public()
    html = desk_page(client, desk.story)
    item = parse(html).one("li", id=f"desk-{entry.anchor}")
    assert "live-desk__entry--scheduled" in item.classes
    assert "Scheduled for" in item.clean_text


@pytest.mark.parametrize(
    "fields",
    [
        {"body": ""},
        {"body": "x" * 20_001},
        {"publish_at": "next tuesday"},
        {"author": "999999"},
        {"headline": "h" * 201},
    ],
    ids=["empty", "too long", "bad time", "no such author", "long headline"],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, desk, fields):
    client.force_login(desk.rita)
    before = Entry.objects.count()
    response = post_entry(client, desk.story, **{"author": desk.rita.author.pk, **fields})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Entry.objects.count() == before


def test_a_picture_without_alt_text_is_refused(client, desk):
    from tests.factories import make_image

    client.force_login(desk.rita)
    response = client.post(
        desk_url(desk.story),
        {"body": "Look at this.", "author": desk.rita.author.pk, "image": make_image()},
    )
    assert response.status_code == 200
    assert "Describe the picture" in response.content.decode()
    assert not Entry.objects.filter(body="Look at this.").exists()


def test_an_edit_saves_and_records_a_revision_with_user_and_comment(client, desk):
    client.force_login(desk.rita)
    entry = desk.public
    response = client.post(
        edit_url(entry),
        edit_data(entry, body="The wind is rising fast.", correction_note="Speed added."),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.body, entry.version, entry.correction_note) == (
        "The wind is rising fast.",
        2,
        "Speed added.",
    )
    revision = Version.objects.get_for_object(entry).first().revision
    assert revision.user == desk.rita
    assert revision.comment == "Corrected: Speed added."
    history = client.get(history_url(entry)).content.decode()
    assert "Corrected: Speed added." in history
    assert "The wind is rising fast." in history


def test_a_posted_entry_has_its_first_revision(client, desk):
    client.force_login(desk.edna)
    post_entry(client, desk.story, body="Editor's note.", author=desk.edna.author.pk)
    entry = Entry.objects.get(body="Editor's note.")
    (version,) = Version.objects.get_for_object(entry)
    assert (version.revision.user, version.revision.comment) == (desk.edna, "Posted")


def test_a_stale_edit_is_refused_naming_the_other_save_and_keeps_the_input(client, desk):
    entry = desk.public
    client.force_login(desk.edna)
    stale = edit_data(entry, body="Edna's version.")
    client.force_login(desk.rita)
    assert client.post(edit_url(entry), edit_data(entry, body="Rita's version.")).status_code == 302
    client.force_login(desk.edna)
    response = client.post(edit_url(entry), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed by Rita Reporter" in html
    assert parse(html).one("textarea", name="body").text.strip() == "Edna's version."
    entry.refresh_from_db()
    assert entry.body == "Rita's version."
    assert Version.objects.get_for_object(entry).count() == 1


def test_correction_note_is_offered_only_on_public_entries(client, desk):
    client.force_login(desk.rita)
    assert 'name="correction_note"' in client.get(edit_url(desk.public)).content.decode()
    assert 'name="correction_note"' not in client.get(edit_url(desk.scheduled)).content.decode()


def test_an_edit_that_leaves_the_time_box_as_shown_keeps_the_entrys_time(client, desk):
    client.force_login(desk.rita)
    entry = desk.public
    shown = timezone.localtime(entry.publish_at).strftime("%Y-%m-%dT%H:%M")
    client.post(edit_url(entry), edit_data(entry, body="Reworded.", publish_at=shown))
    before = entry.publish_at
    entry.refresh_from_db()
    assert (entry.body, entry.publish_at) == ("Reworded.", before)


def test_pinning_from_the_desk_unpins_the_other_entry(client, desk):
    client.force_login(desk.rita)
    assert flag(client, desk.public, "pin").status_code == 302
    assert flag(client, desk.scheduled, "pin").status_code == 302
    pinned = list(Entry.objects.filter(article=desk.story, is_pinned=True))
    assert pinned == [desk.scheduled]
    desk.scheduled.refresh_from_db()
    assert flag(client, desk.scheduled, "unpin").status_code == 302
    assert not Entry.objects.filter(article=desk.story, is_pinned=True).exists()


def test_a_flag_from_an_old_desk_is_refused_and_says_who_changed_it(client, desk):
    client.force_login(desk.rita)
    old_version = desk.public.version
    flag(client, desk.public, "key_on")
    response = flag(client, desk.public, "pin", version=old_version)
    assert response.status_code == 302
    desk.public.refresh_from_db()
    assert not desk.public.is_pinned
    html = desk_page(client, desk.story)
    assert "Not changed: Rita Reporter changed this entry" in html


def test_key_event_toggles_on_and_off_with_a_revision_each(client, desk):
    client.force_login(desk.rita)
    entry = desk.public
    flag(client, entry, "key_on")
    entry.refresh_from_db()
    assert entry.is_key_event
    flag(client, entry, "key_off")
    entry.refresh_from_db()
    assert not entry.is_key_event
    comments = [v.revision.comment for v in Version.objects.get_for_object(entry)]
    assert comments == ["No longer a key event", "Marked as a key event"]


def test_a_flag_that_is_not_one_changes_nothing(client, desk):
    client.force_login(desk.rita)
    response = flag(client, desk.public, "publish_everything")
    assert response.status_code == 302
    desk.public.refresh_from_db()
    assert desk.public.version == 1
    assert client.get(reverse("admin:live_entry_flag", args=[desk.public.pk])).status_code == 404


def test_an_editor_removes_a_published_entry_and_the_desk_shows_who_did(client, desk):
    client.force_login(desk.edna)
    entry_id = desk.public.pk
    confirm = client.get(delete_url(desk.public))
    assert confirm.status_code == 200
    assert Entry.objects.filter(pk=entry_id).exists()
    assert client.post(delete_url(desk.public)).status_code == 302
    assert not Entry.objects.filter(pk=entry_id).exists()
    record = Version.objects.get_deleted(Entry).get(object_id=str(entry_id))
    assert (record.revision.user, record.revision.comment) == (desk.edna, "Deleted")
    assert "The wind is rising." in record.serialized_data
    html = desk_page(client, desk.story)
    removed = parse(html).one("section", class_="live-desk__removed")
    text = removed.clean_text
    assert "Removed by Edna Editor" in text
    assert "The wind is rising." in text


def test_the_story_page_in_the_admin_links_to_its_desk(client, desk):
    client.force_login(desk.rita)
    html = client.get(reverse("admin:articles_article_change", args=[desk.story.pk])).content
    assert desk_url(desk.story).encode() in html


def test_the_list_of_desks_shows_only_the_stories_one_may_post_to(client, desk):
    client.force_login(desk.otto)
    page = client.get(reverse("admin:live_entry_changelist")).content.decode()
    assert desk.story.headline not in page
    client.force_login(desk.rita)
    page = client.get(reverse("admin:live_entry_changelist")).content.decode()
    assert desk_url(desk.story) in page


def test_older_entries_are_paged_by_keyset(client, desk):
    from live.admin import STREAM_PAGE
    from tests.factories import make_entry

    client.force_login(desk.rita)
    base = timezone.now() - timedelta(days=1)
    for n in range(STREAM_PAGE + 5):
        make_entry(
            article=desk.story, body=f"Old entry {n}.", publish_at=base + timedelta(minutes=n)
        )
    first = parse(desk_page(client, desk.story))
    shown = first.find_all("li", class_="live-desk__entry")
    assert len(shown) == STREAM_PAGE
    (older,) = [a.attrs["href"] for a in first.find_all("a") if a.clean_text == "Older entries"]
    second = client.get(desk_url(desk.story) + older).content.decode()
    assert "Old entry 0." in second
    assert "The wind is rising." not in second


def test_an_entry_signed_by_someone_since_off_the_byline_can_still_be_edited(client, desk):
    desk.story.bylines.all().delete()
    client.force_login(desk.edna)
    response = client.post(edit_url(desk.public), edit_data(desk.public, body="Still hers."))
    assert response.status_code == 302
    desk.public.refresh_from_db()
    assert (desk.public.body, desk.public.author) == ("Still hers.", desk.rita.author)
