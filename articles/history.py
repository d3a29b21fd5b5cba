"""Story history with django-reversion: what is recorded, and a readable diff of two versions.

A revert brings back the words, bylines and teasers of an earlier version, never its workflow
state (``WORKFLOW_FIELDS``): reverting cannot publish, unpublish, reschedule or re-own a story
behind the desk's back, and the edit-conflict version number keeps counting up. Nor may it remove
or reword a public correction, and only the desk may revert to a version whose teasers or
corrections differ from the story's own.
"""

import difflib
import json

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers

WORKFLOW_FIELDS = [
    "status",
    "publish_at",
    "unpublish_at",
    "first_published_at",
    "updated_at",
    "update_note",
    "version",
    "modified_by_id",
    "created_by_id",
]
DIFF_FIELDS = [
    ("headline", "Headline"),
    ("kicker", "Kicker"),
    ("slug", "Slug"),
    ("dek", "Dek"),
    ("body", "Body"),
    ("hero_alt", "Hero alt text"),
    ("hero_caption", "Hero caption"),
    ("hero_credit", "Hero credit"),
    ("seo_title", "SEO title"),
    ("seo_description", "SEO description"),
]


def register_models():
    from .models import Article, Byline, Correction, RelatedTeaser

    for model in (Byline, RelatedTeaser, Correction):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        reversion.register(Article, follow=["bylines", "teasers", "corrections"])


def _byline_text(version):
    from authors.models import Author

    from .models import Byline

    content_type = ContentType.objects.get_for_model(Byline)
    rows = [v.field_dict for v in version.revision.version_set.filter(content_type=content_type)]
    names = dict(
        Author.objects.filter(pk__in=[row["author_id"] for row in rows]).values_list("pk", "name")
    )
    rows.sort(key=lambda row: (row["position"], row["id"]))
    return "\n".join(f"{names.get(row['author_id'], '?')} ({row['role']})" for row in rows)


def _line_diff(old, new):
    """(kind, text) rows: kind is "same", "removed" or "added". Templates escape the text."""
    kinds = {"  ": "same", "- ": "removed", "+ ": "added"}
    rows = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        kind = kinds.get(line[:2])
        if kind:  # "? " lines are ndiff's intraline hints
            rows.append((kind, line[2:]))
    return rows


def diff_versions(old, new):
    """The changed text fields between two versions of a story, line by line."""
    changes = []
    pairs = [
        (label, old.field_dict.get(name), new.field_dict.get(name)) for name, label in DIFF_FIELDS
    ]
    pairs.append(("Bylines", _byline_text(old), _byline_text(new)))
    for label, before, after in pairs:
        if (before or "") != (after or ""):
            changes.append({"label": label, "rows": _line_diff(before, after)})
    return changes


def _rows(serialized):
    return {row["pk"]: row["fields"] for row in json.loads(serialized)}


def rows_changed_by_revert(version, article, model):
    """Ids of the ``model`` rows of the story (teasers, corrections) that a revert to ``version``
    would add, change or remove: reversion brings back the whole revision, followed rows too.

    Both sides are compared as reversion stores them (JSON, times to the millisecond).
    """
    content_type = ContentType.objects.get_for_model(model)
    before = {}
    stored = version.revision.version_set.filter(content_type=content_type)
    for serialized in stored.values_list("serialized_data", flat=True):
        before.update(_rows(serialized))
    now = _rows(serializers.serialize("json", model.objects.filter(article=article)))
    return {pk for pk in before.keys() | now.keys() if before.get(pk) != now.get(pk)}


def followed_models_changed_by(version, article):
    """The models besides the story and its bylines whose rows a revert would touch."""
    from .models import Correction, RelatedTeaser

    return [
        model
        for model in (RelatedTeaser, Correction)
        if rows_changed_by_revert(version, article, model)
    ]


def public_corrections_changed_by(version, article):
    """Public corrections a revert to ``version`` would delete or alter (append-only)."""
    from .models import Correction

    touched = rows_changed_by_revert(version, article, Correction)
    return [c for c in article.corrections.all() if c.is_public() and c.pk in touched]


def workflow_state(article):
    """What a revert must leave as it is, taken before reversion writes the old version
    (``services.revert_article`` puts it back)."""
    return {
        "fields": {name: getattr(article, name) for name in WORKFLOW_FIELDS},
        "path": article.get_absolute_url() if article.is_live() else None,
    }
