"""Every invariant is kept by the database itself, and model validation reports the same rows."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Byline, RelatedTeaser, Section
from authors.models import Author
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def _refused_by_database(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def _refused_by_validation(instance, field=None):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    if field is not None:
        assert field in caught.value.message_dict
    return caught.value


def _article(**kw):
    kw.setdefault("headline", "A story")
    kw.setdefault("slug", "a-story")
    return Article(**kw)


def test_a_published_story_needs_a_publish_time():
    bad = _article(status=Article.Status.PUBLISHED, publish_at=None)

    _refused_by_database(bad)
    error = _refused_by_validation(bad)
    assert "A published story needs a publication time." in error.messages
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("publish_delta", "unpublish_delta"),
    [
        pytest.param(timedelta(0), timedelta(0), id="same-moment"),
        pytest.param(timedelta(hours=1), timedelta(0), id="before"),
        pytest.param(None, timedelta(hours=1), id="no-publish-time"),
    ],
)
def test_unpublish_at_must_come_after_publish_at(publish_delta, unpublish_delta):
    now = timezone.now()
    bad = _article(
        status=Article.Status.DRAFT,
        publish_at=None if publish_delta is None else now + publish_delta,
        unpublish_at=now + unpublish_delta,
    )

    _refused_by_database(bad)
    error = _refused_by_validation(bad)
    assert "The take-down time must come after the publication time." in error.messages
    assert not Article.objects.exists()


def test_body_length_is_capped_by_the_database(settings):
    cap = settings.NEWSROOM_BODY_MAX_LENGTH
    bad = _article(body="word " * (cap // 5) + "x")

    assert len(bad.body) == cap + 1
    _refused_by_database(bad)
    _refused_by_validation(bad, "body")
    assert not Article.objects.exists()


def test_body_at_the_cap_is_accepted(settings):
    cap = settings.NEWSROOM_BODY_MAX_LENGTH
    good = _article(body="word " * (cap // 5 - 1) + "last!")

    assert len(good.body) == cap
    good.full_clean()
    good.save()
    assert Article.objects.get().body == good.body


def test_article_slug_is_unique():
    make_article(slug="harbour-reopens")
    bad = _article(slug="harbour-reopens")

    _refused_by_database(bad)
    _refused_by_validation(bad, "slug")
    assert Article.objects.count() == 1


def test_section_slug_is_unique():
    make_section(slug="world")
    bad = Section(name="World again", slug="world")

    _refused_by_database(bad)
    _refused_by_validation(bad, "slug")
    assert Section.objects.count() == 1


def test_author_slug_is_unique():
    make_author(slug="ada-reyes")
    bad = Author(name="Another Ada", slug="ada-reyes")

    _refused_by_database(bad)
    _refused_by_validation(bad, "slug")
    assert Author.objects.count() == 1


def test_an_author_has_one_byline_per_story():
    author = make_author()
    article = make_article(authors=[author])
    bad = Byline(article=article, author=author, role=Byline.Role.PHOTOGRAPHER, position=1)

    _refused_by_database(bad)
    _refused_by_validation(bad)
    assert article.bylines.count() == 1


def test_the_same_author_may_write_for_two_stories():
    author = make_author()
    make_article(authors=[author])
    make_article(authors=[author])

    assert author.bylines.count() == 2


@pytest.mark.parametrize(
    "window",
    [
        pytest.param(timedelta(0), id="ends-when-it-starts"),
        pytest.param(-timedelta(hours=1), id="ends-before-it-starts"),
    ],
)
def test_a_teaser_window_ends_after_it_starts(window):
    article, target = make_article(), make_article()
    starts = timezone.now()
    bad = RelatedTeaser(article=article, target=target, starts_at=starts, ends_at=starts + window)

    _refused_by_database(bad)
    # The model's clean() names the field at fault before the constraint is checked.
    error = _refused_by_validation(bad, field="ends_at")
    assert error.message_dict["ends_at"] == ["The window must end after it starts."]
    assert not RelatedTeaser.objects.exists()


@pytest.mark.parametrize("both", [True, False], ids=["target-and-url", "neither"])
def test_a_teaser_has_exactly_one_of_target_and_url(both):
    article = make_article()
    target = make_article() if both else None
    url = "https://example.org/elsewhere" if both else ""
    bad = RelatedTeaser(article=article, target=target, url=url)

    _refused_by_database(bad)
    field, message = (
        ("url", "Link to a story or to an external address, not both.")
        if both
        else ("target", "Pick a story, or give an external address.")
    )
    error = _refused_by_validation(bad, field=field)
    assert error.message_dict[field] == [message]
    assert not RelatedTeaser.objects.exists()


def test_a_teaser_never_targets_its_own_story():
    article = make_article()
    bad = RelatedTeaser(article=article, target=article)

    _refused_by_database(bad)
    error = _refused_by_validation(bad, field="target")
    assert error.message_dict["target"] == ["A story cannot tease itself; pick another story."]
    assert not RelatedTeaser.objects.exists()


@pytest.mark.parametrize("kind", ["target", "url"])
def test_a_well_formed_teaser_is_accepted(kind):
    article = make_article()
    # An external link carries its own headline: there is no story to take one from.
    fields = (
        {"target": make_article()}
        if kind == "target"
        else {"url": "https://example.org/", "headline": "Elsewhere"}
    )
    now = timezone.now()
    good = RelatedTeaser(
        article=article, starts_at=now, ends_at=now + timedelta(seconds=1), **fields
    )

    good.full_clean()
    good.save()
    assert article.teasers.count() == 1


@pytest.mark.parametrize("field", ["hero_focal_x", "hero_focal_y"])
@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_a_focal_point_lies_inside_the_picture(field, value):
    bad = _article(**{field: value})

    _refused_by_database(bad)
    _refused_by_validation(bad, field=field)
    assert not Article.objects.exists()
    good = _article(**{field: 1.0})
    good.full_clean()
    good.save()
