"""Migration 0009 moves stories' tag links out of taggit's shared table, each with its story's time."""

from datetime import UTC, datetime

import pytest

from tests.articles.models.migrating import migrate, migrate_to_latest

BEFORE = [("articles", "0008_byline_publish_at")]
AFTER = [("articles", "0009_tagged_article")]
MOMENT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_links_move_with_the_story_time_and_move_back():
    old = migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Article = old.get_model("articles", "Article")
    Tag = old.get_model("taggit", "Tag")
    TaggedItem = old.get_model("taggit", "TaggedItem")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    other_type, _ = ContentType.objects.get_or_create(app_label="authors", model="author")
    story = Article.objects.create(
        headline="Harbour", slug="harbour", status="published", publish_at=MOMENT
    )
    draft = Article.objects.create(headline="Draft", slug="draft", status="draft")
    ports, ferries = (
        Tag.objects.create(name="Ports", slug="ports"),
        Tag.objects.create(name="Ferries", slug="ferries"),
    )
    for article, tag in ((story, ports), (story, ferries), (draft, ports)):
        TaggedItem.objects.create(content_type=article_type, object_id=article.pk, tag=tag)
    # A link of another kind of object stays in taggit's table.
    TaggedItem.objects.create(content_type=other_type, object_id=1, tag=ports)

    new = migrate(AFTER)
    links = new.get_model("articles", "TaggedArticle").objects
    assert sorted(links.values_list("content_object__slug", "tag__slug", "publish_at")) == [
        ("draft", "ports", None),
        ("harbour", "ferries", MOMENT),
        ("harbour", "ports", MOMENT),
    ]
    left = new.get_model("taggit", "TaggedItem").objects.values_list(
        "content_type__model", flat=True
    )
    assert list(left) == ["author"]

    back = migrate(BEFORE)
    moved_back = back.get_model("taggit", "TaggedItem").objects.filter(content_type=article_type.pk)
    assert sorted(moved_back.values_list("object_id", "tag__slug")) == sorted(
        [(story.pk, "ports"), (story.pk, "ferries"), (draft.pk, "ports")]
    )
    migrate_to_latest()
