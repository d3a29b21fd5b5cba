"""``Article.save`` fills the story's own row; ``save_story`` adds what follows it elsewhere.

The copies of ``publish_at`` and the remembered old addresses have their own tests
(``test_publish_at_copies.py``, ``test_redirects.py``); these pin down who writes what.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.models import Article, ArticleRedirect, Byline, TaggedArticle
from articles.services import save_story
from tests.factories import make_article, make_author, make_image

OTHER_TABLES = {model._meta.db_table for model in (Byline, TaggedArticle, ArticleRedirect)}


def moved_story():
    """A live story with bylines and tags, then given a new time and a new slug (unsaved)."""
    story = make_article(slug="harbour", tags=["Harbour"], authors=[make_author()])
    old = (story.publish_at, story.get_absolute_url())
    story.publish_at -= timedelta(days=2)
    story.slug = "harbour-deal"
    return story, old


def copies(story):
    return {
        *Byline.objects.filter(article=story).values_list("publish_at", flat=True),
        *TaggedArticle.objects.filter(content_object=story).values_list("publish_at", flat=True),
    }


def test_a_bare_save_writes_only_the_story_row(db):
    story, (old_time, _) = moved_story()
    story.hero_image = make_image()
    with CaptureQueriesContext(connection) as queries:
        story.save()
    touched = [q["sql"] for q in queries if any(table in q["sql"] for table in OTHER_TABLES)]
    assert touched == []
    assert any(
        q["sql"].startswith("UPDATE") and Article._meta.db_table in q["sql"] for q in queries
    )
    # Its own row is filled, the picture's renditions included.
    story.refresh_from_db()
    assert story.slug == "harbour-deal"
    assert story.hero_renditions
    # What follows the row elsewhere is left to save_story.
    assert copies(story) == {old_time}
    assert not ArticleRedirect.objects.exists()


def test_save_story_puts_the_copies_in_step_and_remembers_the_old_address(db):
    story, (_, old_path) = moved_story()
    save_story(article=story)
    assert copies(story) == {story.publish_at}
    assert list(ArticleRedirect.objects.values_list("old_path", "article")) == [
        (old_path, story.pk)
    ]


def test_save_story_adds_no_savepoint_inside_a_transaction(db):
    # Moved in time only: no old address to remember (ArticleRedirect.remember has its own).
    story = make_article(tags=["Harbour"], authors=[make_author()])
    story.publish_at -= timedelta(days=2)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        save_story(article=story)
    assert copies(story) == {story.publish_at}
    assert not [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()]


@pytest.mark.django_db(transaction=True)
def test_save_story_on_its_own_is_one_transaction(monkeypatch):
    story, (old_time, _) = moved_story()

    def fail(article):
        raise RuntimeError("the copies could not be written")

    monkeypatch.setattr(services, "_copies_in_step", fail)
    with pytest.raises(RuntimeError):
        save_story(article=story)
    story.refresh_from_db()
    assert (story.slug, story.publish_at) == ("harbour", old_time)
