"""What the desk tests send: the post box, an edit, a flag, a removal, as a browser would."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import make_entry, make_live_story


def live_story_of(reporter, **story):
    """A live story carried by ``reporter``, with a public entry of theirs and one scheduled
    two hours ahead: (story, public entry, scheduled entry)."""
    story = make_live_story(authors=[reporter.author], **story)
    posted = {"article": story, "by": reporter, "author": reporter.author}
    public = make_entry(body="The wind is rising.", **posted)
    later = timezone.now() + timedelta(hours=2)
    scheduled = make_entry(body="The evening update is due.", publish_at=later, **posted)
    return story, public, scheduled


def desk_url(story):
    return reverse("admin:live_entry_desk", args=[story.pk])


def edit_url(entry):
    return reverse("admin:live_entry_edit", args=[entry.pk])


def flag_url(entry):
    return reverse("admin:live_entry_flag", args=[entry.pk])


def delete_url(entry):
    return reverse("admin:live_entry_delete", args=[entry.pk])


def history_url(entry):
    return reverse("admin:live_entry_history", args=[entry.pk])


def post_entry(client, story, **fields):
    data = {"body": "Fresh news.", "headline": "", "author": "", "publish_at": ""}
    data.update(fields)
    return client.post(desk_url(story), data)


def edit_data(entry, **fields):
    data = {
        "body": entry.body,
        "headline": entry.headline,
        "author": entry.author_id or "",
        "publish_at": "",
        "image_alt": entry.image_alt,
        "image_caption": entry.image_caption,
        "image_credit": entry.image_credit,
        "correction_note": entry.correction_note,
        "base_version": entry.version,
    }
    if entry.is_key_event:
        data["is_key_event"] = "on"
    data.update(fields)
    return data


def flag(client, entry, name, version=None):
    return client.post(flag_url(entry), {"flag": name, "base_version": version or entry.version})
