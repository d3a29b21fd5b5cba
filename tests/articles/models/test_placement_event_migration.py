"""Migration 0014 files the teasers' audit records under the trail teasers and front picks share."""

import pytest

from tests.articles.models.migrating import migrate, migrate_to_latest

BEFORE = [("articles", "0013_hero_focal_point")]
AFTER = [("articles", "0014_placement_event")]


@pytest.mark.django_db(transaction=True)
def test_teaser_records_name_their_teaser_and_host_story():
    old = migrate(BEFORE)
    Article = old.get_model("articles", "Article")
    host = Article.objects.create(headline="Host", slug="host", status="draft")
    record = old.get_model("articles", "TeaserEvent").objects.create(
        article=host, teaser_pk=41, action="added", description="“Ferry” → story #9"
    )

    new = migrate(AFTER)
    moved = new.get_model("articles", "PlacementEvent").objects.get(pk=record.pk)
    assert (moved.placement_type.model, moved.placement_pk) == ("relatedteaser", 41)
    assert (moved.holder_type.model, moved.holder_pk) == ("article", host.pk)
    assert (moved.article_id, moved.action, moved.description) == (
        host.pk,
        "added",
        "“Ferry” → story #9",
    )
    migrate_to_latest()
