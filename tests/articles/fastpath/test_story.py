"""The story page's prepared questions (articles/fastpath/story.py)."""

from django.utils import timezone

from articles.story_page import story_for_page
from tests.factories import make_article, make_author


def test_the_story_comes_with_its_bylines_and_reading_them_costs_no_query(
    db, django_assert_num_queries
):
    story = make_article(authors=[make_author(name="Ada Quay"), make_author(name="Ben Pier")])
    with django_assert_num_queries(2):  # the story, its bylines
        found = story_for_page(slug=story.slug, at=timezone.now())
    with django_assert_num_queries(0):
        bylines = list(found.bylines.all())
        names = [byline.author.name for byline in bylines]
        assert all(byline.article is found for byline in bylines)
        assert found.bylines.count() == 2
    assert names == ["Ada Quay", "Ben Pier"]
