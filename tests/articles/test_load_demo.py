import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image
from taggit.models import Tag

from articles.management import demo_content as demo
from articles.models import (
    Article,
    Byline,
    Correction,
    PlacementEvent,
    RelatedTeaser,
    Section,
    TaggedArticle,
)
from authors.models import Author
from fronts.models import Front, Pick, Zone
from live.models import Entry

pytestmark = pytest.mark.django_db

PASSWORD_LINE = re.compile(r'Created login "(\w+)".*shown only this once: ([\w-]+)')


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The command hashes two real passwords per run; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _small_heroes(monkeypatch):
    # Full-size heroes are most of a run's cost; test_pictures_are_drawn_at_full_size keeps them.
    monkeypatch.setattr(demo, "HERO_SIZE", (160, 90))


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def database_state():
    """Every row the command writes, in a comparable form."""

    def rows(queryset, *fields):
        return list(queryset.order_by("pk").values_list("pk", *fields))

    return {
        "sections": rows(Section.objects, "slug", "name", "description", "position"),
        "authors": rows(
            Author.objects, "slug", "bio_html", "photo", "photo_renditions", "social_links", "user"
        ),
        "articles": rows(
            Article.objects,
            "slug",
            "status",
            "publish_at",
            "first_published_at",
            "body_html",
            "hero_image",
            "hero_renditions",
            "is_featured",
            "coverage",
            "coverage_started_at",
            "entry_times",
        ),
        "bylines": rows(Byline.objects, "article", "author", "role", "position", "bio_snapshot"),
        "tags": rows(Tag.objects, "name", "slug"),
        "tagged": rows(TaggedArticle.objects, "content_object", "tag", "publish_at"),
        "teasers": rows(
            RelatedTeaser.objects, "article", "target", "url", "headline", "starts_at", "ends_at"
        ),
        "corrections": rows(Correction.objects, "article", "kind", "text", "published_at"),
        "fronts": rows(Front.objects, "kind", "section", "version", "changed_at"),
        "zones": rows(
            Zone.objects, "front", "position", "heading", "layout", "size", "backfill", "featured"
        ),
        "picks": rows(
            Pick.objects, "zone", "position", "target", "headline", "kind", "starts_at", "ends_at"
        ),
        "placement events": rows(PlacementEvent.objects, "placement_pk", "action", "at"),
        "entries": rows(
            Entry.objects,
            "article",
            "author",
            "headline",
            "body_html",
            "is_key_event",
            "is_pinned",
            "publish_at",
            "version",
        ),
        "users": rows(get_user_model().objects, "username", "password", "is_staff"),
    }


def media_files(settings):
    return sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


def test_second_run_later_changes_nothing(settings, time_machine):
    load_demo()
    before, files_before = database_state(), media_files(settings)
    time_machine.move_to(timezone.now() + timedelta(hours=6))

    load_demo()

    assert database_state() == before
    assert media_files(settings) == files_before
    assert len(before["articles"]) >= 17
    # On disk: each original picture plus the renditions recorded for it (its cuts' too), and
    # nothing else.
    pictures = [(a.hero_image, a.hero_renditions) for a in Article.objects.all()] + [
        (a.photo, a.photo_renditions) for a in Author.objects.all()
    ]
    assert len(pictures) == len(before["articles"]) + len(before["authors"])
    expected = set()
    for original, renditions in pictures:
        assert renditions["source"] == original.name
        assert renditions["webp"] and renditions["jpeg"]
        for described in (renditions, *renditions.get("shapes", {}).values()):
            expected |= {r["name"] for r in described["webp"] + described["jpeg"]}
        expected.add(original.name)
    # Each story's picture is cut to every shape too.
    assert all(
        sorted(a.hero_renditions["shapes"]) == ["landscape", "square", "wide"]
        for a in Article.objects.all()
    )
    assert [p.relative_to(settings.MEDIA_ROOT).as_posix() for p in files_before] == sorted(expected)


def test_a_missing_picture_is_drawn_again(settings):
    load_demo()
    article = Article.objects.get(slug="central-bank-holds-rates")
    article.hero_image.storage.delete(article.hero_image.name)

    load_demo()

    assert article.hero_image.storage.exists(article.hero_image.name)


def test_pictures_are_drawn_at_full_size_with_dimensions_stored(monkeypatch):
    monkeypatch.undo()  # the real hero size, not the small one the other tests draw
    load_demo()
    assert set(Article.objects.values_list("hero_width", "hero_height")) == {(1600, 900)}
    assert set(Author.objects.values_list("photo_width", "photo_height")) == {(400, 400)}
    article = Article.objects.live().first()
    with Image.open(article.hero_image.path) as hero:
        assert hero.format == "JPEG"
    with Image.open(Author.objects.first().photo.path) as photo:
        assert photo.format == "PNG"


def test_home_page_links_to_at_least_ten_live_stories(client):
    load_demo()
    live = Article.objects.live()
    assert live.count() >= 12
    assert live.filter(is_featured=True).exists()

    html = client.get(reverse("articles:home")).content.decode()

    linked = {a.slug for a in live if f'href="{a.get_absolute_url()}"' in html}
    assert len(linked) >= 10


def test_published_bylines_carry_a_bio_snapshot():
    load_demo()
    live_bylines = Byline.objects.filter(article__in=Article.objects.live())
    assert live_bylines.count() >= 14
    assert not live_bylines.filter(bio_snapshot="").exists()


def test_unpublished_stories_appear_on_no_public_page(client):
    load_demo()
    now = timezone.now()
    hidden = list(
        Article.objects.exclude(pk__in=Article.objects.live(now))
        .select_related("section")
        .prefetch_related("tags", "bylines__author")
    )
    assert Article.objects.scheduled(now).count() == 1
    assert sorted(a.status for a in hidden) == ["draft", "in_review", "published"]

    pages = {reverse("articles:home")}
    for article in hidden:
        pages.add(article.section.get_absolute_url())
        pages.update(reverse("articles:tag", args=[tag.slug]) for tag in article.tags.all())
        pages.update(byline.author.get_absolute_url() for byline in article.bylines.all())
    # Live stories whose teaser strip points at a hidden story.
    teasing = RelatedTeaser.objects.filter(target__in=hidden).select_related("article")
    assert teasing.exists()
    pages.update(teaser.article.get_absolute_url() for teaser in teasing)

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for article in hidden:
            assert article.slug not in html, (page, article.slug)
            assert escape(article.headline) not in html, (page, article.slug)
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_story_page_shows_teasers_overrides_and_correction(client):
    load_demo()
    lead = Article.objects.get(slug="port-halvard-dockworkers-walk-out")
    external = lead.teasers.get(target__isnull=True)
    overridden = lead.teasers.exclude(headline="").get(target__isnull=False)

    html = client.get(lead.get_absolute_url()).content.decode()

    assert f'href="{external.url}"' in html
    assert escape(overridden.headline) in html
    assert escape(overridden.target.headline) not in html
    corrected = Correction.objects.get().article
    html = client.get(corrected.get_absolute_url()).content.decode()
    assert escape(Correction.objects.get().text) in html


def test_social_post_is_quoted_with_its_source(client):
    load_demo()
    article = Article.objects.live().get(body__contains="<blockquote cite=")

    html = client.get(article.get_absolute_url()).content.decode()

    assert re.search(r'<blockquote cite="https://social\.example/[^"]+">', html)
    assert re.search(r"<figcaption>— @\w+ on Social, <a href=\"https://social\.example/", html)


def test_passwords_are_printed_on_the_first_run_only():
    first = load_demo()
    passwords = dict(PASSWORD_LINE.findall(first))
    assert set(passwords) == {"reporter", "editor"}
    User = get_user_model()
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)

    second = load_demo()

    assert "shown only this once" not in second
    for username, password in passwords.items():
        assert password not in second
        assert f'Login "{username}" already exists' in second
        assert User.objects.get(username=username).check_password(password)


def test_logins_are_staff_in_their_group_and_linked_to_an_author():
    load_demo()
    for username, group in [("reporter", "Reporter"), ("editor", "Editor")]:
        user = get_user_model().objects.get(username=username)
        assert user.is_staff
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert Author.objects.get(user=user).bylines.exists()


def test_missing_group_is_a_clear_error_that_writes_nothing():
    Group.objects.filter(name="Editor").delete()

    with pytest.raises(CommandError, match="Editor"):
        load_demo()

    assert not Article.objects.exists()
    assert not get_user_model().objects.exists()


LEAD = re.compile(r'teaser__headline--lead"><a href="([^"]+)"')


def test_the_home_front_is_curated_and_a_banner_runs_for_a_few_hours(client, time_machine):
    load_demo()
    home, banner = Front.objects.get(kind="home"), Front.objects.get(kind="banner")
    picks = Pick.objects.filter(zone__front__in=[home, banner]).select_related("target")
    # Each pick went through the fronts' services: its addition is in the audit trail.
    assert {event.placement_pk for event in PlacementEvent.on(home)} | {
        event.placement_pk for event in PlacementEvent.on(banner)
    } == {pick.pk for pick in picks}
    later = picks.get(starts_at__isnull=False)

    html = client.get(reverse("articles:home")).content.decode()

    lead = Article.objects.get(slug="vessany-basin-drought-third-year")
    assert LEAD.search(html)[1] == lead.get_absolute_url()
    for heading in ("more-on-the-climate", "business", "more-news"):
        assert f'<h2 id="{heading}-heading"' in html
    # The zones filled by their rules: the climate zone from the tag, Business from its section.
    climate = html[
        html.index('id="more-on-the-climate-heading"') : html.index('id="business-heading"')
    ]
    assert escape(Article.objects.get(slug="outer-islands-ferry-resumes").headline) in climate
    assert "breaking-news__label" in html and ">Breaking<" in html
    assert escape(later.headline) not in html

    time_machine.move_to(later.starts_at + timedelta(minutes=1))
    html = client.get(reverse("articles:home")).content.decode()
    assert escape(later.headline) in html
    story_page = client.get(lead.get_absolute_url()).content.decode()
    assert "breaking-news__label" in story_page

    time_machine.move_to(picks.get(kind="breaking").ends_at + timedelta(minutes=1))
    assert "breaking-news__label" not in client.get(reverse("articles:home")).content.decode()


def test_the_api_tells_the_desk_s_picks_from_the_backfill(client):
    load_demo()
    zones = client.get(reverse("fronts_api:front", args=["home"])).json()["zones"]
    assert [zone["heading"] for zone in zones] == [
        "Top stories",
        "More on the climate",
        "Business",
        "More news",
    ]
    sources = [item["source"] for item in zones[0]["items"]]
    assert sources == ["pick", "backfill", "backfill"]
    assert len([item for zone in zones for item in zone["items"]]) >= 10
