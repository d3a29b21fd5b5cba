"""Every cell of the roles table (issue 3, Build 1), walked with direct POSTs to the admin.

Each cell is a function that tries the action as the logged-in client and says whether it took
effect in the database; the matrix says, per actor, whether it must. Denials must never be a 500
and must leave the data as it was.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Correction, RelatedTeaser, Section
from authors.models import Author
from live.models import Entry
from tests.articles.admin.admin_data import add_inline, article_form_data
from tests.factories import make_article, make_author, make_entry, make_user

ACTORS = ["reporter", "other_reporter", "editor", "anonymous"]


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code < 500
    return response


def own_story(newsroom, *, status=Article.Status.DRAFT, publish_at=None, **kw):
    """A story Rita (the reporter) created and carries the byline of."""
    return make_article(
        status=status,
        publish_at=publish_at,
        section=newsroom.section,
        created_by=newsroom.reporter,
        authors=[newsroom.reporter.author],
        **kw,
    )


# Row 1: create a story, edit own or co-bylined story while draft or in review.


def create_story(client, newsroom):
    data = article_form_data(
        headline="Port strike ends", slug="port-strike-ends", dek="Deal agreed.", _save_draft="1"
    )
    post(client, reverse("admin:articles_article_add"), data)
    return Article.objects.filter(slug="port-strike-ends").exists()


def _edit(client, article, **extra):
    post(client, change_url(article), article_form_data(article, headline="Edited", **extra))
    return Article.objects.get(pk=article.pk).headline == "Edited"


def edit_own_draft(client, newsroom):
    return _edit(client, own_story(newsroom), _save_draft="1")


def edit_own_in_review(client, newsroom):
    return _edit(client, own_story(newsroom, status=Article.Status.IN_REVIEW), _save="1")


def edit_co_bylined_draft(client, newsroom):
    article = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=make_user(is_staff=True),
        authors=[make_author(), newsroom.reporter.author],
    )
    return _edit(client, article, _save_draft="1")


# Row 2: edit other reporters' stories, or any story once scheduled or live.


def edit_other_reporters_draft(client, newsroom):
    article = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=newsroom.other_reporter,
        authors=[newsroom.other_reporter.author],
    )
    if client.session.get("_auth_user_id") == str(newsroom.other_reporter.pk):
        # For Otto this story is his own; hand him Rita's instead so the cell stays "other's".
        article = own_story(newsroom)
    return _edit(client, article, _save_draft="1")


def edit_own_scheduled(client, newsroom):
    article = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="future")
    return _edit(client, article, _save="1")


def edit_own_live(client, newsroom):
    article = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="past")
    return _edit(client, article, _save="1", change_kind="silent")


def edit_own_withdrawn(client, newsroom):
    article = own_story(newsroom, status=Article.Status.WITHDRAWN, publish_at="past")
    return _edit(client, article, _save="1")


# Row 3: publish, schedule, set publish_at / unpublish_at, withdraw (reporters submit only).


def publish_own_draft(client, newsroom):
    article = own_story(newsroom)
    post(client, change_url(article), article_form_data(article, _publish="1"))
    return Article.objects.get(pk=article.pk).is_live()


def schedule_own_draft(client, newsroom):
    article = own_story(newsroom)
    when = timezone.now() + timedelta(days=1)
    data = article_form_data(article, _schedule="1")
    data.update(
        {
            "publish_at_0": timezone.localtime(when).strftime("%Y-%m-%d"),
            "publish_at_1": timezone.localtime(when).strftime("%H:%M:%S"),
        }
    )
    post(client, change_url(article), data)
    return Article.objects.get(pk=article.pk).state == Article.State.SCHEDULED


def set_publishing_times_on_draft(client, newsroom):
    article = own_story(newsroom)
    start = timezone.localtime(timezone.now() + timedelta(days=1))
    end = start + timedelta(days=2)
    data = article_form_data(article, _save_draft="1")
    data.update(
        {
            "publish_at_0": start.strftime("%Y-%m-%d"),
            "publish_at_1": start.strftime("%H:%M:%S"),
            "unpublish_at_0": end.strftime("%Y-%m-%d"),
            "unpublish_at_1": end.strftime("%H:%M:%S"),
        }
    )
    post(client, change_url(article), data)
    article.refresh_from_db()
    return article.publish_at is not None or article.unpublish_at is not None


def withdraw_live(client, newsroom):
    article = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="past")
    post(client, change_url(article), article_form_data(article, _withdraw="1"))
    return Article.objects.get(pk=article.pk).status == Article.Status.WITHDRAWN


def submit_own_draft(client, newsroom):
    article = own_story(newsroom)
    post(client, change_url(article), article_form_data(article, _submit="1"))
    return Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


# Row 4: teasers, corrections, sections, authors' profiles (reporters: own profile only).


def add_teaser_inline(client, newsroom):
    article = own_story(newsroom)
    data = article_form_data(article, _save_draft="1")
    teaser = {"article": article.pk, "position": 0, "url": "https://x.test/", "headline": "Out"}
    add_inline(data, "teasers", teaser)
    post(client, change_url(article), data)
    return RelatedTeaser.objects.filter(article=article).exists()


def add_correction_inline(client, newsroom):
    article = own_story(newsroom)
    data = article_form_data(article, _save_draft="1")
    now = timezone.localtime()
    fields = {"article": article.pk, "kind": "correction", "text": "Fix."}
    fields.update(published_at_0=now.strftime("%Y-%m-%d"), published_at_1=now.strftime("%H:%M:%S"))
    add_inline(data, "corrections", fields)
    post(client, change_url(article), data)
    return Correction.objects.filter(article=article).exists()


def add_teaser_directly(client, newsroom):
    article = own_story(newsroom)
    data = {"article": article.pk, "url": "https://x.test/", "headline": "Out", "position": 0}
    post(client, reverse("admin:articles_relatedteaser_add"), data)
    return RelatedTeaser.objects.filter(article=article).exists()


def add_correction_directly(client, newsroom):
    article = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="past")
    now = timezone.localtime()
    data = {
        "article": article.pk,
        "kind": "correction",
        "text": "Fix.",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
    }
    post(client, reverse("admin:articles_correction_add"), data)
    return Correction.objects.filter(article=article).exists()


def add_section(client, newsroom):
    data = {"name": "Opinion", "slug": "opinion", "position": 3}
    post(client, reverse("admin:articles_section_add"), data)
    return Section.objects.filter(slug="opinion").exists()


def rename_section(client, newsroom):
    section = newsroom.section
    data = {"name": "Globe", "slug": section.slug, "position": 0}
    post(client, reverse("admin:articles_section_change", args=[section.pk]), data)
    return Section.objects.get(pk=section.pk).name == "Globe"


def _author_data(author, **overrides):
    return {
        "name": author.name,
        "slug": author.slug,
        "job_title": author.job_title,
        "bio": author.bio,
        "is_active": "on",
        "email": author.email,
        "website": "",
        "social_links": "",
        "user": author.user_id or "",
        **overrides,
    }


def edit_own_author_profile(client, newsroom):
    author = newsroom.reporter.author
    url = reverse("admin:authors_author_change", args=[author.pk])
    post(client, url, _author_data(author, job_title="Defence correspondent"))
    return Author.objects.get(pk=author.pk).job_title == "Defence correspondent"


def edit_someone_elses_author_profile(client, newsroom):
    author = make_author(name="Wire Desk")
    url = reverse("admin:authors_author_change", args=[author.pk])
    post(client, url, _author_data(author, job_title="Hijacked"))
    return Author.objects.get(pk=author.pk).job_title == "Hijacked"


# Row 5: live coverage: post and edit entries on a live story one carries the byline of; remove
# a published entry, start and end coverage: the desk's.


def _live_story(newsroom):
    """Rita's live story running live coverage, with one public entry of hers."""
    story = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="past", coverage="live")
    return story, make_entry(
        article=story,
        body="The first entry.",
        by=newsroom.reporter,
        author=newsroom.reporter.author,
    )


def post_live_entry(client, newsroom):
    story, _ = _live_story(newsroom)
    url = reverse("admin:live_entry_desk", args=[story.pk])
    post(client, url, {"body": "Posted from the desk.", "author": newsroom.reporter.author.pk})
    return Entry.objects.filter(body="Posted from the desk.").exists()


def edit_live_entry(client, newsroom):
    story, entry = _live_story(newsroom)
    data = {"body": "Edited entry.", "author": entry.author_id or "", "base_version": 1}
    post(client, reverse("admin:live_entry_edit", args=[entry.pk]), data)
    return Entry.objects.get(pk=entry.pk).body == "Edited entry."


def delete_published_live_entry(client, newsroom):
    _, entry = _live_story(newsroom)
    post(client, reverse("admin:live_entry_delete", args=[entry.pk]), {})
    return not Entry.objects.filter(pk=entry.pk).exists()


def end_live_coverage(client, newsroom):
    story, _ = _live_story(newsroom)
    post(client, reverse("admin:live_entry_end", args=[story.pk]), {})
    return Article.objects.get(pk=story.pk).coverage == Article.Coverage.ENDED


# Row 6: users, groups, staff flags: superusers only.


def add_user(client, newsroom):
    data = {"username": "mallory", "password1": "x-Very-long-1", "password2": "x-Very-long-1"}
    post(client, reverse("admin:auth_user_add"), data)
    return get_user_model().objects.filter(username="mallory").exists()


def make_reporter_superuser(client, newsroom):
    user = newsroom.reporter
    data = {
        "username": user.username,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    post(client, reverse("admin:auth_user_change", args=[user.pk]), data)
    return get_user_model().objects.get(pk=user.pk).is_superuser


def add_group(client, newsroom):
    post(client, reverse("admin:auth_group_add"), {"name": "Cabal"})
    return Group.objects.filter(name="Cabal").exists()


YES_ALL = {"reporter": True, "other_reporter": True, "editor": True, "anonymous": False}
OWNER_AND_EDITOR = {"reporter": True, "other_reporter": False, "editor": True, "anonymous": False}
EDITOR_ONLY = {"reporter": False, "other_reporter": False, "editor": True, "anonymous": False}
NOBODY = {"reporter": False, "other_reporter": False, "editor": False, "anonymous": False}

MATRIX = [
    (create_story, YES_ALL),
    (edit_own_draft, OWNER_AND_EDITOR),
    (edit_own_in_review, OWNER_AND_EDITOR),
    (edit_co_bylined_draft, OWNER_AND_EDITOR),
    (edit_other_reporters_draft, EDITOR_ONLY),
    (edit_own_scheduled, EDITOR_ONLY),
    (edit_own_live, EDITOR_ONLY),
    (edit_own_withdrawn, EDITOR_ONLY),
    (publish_own_draft, EDITOR_ONLY),
    (schedule_own_draft, EDITOR_ONLY),
    (set_publishing_times_on_draft, EDITOR_ONLY),
    (withdraw_live, EDITOR_ONLY),
    (submit_own_draft, OWNER_AND_EDITOR),
    (add_teaser_inline, EDITOR_ONLY),
    (add_correction_inline, EDITOR_ONLY),
    (add_teaser_directly, EDITOR_ONLY),
    (add_correction_directly, EDITOR_ONLY),
    (add_section, EDITOR_ONLY),
    (rename_section, EDITOR_ONLY),
    (edit_own_author_profile, OWNER_AND_EDITOR),
    (edit_someone_elses_author_profile, EDITOR_ONLY),
    (post_live_entry, OWNER_AND_EDITOR),
    (edit_live_entry, OWNER_AND_EDITOR),
    (delete_published_live_entry, EDITOR_ONLY),
    (end_live_coverage, EDITOR_ONLY),
    (add_user, NOBODY),
    (make_reporter_superuser, NOBODY),
    (add_group, NOBODY),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("cell", "allowed"), MATRIX, ids=[cell.__name__ for cell, _ in MATRIX])
def test_permission_matrix(client, newsroom, actor, cell, allowed):
    # Some stories pass through the checklist: Rita's author profile has a bio by default.
    if actor != "anonymous":
        client.force_login(getattr(newsroom, actor))
    assert cell(client, newsroom) is allowed[actor]


def test_superuser_administers_users_and_groups(client, newsroom):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert add_user(client, newsroom)
    assert add_group(client, newsroom)


def test_anonymous_admin_posts_redirect_to_login(client, newsroom):
    article = own_story(newsroom)
    response = client.post(change_url(article), article_form_data(article, headline="X"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_denied_edit_is_404_for_other_reporter_and_403_for_owner_of_live_story(client, newsroom):
    draft = own_story(newsroom)
    live = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="past")
    client.force_login(newsroom.other_reporter)
    assert client.post(change_url(draft), article_form_data(draft)).status_code == 404
    client.force_login(newsroom.reporter)
    response = client.post(change_url(live), article_form_data(live, change_kind="silent"))
    assert response.status_code == 403


def test_reporter_refused_publish_gets_a_reason_and_nothing_is_saved(client, newsroom):
    article = own_story(newsroom)
    client.force_login(newsroom.reporter)
    response = client.post(
        change_url(article), article_form_data(article, headline="Changed", _publish="1")
    )
    assert response.status_code == 200
    assert "Only editors can publish" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline, article.status) != ("Changed", Article.Status.PUBLISHED)
    assert article.status == Article.Status.DRAFT


def test_hidden_and_non_form_fields_are_ignored(client, newsroom):
    """status, created_by, version, body_html, first_published_at cannot be set by POST."""
    article = own_story(newsroom)
    client.force_login(newsroom.reporter)
    data = article_form_data(
        article,
        _save_draft="1",
        status="published",
        created_by=newsroom.other_reporter.pk,
        version=99,
        body_html="<script>alert(1)</script>",
        first_published_at_0="2020-01-01",
        first_published_at_1="10:00:00",
        is_featured="on",
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.created_by == newsroom.reporter
    assert article.version == 2
    assert "<script>" not in article.body_html
    assert article.first_published_at is None
    assert article.is_featured is False


def test_editor_cannot_set_status_through_a_crafted_field_either(client, newsroom):
    article = own_story(newsroom)
    client.force_login(newsroom.editor)
    data = article_form_data(article, _save_draft="1", status="published")
    assert client.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_inline_forms_cannot_reach_another_story(client, newsroom):
    """Tampered inline ids and parent keys are refused; the other story's byline is untouched."""
    mine = own_story(newsroom)
    theirs = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=newsroom.other_reporter,
        authors=[newsroom.other_reporter.author],
    )
    their_byline = theirs.bylines.get()
    client.force_login(newsroom.reporter)
    data = article_form_data(mine, _save_draft="1")
    data["bylines-0-id"] = their_byline.pk
    data["bylines-0-role"] = "photographer"
    assert client.post(change_url(mine), data).status_code < 500
    assert Byline.objects.get(pk=their_byline.pk).role == "reporter"
    assert Byline.objects.get(pk=their_byline.pk).article == theirs

    data = article_form_data(mine, _save_draft="1")
    add_inline(
        data,
        "bylines",
        {"article": theirs.pk, "position": 1, "author": make_author().pk, "role": "editor"},
    )
    assert client.post(change_url(mine), data).status_code < 500
    assert theirs.bylines.count() == 1


def test_reporter_cannot_delete_a_byline_through_a_story_they_may_not_edit(client, newsroom):
    live = own_story(newsroom, status=Article.Status.PUBLISHED, publish_at="past")
    client.force_login(newsroom.reporter)
    data = article_form_data(live, change_kind="silent")
    data["bylines-0-DELETE"] = "on"
    assert client.post(change_url(live), data).status_code == 403
    assert live.bylines.count() == 1


def test_reporter_cannot_relink_their_author_profile_to_another_login(client, newsroom):
    author = newsroom.reporter.author
    client.force_login(newsroom.reporter)
    url = reverse("admin:authors_author_change", args=[author.pk])
    post(client, url, _author_data(author, user=newsroom.editor.pk, is_active=""))
    author.refresh_from_db()
    assert author.user == newsroom.reporter
    assert author.is_active


def test_bulk_actions_check_the_same_rules(client, newsroom):
    mine = own_story(newsroom)
    client.force_login(newsroom.reporter)
    changelist = reverse("admin:articles_article_changelist")
    response = client.post(
        changelist, {"action": "publish_now", "_selected_action": [mine.pk]}, follow=True
    )
    assert response.status_code == 200
    assert Article.objects.get(pk=mine.pk).status == Article.Status.DRAFT
    theirs = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.post(
        changelist, {"action": "submit_for_review", "_selected_action": [mine.pk, theirs.pk]}
    )
    assert Article.objects.get(pk=mine.pk).status == Article.Status.IN_REVIEW
    assert Article.objects.get(pk=theirs.pk).status == Article.Status.DRAFT


# A draft's public URL, preview URL and history URL: never the content for the wrong people.

DRAFT_VIEWERS = {"reporter": True, "other_reporter": False, "editor": True, "anonymous": False}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("where", ["public", "preview", "history", "change"])
def test_draft_urls_show_content_only_to_those_allowed(client, newsroom, actor, where):
    article = own_story(newsroom, headline="Secret merger talks", body="Unannounced.")
    client.force_login(newsroom.editor)  # give the story a history entry
    client.post(change_url(article), article_form_data(article, _save_draft="1"))
    client.logout()
    if actor != "anonymous":
        client.force_login(getattr(newsroom, actor))
    url = {
        "public": article.get_absolute_url(),
        "preview": reverse("admin:articles_article_preview", args=[article.pk]),
        "history": reverse("admin:articles_article_history", args=[article.pk]),
        "change": change_url(article),
    }[where]
    response = client.get(url)
    if DRAFT_VIEWERS[actor]:
        assert response.status_code == 200
        assert b"Secret merger talks" in response.content
    else:
        assert b"Secret merger talks" not in response.content
        if actor == "anonymous" and where != "public":
            assert response.status_code == 302
            assert reverse("admin:login") in response["Location"]
        else:
            assert response.status_code == 404


def test_recovering_deleted_stories_is_for_editors_only(client, newsroom):
    client.force_login(newsroom.reporter)
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert client.get(reverse("admin:articles_article_recover", args=[1])).status_code == 403
    client.force_login(newsroom.editor)
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 200
