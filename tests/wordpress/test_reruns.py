"""Importing again: the same file changes nothing, a changed post updates, --resume skips what
is done, --dry-run writes nothing and reports the same."""

import json

import pytest
from django.apps import apps
from django.core import serializers

from articles.models import Article, ArticleRedirect
from wordpress.models import ImportedPost

from .conftest import put_upload, story
from .wxr_files import Export, Post, attachment, guest_author

pytestmark = pytest.mark.django_db

AUTHORS = [("jane", "Jane Doe", "jane@old.example", "Bio."), ("bob", "Bob Roe", "", "")]
CATEGORIES = [(3, "news", "", "News"), (5, "sport", "", "Sport")]


def site(*items):
    return Export(
        authors=AUTHORS, categories=CATEGORIES, tags=[(7, "budget", "Budget")], items=list(items)
    )


def posts():
    return [
        guest_author(40, "sam", "Sam Guest"),
        Post(
            1,
            title="First",
            slug="first",
            terms=[("category", "news", "News"), ("post_tag", "budget", "Budget")],
            meta={"_thumbnail_id": "30"},
        ),
        attachment(30, "2020/05/lead.jpg", parent=1, alt="Lead"),
        Post(
            2,
            title="Second",
            slug="second",
            status="draft",
            terms=[("author", "cap-sam", "sam"), ("author", "cap-jane", "jane")],
        ),
        Post(3, title="Third", slug="third", content='<p>Body [gallery ids="30"]</p>'),
    ]


def snapshot():
    """Every row of the project's own apps, as data (ids, times and all)."""
    rows = {}
    for label in ("articles", "authors", "wordpress", "taggit"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = json.loads(
                serializers.serialize("json", model._default_manager.order_by("pk"))
            )
    return rows


def test_importing_twice_yields_the_same_database(run_import, uploads):
    put_upload(uploads, "2020/05/lead.jpg")
    run_import(site(*posts()), "--uploads", str(uploads))
    before = snapshot()
    output = run_import(site(*posts()), "--uploads", str(uploads))
    assert snapshot() == before
    assert "posts unchanged: 3" in output
    assert "posts created" not in output


def test_a_changed_post_updates_its_story(run_import):
    run_import(site(*posts()))
    first = story(1)
    old_url = first.get_absolute_url()
    changed = posts()
    changed[1] = Post(
        1,
        title="First, corrected",
        slug="first-corrected",
        content="<p>New words.</p>",
        terms=[("category", "sport", "Sport")],
        creator="bob",
    )
    output = run_import(site(*changed))
    assert "posts updated: 1" in output and "posts unchanged: 2" in output
    updated = story(1)
    assert updated.pk == first.pk
    assert updated.headline == "First, corrected"
    assert updated.slug == "first-corrected"
    assert "New words." in updated.body_html
    assert updated.section.slug == "sport"
    assert [b.author.slug for b in updated.bylines.all()] == ["bob"]
    assert [t.name for t in updated.tags.all()] == []
    assert Article.objects.count() == 3
    # The address it had under the first import still answers.
    assert ArticleRedirect.objects.get(old_path=old_url).article == updated


def test_a_draft_published_on_the_second_run(run_import, client):
    run_import(site(Post(2, slug="second", status="draft")))
    assert client.get("/?p=2").status_code == 200
    run_import(site(Post(2, slug="second", status="publish")))
    assert story(2).is_live()
    response = client.get("/?p=2")
    assert response.status_code == 301 and response["Location"] == story(2).get_absolute_url()


def test_resume_skips_what_was_imported(run_import):
    run_import(site(*posts()[:2]))
    changed = [posts()[0], Post(1, title="Changed meanwhile", slug="first"), *posts()[2:]]
    output = run_import(site(*changed), "--resume")
    assert "posts already imported: 1" in output
    assert story(1).headline == "First"
    assert ImportedPost.objects.count() == 3


def test_a_post_that_fails_loses_only_itself(run_import, monkeypatch):
    from wordpress import importer

    original = importer.Importer._write_story

    def failing(self, item, story_values, digest, known):
        if item.post_id == 2:
            original(self, item, story_values, digest, known)
            raise RuntimeError("interrupted")
        return original(self, item, story_values, digest, known)

    monkeypatch.setattr(importer.Importer, "_write_story", failing)
    with pytest.raises(RuntimeError):
        run_import(site(*posts()))
    # The story before it is in; the one in progress left nothing behind.
    assert list(ImportedPost.objects.values_list("wp_id", flat=True)) == [1]
    assert Article.objects.count() == 1
    monkeypatch.setattr(importer.Importer, "_write_story", original)
    output = run_import(site(*posts()), "--resume")
    assert "posts already imported: 1" in output and "posts created: 2" in output


def test_dry_run_writes_nothing_and_reports_the_same(run_import, uploads, tmp_path, settings):
    put_upload(uploads, "2020/05/lead.jpg")
    before = snapshot()
    dry = tmp_path / "dry.json"
    real = tmp_path / "real.json"
    output = run_import(
        site(*posts()), "--uploads", str(uploads), "--dry-run", "--report", str(dry)
    )
    assert "Dry run: nothing was written." in output
    assert snapshot() == before
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    run_import(site(*posts()), "--uploads", str(uploads), "--report", str(real))
    dry_report, real_report = json.loads(dry.read_text()), json.loads(real.read_text())
    files = ("heroes", "pictures stored")
    for key in ("counts", "skipped", "unknown_shortcodes", "missing_files", "redirects"):
        expected, got = real_report[key], dry_report[key]
        if key == "counts":
            # Picture files are the one thing a dry run does not make.
            expected = {k: v for k, v in expected.items() if k not in files}
            got = {k: v for k, v in got.items() if k not in files}
        assert got == expected, key
    assert dry_report["dry_run"] is True


def test_two_sites_keep_their_own_post_ids(run_import):
    run_import(site(Post(1, slug="one")))
    other = Export(site="https://other.example", authors=AUTHORS, items=[Post(1, slug="one")])
    run_import(other, name="other.xml")
    assert ImportedPost.objects.filter(wp_id=1).count() == 2
    sites = set(ImportedPost.objects.values_list("site", flat=True))
    assert sites == {"old.example", "other.example"}
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["one", "one-2"]


def test_a_missing_file_supplied_later_is_imported_by_the_next_run(run_import, uploads):
    run_import(site(*posts()), "--uploads", str(uploads))
    assert not story(1).hero_image
    put_upload(uploads, "2020/05/lead.jpg")
    output = run_import(site(*posts()), "--uploads", str(uploads))
    assert "posts updated: 2" in output  # the hero's story and the gallery's
    assert story(1).hero_image and story(1).hero_alt == "Lead"
    assert "/media/wordpress/2020/05/lead.jpg" in story(3).body_html


@pytest.mark.django_db(transaction=True)
def test_committed_rows_are_reused_and_a_failed_storys_are_not(run_import, monkeypatch):
    from wordpress import importer

    original = importer.Importer._write_story

    def failing(self, item, story_values, digest, known):
        original(self, item, story_values, digest, known)
        if item.post_id == 2:
            raise RuntimeError("interrupted")

    terms = [("category", "news", "News"), ("post_tag", "fresh", "Fresh")]
    monkeypatch.setattr(importer.Importer, "_write_story", failing)
    with pytest.raises(RuntimeError):
        run_import(site(Post(1, slug="a", terms=terms[:1]), Post(2, slug="b", terms=terms)))
    monkeypatch.setattr(importer.Importer, "_write_story", original)
    items = [Post(n, slug=f"p{n}", terms=terms) for n in (1, 2, 3, 4)]
    run_import(site(*items))
    assert {story(n).section.slug for n in (1, 2, 3, 4)} == {"news"}
    assert {t.name for n in (2, 3, 4) for t in story(n).tags.all()} == {"Fresh"}
