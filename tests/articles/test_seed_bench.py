import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.models import Article, Byline


def seeded_headlines():
    return list(Article.objects.order_by("pk").values_list("headline", flat=True))


def test_seed_is_deterministic_resumable_and_browsable(client, db):
    call_command("seed_bench", articles=40, stdout=None)
    first = seeded_headlines()
    assert len(first) == 40
    assert Article.objects.live().count() >= 30
    assert Byline.objects.count() >= 40
    counts = sorted(
        (tag.taggit_taggeditem_items.count() for tag in Tag.objects.all()), reverse=True
    )
    assert counts[0] >= 5 * max(counts[len(counts) // 2], 1)  # a few tags are everywhere
    with pytest.raises(CommandError):
        call_command("seed_bench", articles=40)
    call_command("seed_bench", articles=40, resume=True)
    assert seeded_headlines() == first
    story = Article.objects.live().newest_first().first()
    for url in ("/", story.get_absolute_url(), story.section.get_absolute_url(), "/tags/topic-0/"):
        assert client.get(url).status_code == 200
