"""Each byline and each tag link carries a copy of its story's publish_at, which the author and
tag pages' indexes are built on.

Whatever moves a story in time (publishing, scheduling, rescheduling, bulk actions, a story saved
with ``save_story``, many moved with ``reschedule()``) moves both copies with it, so the author
and tag pages list what the story pages show. A plain ``update()`` or ``bulk_update()`` of
``publish_at`` is refused rather than leave the copies behind.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import FieldError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, TaggedArticle
from articles.services import publish_article, save_story, withdraw_article
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_author

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _noon_without_page_cache(settings, time_machine):
    time_machine.move_to(NOON, tick=False)
    # Each author page is read fresh: what is tested here is its list, not the page cache.
    settings.NEWSROOM_PAGE_CACHE = False


TAGS = ["Harbour", "Ports"]


def tagged_story(**fields):
    return make_article(tags=TAGS, **fields)


def copies(article):
    bylines = Byline.objects.filter(article=article).values_list("publish_at", flat=True)
    links = TaggedArticle.objects.filter(content_object=article).values_list(
        "publish_at", flat=True
    )
    return [*bylines, *links]


def assert_in_step(article):
    article.refresh_from_db()
    assert Byline.objects.filter(article=article).exists(), "the story has bylines"
    assert TaggedArticle.objects.filter(content_object=article).count() == len(TAGS)
    assert copies(article) == [article.publish_at] * len(copies(article))


def author_page_headlines(client, author):
    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    return [story.headline for story in response.context["page"]]


def split(prefix, when):
    local = timezone.localtime(when)
    return {f"{prefix}_0": local.strftime("%Y-%m-%d"), f"{prefix}_1": local.strftime("%H:%M:%S")}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def draft(newsroom):
    return tagged_story(
        headline="Harbour deal",
        status=Article.Status.DRAFT,
        publish_at=None,
        section=newsroom.section,
        authors=[newsroom.reporter.author, make_author(name="Second Writer", bio="Writes.")],
    )


def test_a_draft_has_no_copy_and_is_not_on_the_author_page(client, draft, newsroom):
    assert copies(draft) == [None] * 4
    assert author_page_headlines(client, newsroom.reporter.author) == []


def test_scheduling_rescheduling_and_publishing_in_the_admin_move_the_copy(client, draft, newsroom):
    client.force_login(newsroom.editor)
    tomorrow = NOON + timedelta(days=1)
    for when in (tomorrow, tomorrow + timedelta(hours=3)):
        data = article_form_data(draft, _schedule="1", **split("publish_at", when))
        assert client.post(change_url(draft), data).status_code == 302
        assert_in_step(draft)
        assert draft.publish_at == when
    assert author_page_headlines(client, newsroom.reporter.author) == []

    assert client.post(change_url(draft), article_form_data(draft, _publish="1")).status_code == 302
    assert_in_step(draft)
    assert draft.publish_at == NOON
    assert author_page_headlines(client, newsroom.reporter.author) == ["Harbour deal"]


def test_saving_the_story_with_a_new_time_moves_the_copy(client, newsroom):
    author = newsroom.reporter.author
    older = tagged_story(headline="Older", authors=[author], publish_at=NOON - timedelta(days=2))
    newer = tagged_story(headline="Newer", authors=[author], publish_at=NOON - timedelta(days=1))
    assert author_page_headlines(client, author) == ["Newer", "Older"]

    older.publish_at = NOON - timedelta(hours=1)
    save_story(article=older)

    assert_in_step(older)
    assert_in_step(newer)
    assert author_page_headlines(client, author) == ["Older", "Newer"]


def test_a_save_of_other_fields_leaves_the_copy_alone(newsroom):
    story = tagged_story(authors=[newsroom.reporter.author])
    story.headline = "New headline"
    save_story(article=story, update_fields=["headline"])
    Byline.objects.filter(article=story).update(publish_at=None)
    TaggedArticle.objects.filter(content_object=story).update(publish_at=None)
    save_story(article=story, update_fields=["headline"])
    assert set(copies(story)) == {None}
    save_story(article=story)
    assert_in_step(story)


def test_withdrawn_and_taken_down_stories_keep_their_copy_but_leave_the_author_page(
    client, newsroom
):
    author = newsroom.reporter.author
    withdrawn = tagged_story(headline="Withdrawn", authors=[author])
    taken_down = tagged_story(headline="Taken down", authors=[author])
    tagged_story(headline="Still live", authors=[author])
    assert len(author_page_headlines(client, author)) == 3

    withdraw_article(article=withdrawn)
    taken_down.unpublish_at = taken_down.publish_at + timedelta(minutes=1)
    save_story(article=taken_down)

    assert_in_step(withdrawn)
    assert_in_step(taken_down)
    assert author_page_headlines(client, author) == ["Still live"]


def test_a_byline_added_later_takes_the_story_time(client, newsroom):
    story = tagged_story(headline="Live story", authors=[newsroom.reporter.author])
    latecomer = make_author(name="Late Writer")
    client.force_login(newsroom.editor)

    data = article_form_data(story, new_bylines=[(latecomer, "contributor")], _save="1")
    assert client.post(change_url(story), {**data, "change_kind": "silent"}).status_code == 302
    another = make_author(name="Later Still")
    Byline.objects.create(article=story, author=another, position=5)

    assert_in_step(story)
    assert Byline.objects.filter(article=story).count() == 3
    assert author_page_headlines(client, latecomer) == ["Live story"]
    assert author_page_headlines(client, another) == ["Live story"]


def test_moving_a_byline_to_another_story_takes_that_story_time(newsroom):
    first = tagged_story(authors=[newsroom.reporter.author], publish_at=NOON)
    second = tagged_story(publish_at=NOON + timedelta(hours=1))
    byline = Byline.objects.get(article=first)
    byline.article = second
    byline.save(update_fields=["article"])
    assert_in_step(second)


def test_bulk_publish_action_sets_the_copy(client, newsroom):
    stories = [
        tagged_story(
            headline=f"Ready {n}",
            status=Article.Status.IN_REVIEW,
            publish_at=None,
            section=newsroom.section,
            authors=[newsroom.reporter.author],
        )
        for n in range(2)
    ]
    client.force_login(newsroom.editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk for story in stories]},
    )
    for story in stories:
        assert_in_step(story)
        assert story.publish_at == NOON
    assert len(author_page_headlines(client, newsroom.reporter.author)) == 2


def test_reschedule_moves_the_copy_of_exactly_the_stories_it_changes(newsroom):
    author = newsroom.reporter.author
    early = tagged_story(authors=[author], publish_at=NOON - timedelta(days=3))
    late = tagged_story(authors=[author], publish_at=NOON - timedelta(days=1))

    # The filter no longer matches once the update is done: the bylines are written first.
    Article.objects.filter(publish_at__lt=NOON - timedelta(days=2)).reschedule(publish_at=NOON)
    assert_in_step(early)
    assert early.publish_at == NOON
    assert set(copies(late)) == {NOON - timedelta(days=1)}

    Article.objects.filter(pk=late.pk).reschedule(publish_at=F("publish_at") + timedelta(hours=5))
    assert_in_step(late)
    assert late.publish_at == NOON - timedelta(days=1) + timedelta(hours=5)

    Article.objects.filter(pk=early.pk).reschedule(status=Article.Status.DRAFT, publish_at=None)
    assert set(copies(early)) == {None}


def test_update_and_bulk_update_refuse_publish_at_and_name_reschedule(newsroom):
    story = tagged_story(authors=[newsroom.reporter.author], publish_at=NOON)
    stories = Article.objects.filter(pk=story.pk)
    with pytest.raises(FieldError, match=r"reschedule\(publish_at=\.\.\.\)"):
        stories.update(publish_at=NOON + timedelta(hours=1))
    with pytest.raises(FieldError, match="reschedule"):
        stories.update(status=Article.Status.DRAFT, publish_at=None)
    moved = Article(pk=story.pk, publish_at=NOON + timedelta(hours=2))
    with pytest.raises(FieldError, match="reschedule"):
        Article.objects.bulk_update([moved], ["publish_at"])
    assert_in_step(story)
    assert story.publish_at == NOON
    assert story.status == Article.Status.PUBLISHED

    # Other fields update as ever, and so does reschedule() without a time.
    assert stories.update(headline="Renamed") == 1
    assert stories.reschedule(kicker="Analysis") == 1
    story.headline = "Bulk renamed"
    assert Article.objects.bulk_update([story], ["headline"]) == 1
    assert stories.get().headline == "Bulk renamed"
    assert_in_step(story)


def test_publish_service_and_reschedule_of_times(newsroom):
    story = tagged_story(
        status=Article.Status.IN_REVIEW,
        publish_at=None,
        section=newsroom.section,
        authors=[newsroom.reporter.author],
    )
    publish_article(article=story, at=NOON + timedelta(days=1))
    assert_in_step(story)
    Article.objects.filter(pk=story.pk).reschedule(publish_at=NOON + timedelta(days=2))
    assert_in_step(story)
    assert story.publish_at == NOON + timedelta(days=2)


def test_bulk_created_bylines_get_the_copy(newsroom):
    story = tagged_story(publish_at=NOON)
    Byline.objects.bulk_create([Byline(article=story, author=newsroom.reporter.author)])
    assert_in_step(story)


def tag_page_headlines(client, slug):
    response = client.get(reverse("articles:tag", args=[slug]))
    assert response.status_code == 200
    return [story.headline for story in response.context["page"]]


def test_a_tag_added_later_takes_the_story_time_and_the_tag_page_follows_the_copy(client, db):
    older = tagged_story(headline="Older", publish_at=NOON - timedelta(days=2))
    newer = tagged_story(headline="Newer", publish_at=NOON - timedelta(days=1))
    older.tags.add("Ferries")
    newer.tags.add("Ferries")
    assert {link.publish_at for link in TaggedArticle.objects.filter(tag__slug="ferries")} == {
        older.publish_at,
        newer.publish_at,
    }
    assert tag_page_headlines(client, "ferries") == ["Newer", "Older"]

    older.publish_at = NOON - timedelta(hours=1)
    save_story(article=older)
    assert tag_page_headlines(client, "ferries") == ["Older", "Newer"]
    Article.objects.filter(pk=older.pk).reschedule(publish_at=NOON - timedelta(days=5))
    assert tag_page_headlines(client, "ferries") == ["Newer", "Older"]
