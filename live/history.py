"""Entries' history with django-reversion: each save from the desk is a revision naming who
made it and why, and removing an entry records it one last time, with the comment "Deleted",
before it goes: that revision is the removal's audit record, listed on the story's desk."""

import json
from contextlib import contextmanager

import reversion
from reversion.models import Version

DELETED = "Deleted"


def register_models():
    from .models import Entry

    if not reversion.is_registered(Entry):
        reversion.register(Entry)


@contextmanager
def recorded(*, by, comment):
    """Record the entries saved inside the block as one revision by ``by``."""
    with reversion.create_revision(atomic=True):
        reversion.set_user(by)
        reversion.set_comment(comment)
        yield


def record_removal(entry, *, by):
    """The entry as it was when ``by`` removed it: call inside the removal's transaction."""
    with recorded(by=by, comment=DELETED):
        reversion.add_to_revision(entry)


def versions_of(entry):
    return Version.objects.get_for_object(entry).select_related("revision__user")


def _story_of(version):
    return json.loads(version.serialized_data)[0]["fields"]["article"]


def removed_entries(article):
    """The removal records of the story's entries, newest first."""
    from .models import Entry

    deleted = (
        Version.objects.get_deleted(Entry)
        .filter(revision__comment=DELETED)
        .select_related("revision__user")
        .order_by("-revision__date_created")
    )
    return [version for version in deleted if _story_of(version) == article.pk]


def text_of(version):
    """The headline and words an entry had in ``version``."""
    fields = json.loads(version.serialized_data)[0]["fields"]
    return fields.get("headline", ""), fields.get("body_text", "") or fields.get("body", "")
