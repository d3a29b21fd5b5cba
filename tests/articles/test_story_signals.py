"""Every workflow transition (articles/services.py) sends ``story_changed`` once, after its
transaction commits, naming the story and what happened; a rolled-back transition sends nothing."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, PlacementEvent, RelatedTeaser
from articles.services import StoryAction
from articles.signals import story_changed
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_correction, make_teaser


@pytest.fixture
def sent():
    """The ``story_changed`` signals sent during the test, as (article pk, action, by, fields)."""
    calls = []

    def receive(sender, *, article, action, by, fields, **kwargs):
        calls.append((article.pk, action, by, fields))

    story_changed.connect(receive, dispatch_uid="test-story-signals")
    yield calls
    story_changed.disconnect(dispatch_uid="test-story-signals")


def _ready(newsroom, **fields):
    return make_article(
        status=Article.Status.IN_REVIEW,
        publish_at=None,
        section=newsroom.section,
        authors=[newsroom.reporter.author],
        **fields,
    )


def _submit(newsroom):
    story = make_article(status=Article.Status.DRAFT, publish_at=None)
    services.submit_article(article=story, by=newsroom.reporter)
    return story, StoryAction.SUBMITTED


def _back_to_draft(newsroom):
    story = _ready(newsroom)
    services.return_article_to_draft(article=story, by=newsroom.editor)
    return story, StoryAction.RETURNED_TO_DRAFT


def _publish(newsroom):
    story = _ready(newsroom)
    services.publish_article(article=story, by=newsroom.editor)
    return story, StoryAction.PUBLISHED


def _schedule(newsroom):
    story = _ready(newsroom)
    tomorrow = timezone.now() + timedelta(days=1)
    services.schedule_article(article=story, at=tomorrow, by=newsroom.editor)
    return story, StoryAction.SCHEDULED


def _withdraw(newsroom):
    story = make_article()
    services.withdraw_article(article=story, by=newsroom.editor)
    return story, StoryAction.WITHDRAWN


def _save(newsroom):
    story = make_article(status=Article.Status.DRAFT, publish_at=None)
    story.headline = "A better headline"
    services.save_article(article=story, by=newsroom.reporter, fields=["headline"])
    return story, StoryAction.SAVED


def _revert(newsroom):
    story = make_article(slug="old-slug")
    state = {"fields": {"status": Article.Status.PUBLISHED}, "path": story.get_absolute_url()}
    services.revert_article(article_id=story.pk, state=state, by=newsroom.editor)
    return story, StoryAction.REVERTED


def _add_teaser(newsroom):
    story = make_article()
    teaser = RelatedTeaser(article=story, target=make_article())
    services.save_teaser(teaser=teaser, by=newsroom.editor)
    return story, StoryAction.TEASER_ADDED


def _change_teaser(newsroom):
    story = make_article()
    teaser = make_teaser(article=story, target=make_article())
    teaser.ends_at = timezone.now() + timedelta(hours=1)
    services.save_teaser(teaser=teaser, by=newsroom.editor, changed_fields=["ends_at"])
    return story, StoryAction.TEASER_CHANGED


def _block_teaser(newsroom):
    story = make_article()
    teaser = RelatedTeaser(article=story, target=make_article(), is_blocked=True)
    services.save_teaser(teaser=teaser, by=newsroom.editor)
    return story, StoryAction.TEASER_BLOCKED


def _remove_teaser(newsroom):
    story = make_article()
    services.remove_teaser(teaser=make_teaser(article=story, target=make_article()), by=None)
    return story, StoryAction.TEASER_REMOVED


def _add_correction(newsroom):
    story = make_article()
    services.add_correction(article=story, kind="correction", text="Fixed.", by=newsroom.editor)
    return story, StoryAction.CORRECTION_ADDED


def _change_correction(newsroom):
    story = make_article()
    correction = make_correction(article=story, published_at=timezone.now() + timedelta(hours=1))
    correction.text = "Reworded before it is public."
    services.save_correction(correction=correction, by=newsroom.editor, fields=["text"])
    return story, StoryAction.CORRECTION_CHANGED


TRANSITIONS = [
    _submit,
    _back_to_draft,
    _publish,
    _schedule,
    _withdraw,
    _save,
    _revert,
    _add_teaser,
    _change_teaser,
    _block_teaser,
    _remove_teaser,
    _add_correction,
    _change_correction,
]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.__name__.lstrip("_"))
def test_each_transition_sends_its_signal_once_after_commit(
    transition, newsroom, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        story, action = transition(newsroom)
        assert sent == [], "nothing is sent before the transaction commits"
    assert [(pk, name) for pk, name, _by, _fields in sent] == [(story.pk, action)]


class Rollback(Exception):
    pass


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.__name__.lstrip("_"))
def test_a_rolled_back_transition_sends_nothing(
    transition, newsroom, sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        transition(newsroom)
        raise Rollback
    assert sent == []


def test_a_refused_publish_sends_nothing(newsroom, sent, django_capture_on_commit_callbacks):
    story = _ready(newsroom, body="")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.PublishRefused):
        services.publish_article(article=story, by=newsroom.editor)
    assert sent == []


def test_the_signal_names_who_and_which_fields(newsroom, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story, _ = _change_teaser(newsroom)
    assert sent == [(story.pk, StoryAction.TEASER_CHANGED, newsroom.editor, ("ends_at",))]


# The admin's buttons and inlines go through the same services.


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_admin_submit_button_sends_submitted_once(
    client, newsroom, sent, django_capture_on_commit_callbacks
):
    story = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=newsroom.reporter,
        authors=[newsroom.reporter.author],
    )
    client.force_login(newsroom.reporter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(story), article_form_data(story, _submit="1"))
    assert response.status_code == 302
    assert [(pk, action, by) for pk, action, by, _ in sent] == [
        (story.pk, StoryAction.SUBMITTED, newsroom.reporter)
    ]


def test_the_admin_publish_button_sends_saved_then_published(
    client, newsroom, sent, django_capture_on_commit_callbacks
):
    story = _ready(newsroom)
    client.force_login(newsroom.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(story), article_form_data(story, _publish="1"))
    assert response.status_code == 302
    assert [action for _, action, _, _ in sent] == [StoryAction.SAVED, StoryAction.PUBLISHED]


def test_the_teaser_admin_records_and_signals_through_the_services(
    client, newsroom, sent, django_capture_on_commit_callbacks
):
    story, target = make_article(), make_article()
    client.force_login(newsroom.editor)
    add_url = reverse("admin:articles_relatedteaser_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url,
            {"article": story.pk, "target": target.pk, "position": 0, "url": "", "headline": ""},
        )
    assert response.status_code == 302, response.content
    teaser = RelatedTeaser.objects.get(article=story)
    assert [e.action for e in PlacementEvent.objects.filter(placement_pk=teaser.pk)] == ["added"]
    delete_url = reverse("admin:articles_relatedteaser_delete", args=[teaser.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert [(pk, action) for pk, action, _, _ in sent] == [
        (story.pk, StoryAction.TEASER_ADDED),
        (story.pk, StoryAction.TEASER_REMOVED),
    ]
    assert PlacementEvent.objects.filter(placement_pk=teaser.pk, action="removed").exists()


def test_an_admin_revert_sends_reverted_once(
    client, newsroom, sent, django_capture_on_commit_callbacks
):
    story = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        section=newsroom.section,
        body="The mayor said yes.",
        authors=[newsroom.reporter.author],
    )
    client.force_login(newsroom.editor)
    for body in ("The mayor said yes.", "The mayor said no."):
        story.refresh_from_db()
        data = article_form_data(story, body=body, _save_draft="1")
        assert client.post(change_url(story), data).status_code == 302
    first = Version.objects.get_for_object(story).order_by("pk").first()
    revert_url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(revert_url).status_code == 200
    assert sent == [], "the revert form is drawn in a transaction that is rolled back"
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        data = article_form_data(story, body="The mayor said yes.", _save="1")
        assert client.post(revert_url, data).status_code == 302
    assert [(pk, action) for pk, action, _, _ in sent] == [(story.pk, StoryAction.REVERTED)]
