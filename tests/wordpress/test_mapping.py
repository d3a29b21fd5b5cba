"""What each part of a WordPress export becomes: stories, statuses, bylines, sections, tags,
heroes and bodies, from files written as WXR 1.0 and 1.2."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Byline
from authors.models import Author
from wordpress.models import ImportedPost

from .conftest import put_upload, story
from .wxr_files import Export, Post, attachment, guest_author

pytestmark = pytest.mark.django_db

AUTHORS = [
    ("jane", "Jane Doe", "jane@old.example", "Jane covers the city council."),
    ("bob", "Bob Roe", "bob@old.example", ""),
]
CATEGORIES = [
    (3, "news", "", "News"),
    (4, "politics", "news", "Politics"),
    (5, "sport", "", "Sport"),
]
TAGS = [(7, "budget", "Budget"), (8, "zürich", "Zürich")]


def export(*items, version="1.2"):
    return Export(
        version=version, authors=AUTHORS, categories=CATEGORIES, tags=TAGS, items=list(items)
    )


def test_statuses_map_to_workflow_states(run_import):
    future = (timezone.now() + timedelta(days=3)).astimezone(UTC)
    posts = [
        Post(1, status="publish"),
        Post(
            2,
            status="future",
            date_gmt=future.strftime("%Y-%m-%d %H:%M:%S"),
            date=future.strftime("%Y-%m-%d %H:%M:%S"),
        ),
        Post(3, status="draft"),
        Post(4, status="pending"),
        Post(5, status="private"),
        Post(6, status="publish", password="secret"),
        Post(7, status="trash"),
        Post(8, status="publish", post_type="page"),
        Post(9, status="publish", post_type="nav_menu_item"),
    ]
    output = run_import(export(*posts))
    assert story(1).state == Article.State.LIVE
    assert story(1).publish_at == datetime(2020, 5, 3, 8, 0, tzinfo=UTC)
    assert story(2).state == Article.State.SCHEDULED
    assert abs(story(2).publish_at - future) < timedelta(seconds=1)
    assert story(3).state == Article.State.DRAFT
    assert story(4).state == Article.State.IN_REVIEW
    for wp_id in (5, 6):
        assert story(wp_id).state == Article.State.DRAFT
        assert "never published openly" in ImportedPost.objects.get(wp_id=wp_id).note
    assert not ImportedPost.objects.filter(wp_id__in=[7, 8, 9]).exists()
    assert Article.objects.count() == 6
    assert "post in the trash: 1" in output
    assert "post type page: 1" in output
    assert "post type nav_menu_item: 1" in output


def test_pages_only_on_request(run_import):
    run_import(export(Post(8, post_type="page", slug="about")), "--pages")
    assert story(8).slug == "about"


def test_authors_bylines_and_coauthors(run_import):
    posts = [
        guest_author(50, "sam-guest", "Sam Guest", "A guest writer."),
        Post(1, creator="jane"),
        Post(
            2,
            creator="bob",
            terms=[
                ("author", "cap-bob", "bob"),
                ("author", "cap-sam-guest", "sam-guest"),
                ("author", "cap-jane", "jane"),
            ],
        ),
    ]
    run_import(export(*posts))
    jane = Author.objects.get(slug="jane")
    assert jane.name == "Jane Doe"
    assert jane.bio == "Jane covers the city council."
    assert jane.email == "jane@old.example"
    assert [b.author.slug for b in story(1).bylines.all()] == ["jane"]
    names = [b.author.name for b in story(2).bylines.order_by("position")]
    assert names == ["Bob Roe", "Sam Guest", "Jane Doe"]
    assert Author.objects.get(slug="sam-guest").bio == "A guest writer."
    # As published: the bio is kept with the byline, as the publish workflow does.
    assert story(1).bylines.get().bio_snapshot == jane.bio_html
    assert Byline.objects.filter(publish_at=story(1).publish_at).count() == 4


def test_sections_tags_and_primary_category(run_import):
    posts = [
        Post(
            1,
            terms=[
                ("category", "politics", "Politics"),
                ("category", "sport", "Sport"),
                ("post_tag", "budget", "Budget"),
                ("post_tag", "z%c3%bcrich", "Zürich"),
            ],
        ),
        Post(
            2,
            terms=[("category", "news", "News"), ("category", "sport", "Sport")],
            meta={"_yoast_wpseo_primary_category": "5"},
        ),
        Post(3, terms=[]),
    ]
    run_import(export(*posts))
    first = story(1)
    assert first.section.slug == "politics"
    assert first.section.name == "Politics"
    assert sorted(t.name for t in first.tags.all()) == ["Budget", "Sport", "Zürich"]
    assert first.tags.get(name="Zürich").slug == "zürich"
    assert story(2).section.slug == "sport"
    assert [t.name for t in story(2).tags.all()] == ["News"]
    assert story(3).section is None
    # The tag links carry the story's time, as every save keeps them.
    assert {t.publish_at for t in first.tagged_items.all()} == {first.publish_at}


def test_section_from_none_makes_every_category_a_tag(run_import):
    run_import(export(Post(1, terms=[("category", "news", "News")])), "--section-from", "none")
    assert story(1).section is None
    assert [t.name for t in story(1).tags.all()] == ["News"]


def test_slug_excerpt_and_sticky(run_import):
    long_excerpt = "Word " * 200
    posts = [
        Post(1, slug="%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82", title="Привет"),
        Post(2, slug="caf%c3%a9-cr%c3%a8me", title="Café", excerpt=long_excerpt, sticky=True),
        Post(3, slug="same"),
        Post(4, slug="same"),
    ]
    run_import(export(*posts))
    assert story(1).slug == "post-1"
    assert story(1).headline == "Привет"
    second = story(2)
    assert second.slug == "cafe-creme"
    assert second.is_featured
    assert len(second.dek) <= 600 and second.dek.endswith("…")
    assert not second.dek.endswith(" …")
    assert {story(3).slug, story(4).slug} == {"same", "same-2"}
    assert not story(1).is_featured


def test_classic_content_gets_paragraphs(run_import):
    content = "First paragraph\nwith a break.\n\nSecond <em>paragraph</em>.\n\n<h2>A heading</h2>\n\n<ul><li>one</li><li>two</li></ul>"
    run_import(export(Post(1, content=content)))
    article = story(1)
    assert article.body.startswith("First paragraph")
    assert "<p>First paragraph<br" in article.body_html
    assert "<p>Second <em>paragraph</em>.</p>" in article.body_html
    assert ">A heading</h2>" in article.body_html
    assert "<li>two</li>" in article.body_html


def test_block_content_loses_its_comments_and_keeps_its_content(run_import):
    content = """<!-- wp:paragraph -->
<p>Block one.</p>
<!-- /wp:paragraph -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><p>Quoted words.</p><cite>Someone</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:heading {"level":3} -->
<h3>Sub</h3>
<!-- /wp:heading -->"""
    run_import(export(Post(1, content=content)))
    article = story(1)
    assert "wp:" not in article.body
    assert "<p>Block one.</p>" in article.body_html
    assert "<blockquote>" in article.body_html and "Quoted words." in article.body_html
    assert ">Sub</h3>" in article.body_html


def test_captions_galleries_and_embeds(run_import, uploads):
    put_upload(uploads, "2020/05/harbour.jpg")
    put_upload(uploads, "2020/05/one.jpg")
    put_upload(uploads, "2020/05/two.jpg")
    content = (
        '[caption id="attachment_20" align="alignnone" width="300"]'
        '<a href="https://old.example/wp-content/uploads/2020/05/harbour.jpg">'
        '<img src="https://old.example/wp-content/uploads/2020/05/harbour-300x200.jpg" alt="The harbour" '
        'width="300" height="200" /></a> Boats at dawn[/caption]\n\n'
        '[gallery ids="21,22"]\n\n'
        "[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n"
        "https://twitter.com/someone/status/123\n\n"
        '<blockquote class="twitter-tweet"><p>A quoted tweet.</p>&mdash; Someone</blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    )
    posts = [
        Post(1, content=content),
        attachment(21, "2020/05/one.jpg", parent=1, alt="First", caption="One caption"),
        attachment(22, "2020/05/two.jpg", parent=1, alt="Second"),
    ]
    output = run_import(export(*posts), "--uploads", str(uploads))
    html = story(1).body_html
    assert '<figure><img alt="The harbour"' in html or 'alt="The harbour"' in html
    assert "<figcaption>Boats at dawn</figcaption>" in html
    assert "/media/wordpress/2020/05/harbour.jpg" in html
    assert "old.example/wp-content" not in html
    assert "/media/wordpress/2020/05/one.jpg" in html and 'alt="First"' in html
    assert "<figcaption>One caption</figcaption>" in html
    assert "/media/wordpress/2020/05/two.jpg" in html
    assert '<a href="https://www.youtube.com/watch?v=abc"' in html
    assert '<a href="https://twitter.com/someone/status/123"' in html
    assert "<blockquote>" in html and "A quoted tweet." in html
    assert "<script" not in html and "widgets.js" not in html
    assert "Missing files" not in output


def test_gallery_without_ids_shows_the_posts_pictures(run_import, uploads):
    put_upload(uploads, "2020/05/one.jpg")
    posts = [Post(1, content="[gallery]"), attachment(21, "2020/05/one.jpg", parent=1, alt="First")]
    run_import(export(*posts), "--uploads", str(uploads))
    assert "/media/wordpress/2020/05/one.jpg" in story(1).body_html


def test_featured_image_becomes_the_hero(run_import, uploads):
    put_upload(uploads, "2020/05/lead.jpg")
    posts = [
        Post(1, meta={"_thumbnail_id": "30"}),
        attachment(
            30,
            "2020/05/lead.jpg",
            parent=1,
            alt="The lead picture",
            caption="A caption",
            credit="Photo: Ann",
        ),
    ]
    run_import(export(*posts), "--uploads", str(uploads))
    article = story(1)
    assert article.hero_image
    assert article.hero_alt == "The lead picture"
    assert article.hero_caption == "A caption"
    assert article.hero_credit == "Photo: Ann"
    assert article.hero_renditions["jpeg"]
    assert ImportedPost.objects.get(wp_id=1).hero_source == "2020/05/lead.jpg"


def test_missing_uploads_are_warnings_not_an_abort(run_import, uploads, tmp_path):
    content = '<p><img src="https://old.example/wp-content/uploads/2019/01/gone.jpg" alt="Gone"></p><p>Text.</p>'
    posts = [
        Post(1, content=content, meta={"_thumbnail_id": "30"}),
        attachment(30, "2020/05/absent.jpg", parent=1, alt="Absent"),
        Post(2),
    ]
    report = tmp_path / "report.json"
    output = run_import(export(*posts), "--uploads", str(uploads), "--report", str(report))
    assert Article.objects.count() == 2
    assert not story(1).hero_image
    assert "Missing files: 2" in output
    assert "post 1: 2019/01/gone.jpg" in output
    assert "post 1: 2020/05/absent.jpg" in output
    # The picture keeps its old address rather than being lost; nothing was fetched.
    assert "https://old.example/wp-content/uploads/2019/01/gone.jpg" in story(1).body_html
    import json

    data = json.loads(report.read_text())
    assert {m["file"] for m in data["missing_files"]} == {"2019/01/gone.jpg", "2020/05/absent.jpg"}
    assert data["counts"]["posts created"] == 2


def test_unknown_shortcodes_are_kept_as_text_and_reported(run_import, tmp_path):
    report = tmp_path / "report.json"
    content = '<p>Before [contact-form-7 id="12" title="Contact"] after [foo]bar[/foo].</p>'
    output = run_import(export(Post(1, content=content)), "--report", str(report))
    html = story(1).body_html
    # Kept as the words they were (the Markdown pipeline's typography curls the quotes).
    assert "Before [contact-form-7 id=" in html and "title=" in html
    assert "[foo]bar[/foo]" in html
    assert "contact-form-7: 1" in output and "foo: 1" in output
    import json

    assert json.loads(report.read_text())["unknown_shortcodes"] == {"contact-form-7": 1, "foo": 1}


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_each_wxr_version(run_import, version):
    posts = [
        Post(
            1,
            title="Old format",
            creator="jane",
            terms=[("category", "news", "News"), ("post_tag", "budget", "Budget")],
        ),
    ]
    run_import(export(*posts, version=version))
    article = story(1)
    assert article.headline == "Old format"
    assert article.section.slug == "news"
    assert [t.slug for t in article.tags.all()] == ["budget"]
    # WXR 1.0 has no author list: the login names the author.
    expected = "jane" if version == "1.0" else "Jane Doe"
    assert [b.author.name for b in article.bylines.all()] == [expected]


def test_bad_date_is_a_warning_for_that_post(run_import):
    output = run_import(export(Post(1, date_gmt="2020-13-45 99:00:00"), Post(2)))
    assert not ImportedPost.objects.filter(wp_id=1).exists()
    assert ImportedPost.objects.filter(wp_id=2).exists()
    assert "invalid date: 1" in output
