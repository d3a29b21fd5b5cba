"""The related-stories strip readers see: teaser windows, target liveness, automatic fill, excerpts
and cost."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import publish_article, save_story
from articles.story_page import related_strip
from tests.factories import make_article, make_author, make_section, make_teaser

TZ = timezone.get_current_timezone()
TEN = datetime(2030, 6, 1, 10, 0, tzinfo=TZ)
EIGHTEEN = datetime(2030, 6, 1, 18, 0, tzinfo=TZ)
LONG_AGO = datetime(2025, 1, 1, 9, 0, tzinfo=TZ)
SECOND = timedelta(seconds=1)

# Every test on both paths of the story page's data (tests/articles/conftest.py).
pytestmark = pytest.mark.usefixtures("story_path")


def strip(article, at=None):
    return related_strip(Article.objects.for_detail().get(pk=article.pk), at)


def strip_headlines(article, at=None):
    return [teaser.display_headline for teaser in strip(article, at)]


def related_html(client, article):
    """The related-stories block of the public page, as readers get it."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("</article>", html.index('class="story"')) :]


@pytest.fixture
def host(db):
    # No tags and no section: nothing is filled automatically, so only curated teasers show.
    return make_article(headline="Host story", publish_at=LONG_AGO)


@pytest.fixture
def target(db):
    return make_article(headline="Follow-up story", publish_at=LONG_AGO)


# Windows, with the clock moved.


def test_teaser_opening_at_ten_is_absent_a_second_before_and_present_on_the_dot(
    client, host, target
):
    make_teaser(article=host, target=target, starts_at=TEN)
    with time_machine.travel(TEN - SECOND, tick=False):
        assert "Follow-up story" not in related_html(client, host)
    with time_machine.travel(TEN, tick=False):
        assert "Follow-up story" in related_html(client, host)


def test_teaser_ending_at_eighteen_runs_until_then_and_is_gone_on_the_dot(client, host, target):
    make_teaser(article=host, target=target, starts_at=TEN, ends_at=EIGHTEEN)
    with time_machine.travel(EIGHTEEN - SECOND, tick=False):
        assert "Follow-up story" in related_html(client, host)
    with time_machine.travel(EIGHTEEN, tick=False):
        assert "Follow-up story" not in related_html(client, host)


def test_open_ended_teaser_runs_until_removed(
    client, host, target, django_capture_on_commit_callbacks
):
    teaser = make_teaser(article=host, target=target)
    for moment in (LONG_AGO, TEN, TEN + timedelta(days=3650)):
        with time_machine.travel(moment, tick=False):
            assert "Follow-up story" in related_html(client, host)
    # Committed, so the page cache sees the change as it would on the site.
    with django_capture_on_commit_callbacks(execute=True):
        teaser.delete()
    with time_machine.travel(TEN, tick=False):
        assert "Follow-up story" not in related_html(client, host)


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "publish_at": None},
        {"status": Article.Status.IN_REVIEW, "publish_at": None},
        {"status": Article.Status.PUBLISHED, "publish_at": TEN + timedelta(days=1)},
        {
            "status": Article.Status.PUBLISHED,
            "publish_at": LONG_AGO,
            "unpublish_at": TEN - timedelta(hours=1),
        },
        {"status": Article.Status.WITHDRAWN, "publish_at": LONG_AGO},
    ],
    ids=["draft", "in-review", "scheduled", "expired", "withdrawn"],
)
def test_teaser_to_a_story_readers_cannot_open_never_renders_even_inside_its_window(
    client, host, state
):
    hidden = make_article(headline="Not for readers", **state)
    make_teaser(article=host, target=hidden, starts_at=LONG_AGO)
    with time_machine.travel(TEN, tick=False):
        assert "Not for readers" not in related_html(client, host)
        assert strip(host) == []


def test_teaser_appears_the_second_its_scheduled_target_goes_live(client, host):
    goes_live = TEN + timedelta(hours=2)
    scheduled = make_article(headline="Tomorrow's follow-up", publish_at=goes_live)
    make_teaser(article=host, target=scheduled, starts_at=TEN)
    with time_machine.travel(goes_live - SECOND, tick=False):
        assert "Tomorrow&#x27;s follow-up" not in related_html(client, host)
    with time_machine.travel(goes_live, tick=False):
        assert "Tomorrow&#x27;s follow-up" in related_html(client, host)


def test_teaser_to_a_draft_appears_as_soon_as_the_draft_is_published(
    client, host, django_capture_on_commit_callbacks
):
    # Ready for the publish checklist: a section and a byline whose author has a bio.
    draft = make_article(
        headline="Draft follow-up",
        status=Article.Status.DRAFT,
        publish_at=None,
        section=make_section(),
        authors=[make_author()],
    )
    make_teaser(article=host, target=draft)
    assert "Draft follow-up" not in related_html(client, host)
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(article=draft)
    assert "Draft follow-up" in related_html(client, host)


def test_external_teaser_counts_as_live_and_links_out_with_noopener(client, host):
    make_teaser(article=host, url="https://example.org/report", headline="The full report")
    html = related_html(client, host)
    assert '<a href="https://example.org/report" rel="noopener">The full report</a>' in html


def test_curated_teasers_show_in_position_order(host):
    first = make_article(headline="First", publish_at=LONG_AGO)
    second = make_article(headline="Second", publish_at=LONG_AGO)
    make_teaser(article=host, target=second, position=2)
    make_teaser(article=host, target=first, position=1)
    assert strip_headlines(host) == ["First", "Second"]


# Automatic fill.


@pytest.fixture
def tagged(db):
    """A host with three tags in a section, and stories related to it in different degrees."""
    section = make_section(name="Politics")
    other = make_section(name="Sport")
    host = make_article(headline="Host", tags=["budget", "tax", "welfare"], section=section)
    stories = {
        "three-tags": make_article(headline="Shares three", tags=["budget", "tax", "welfare"]),
        "two-tags": make_article(headline="Shares two", tags=["budget", "tax"], section=other),
        "one-tag-same-section": make_article(
            headline="Shares one, same section", tags=["welfare"], section=section
        ),
        "one-tag": make_article(headline="Shares one", tags=["tax"], section=other),
        "section-only": make_article(headline="Same section only", section=section),
        "unrelated": make_article(headline="Unrelated but newest", tags=["football"]),
        "draft": make_article(
            headline="Draft sharing all",
            tags=["budget", "tax", "welfare"],
            status=Article.Status.DRAFT,
            publish_at=None,
        ),
    }
    return host, stories


def test_without_curated_teasers_three_automatic_stories_by_shared_tags(tagged):
    host, _ = tagged
    assert strip_headlines(host) == ["Shares three", "Shares two", "Shares one, same section"]


def test_one_live_curated_teaser_comes_first_then_two_automatic(tagged):
    host, _ = tagged
    curated = make_article(headline="Curated pick", tags=["football"])
    make_teaser(article=host, target=curated)
    teasers = strip(host)
    assert [t.display_headline for t in teasers] == ["Curated pick", "Shares three", "Shares two"]
    assert teasers[0].pk is not None
    assert [t.pk for t in teasers[1:]] == [None, None]


def test_curated_target_is_not_repeated_by_the_automatic_fill(tagged):
    host, stories = tagged
    make_teaser(article=host, target=stories["three-tags"])
    assert strip_headlines(host) == ["Shares three", "Shares two", "Shares one, same section"]


def test_two_curated_teasers_to_one_story_show_it_once(tagged):
    host, stories = tagged
    make_teaser(article=host, target=stories["one-tag"], position=0)
    make_teaser(article=host, target=stories["one-tag"], position=1, headline="Again")
    headlines = strip_headlines(host)
    assert headlines == ["Shares one", "Shares three", "Shares two"]


# The editor's word on a target holds for the automatic fill too.


def test_the_target_of_an_ended_teaser_is_not_put_back_by_the_fill(client, tagged):
    host, stories = tagged
    make_teaser(article=host, target=stories["three-tags"], starts_at=TEN, ends_at=EIGHTEEN)
    with time_machine.travel(EIGHTEEN - SECOND, tick=False):
        assert strip_headlines(host)[0] == "Shares three"
        assert related_html(client, host).count("Shares three") == 1
    with time_machine.travel(EIGHTEEN, tick=False):
        assert strip_headlines(host) == ["Shares two", "Shares one, same section", "Shares one"]
        assert "Shares three" not in related_html(client, host)


def test_the_target_of_an_upcoming_teaser_waits_for_its_window(client, tagged):
    host, stories = tagged
    make_teaser(article=host, target=stories["three-tags"], starts_at=TEN, position=0)
    with time_machine.travel(TEN - SECOND, tick=False):
        assert strip_headlines(host) == ["Shares two", "Shares one, same section", "Shares one"]
        assert "Shares three" not in related_html(client, host)
    with time_machine.travel(TEN, tick=False):
        teasers = strip(host)
        assert [t.display_headline for t in teasers][:2] == ["Shares three", "Shares two"]
        assert teasers[0].pk is not None  # as the curated teaser, not as a fill


def test_a_blocked_target_is_never_shown_neither_curated_nor_filled(client, tagged):
    host, stories = tagged
    blocked = stories["three-tags"]
    make_teaser(article=host, target=blocked, is_blocked=True)
    # Rows the forms would refuse next to a block: whatever wrote them, the block wins.
    make_teaser(article=host, target=blocked, headline="Sneaked in", position=0)
    for moment in (TEN, TEN + timedelta(days=3650)):
        with time_machine.travel(moment, tick=False):
            assert strip_headlines(host) == [
                "Shares two",
                "Shares one, same section",
                "Shares one",
            ]
            html = related_html(client, host)
            assert "Shares three" not in html and "Sneaked in" not in html
    # The block only speaks for its own story.
    other = make_article(headline="Other host", tags=["budget", "tax", "welfare"])
    assert "Shares three" in strip_headlines(other)


def test_the_draft_preview_leaves_a_blocked_target_out(client, tagged, newsroom):
    host, stories = tagged
    make_teaser(article=host, target=stories["two-tags"], headline="Curated")
    make_teaser(article=host, target=stories["three-tags"], is_blocked=True)
    make_teaser(article=host, target=stories["three-tags"], headline="Sneaked in", position=9)
    client.force_login(newsroom.editor)
    html = client.get(reverse("admin:articles_article_preview", args=[host.pk])).content.decode()
    assert "Curated" in html
    assert "Sneaked in" not in html and "Shares three" not in html


def test_the_story_itself_and_stories_readers_cannot_open_never_fill_the_strip(tagged):
    host, _ = tagged
    Article.objects.exclude(pk=host.pk).filter(headline__startswith="Shares").update(
        status=Article.Status.WITHDRAWN
    )
    headlines = strip_headlines(host)
    assert headlines == ["Same section only"]
    assert "Host" not in headlines
    assert "Draft sharing all" not in headlines


def test_ties_on_shared_tags_go_to_the_same_section_then_the_newest(db):
    section = make_section()
    host = make_article(headline="Host", tags=["port"], section=section)
    older_same = make_article(headline="Older, same section", tags=["port"], section=section)
    make_article(headline="Newer, other section", tags=["port"])
    newest_same = make_article(headline="Newest, same section", tags=["port"], section=section)
    older_same.publish_at = host.publish_at - timedelta(days=2)
    save_story(article=older_same)
    newest_same.publish_at = timezone.now() - timedelta(minutes=1)
    save_story(article=newest_same)
    assert strip_headlines(host) == [
        "Newest, same section",
        "Older, same section",
        "Newer, other section",
    ]


def test_strip_at_a_future_instant_includes_stories_scheduled_by_then(tagged):
    host, _ = tagged
    soon = timezone.now() + timedelta(hours=3)
    make_article(
        headline="Scheduled, shares three", tags=["budget", "tax", "welfare"], publish_at=soon
    )
    assert "Scheduled, shares three" not in strip_headlines(host)
    assert strip_headlines(host, at=soon)[0] == "Scheduled, shares three"


def test_strip_size_follows_the_setting(tagged, settings):
    host, _ = tagged
    settings.NEWSROOM_TEASER_COUNT = 5
    assert len(strip(host)) == 5


# Excerpts.


def test_excerpt_override_wins_over_the_dek(host, target):
    make_teaser(article=host, target=target, excerpt="What the editor wrote.")
    assert strip(host)[0].display_excerpt == "What the editor wrote."


def test_excerpt_falls_back_to_the_dek_then_the_start_of_the_body(host):
    with_dek = make_article(headline="A", dek="The standfirst.", body="Body words.")
    without_dek = make_article(headline="B", dek="", body="Only the *body* speaks here.")
    make_teaser(article=host, target=with_dek, position=0)
    make_teaser(article=host, target=without_dek, position=1)
    assert [t.display_excerpt for t in strip(host)] == [
        "The standfirst.",
        "Only the body speaks here.",
    ]


def test_long_excerpt_is_cut_at_a_word_boundary_with_an_ellipsis(host):
    words = "The harbour authority said the reopening would proceed in stages " * 5
    target = make_article(dek=words.strip())
    make_teaser(article=host, target=target)
    shown = strip(host)[0].display_excerpt
    assert len(shown) <= 160
    assert shown.endswith("…")
    kept = shown[:-1]
    assert words.startswith(kept)
    assert words[len(kept)] == " "


def test_markdown_and_html_in_a_dek_never_reach_the_excerpt(client, host):
    target = make_article(
        headline="Marked up",
        dek="**Breaking**: the <em>harbour</em> [reopens](https://example.org) `today` <script>x</script>",
    )
    make_teaser(article=host, target=target)
    assert strip(host)[0].display_excerpt == "Breaking: the harbour reopens today x"
    html = related_html(client, host)
    for leak in ("**", "&lt;em&gt;", "<em>", "](", "`", "&lt;script"):
        assert leak not in html


def test_markdown_and_html_in_an_override_or_body_never_reach_the_excerpt(host):
    from_body = make_article(dek="", body="## A heading\n\n> A **quoted** line with <b>tags</b>.")
    overridden = make_article()
    make_teaser(article=host, target=from_body, position=0)
    make_teaser(article=host, target=overridden, position=1, excerpt="_Italic_ and <i>more</i>")
    assert [t.display_excerpt for t in strip(host)] == [
        "A heading A quoted line with tags.",
        "Italic and more",
    ]


def test_dek_text_that_only_looks_like_block_markdown_is_kept_literally(host):
    target = make_article(dek="#MeToo, five years on")
    make_teaser(article=host, target=target)
    assert strip(host)[0].display_excerpt == "#MeToo, five years on"


# What each teaser shows.


def test_teaser_shows_headline_section_date_and_small_image(client, host, settings):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    section = make_section(name="Business")
    target = make_article(
        headline="Pictured story",
        section=section,
        publish_at=datetime(2025, 3, 4, 9, 0, tzinfo=TZ),
        hero_image=SimpleUploadedFile("hero.png", buffer.getvalue(), "image/png"),
    )
    make_teaser(article=host, target=target, headline="Headline override")
    html = related_html(client, host)
    assert "Headline override" in html
    assert '<span class="teaser__section">Business</span>' in html
    assert "4 Mar 2025" in html
    assert f'<img src="{target.hero_picture.src}"' in html


# Cost.


def _warm(article_pk):
    # The content type is cached per process after its first use; a page has always used it by the
    # time the strip runs (the tag prefetch needs it too).
    ContentType.objects.get_for_model(Article)
    return Article.objects.for_detail().get(pk=article_pk)


@pytest.mark.parametrize(("curated", "tags"), [(0, 1), (1, 2), (2, 12)])
def test_strip_with_curated_and_automatic_costs_two_queries(
    db, django_assert_num_queries, curated, tags
):
    section = make_section()
    names = [f"topic-{n}" for n in range(tags)]
    host = make_article(tags=names, section=section)
    for n in range(6):
        make_article(tags=names[: n + 1], section=section)
    for _ in range(curated):
        make_teaser(article=host, target=make_article())
    host = _warm(host.pk)
    with django_assert_num_queries(2):
        teasers = related_strip(host)
        render_to_string("articles/_related_strip.html", {"teasers": teasers})
    assert len(teasers) == 3


def test_strip_filled_by_curated_teasers_costs_one_query(db, django_assert_num_queries):
    host = make_article(tags=["a", "b"], section=make_section())
    make_article(tags=["a", "b"])
    for _ in range(4):
        make_teaser(article=host, target=make_article())
    host = _warm(host.pk)
    with django_assert_num_queries(1):
        teasers = related_strip(host)
        render_to_string("articles/_related_strip.html", {"teasers": teasers})
    assert all(teaser.pk for teaser in teasers)


def strip_block(response):
    html = response.content.decode()
    start = html.index('<section class="related"')
    return html[start : html.index("</section>", start)]


def test_the_draft_preview_shows_the_strip_readers_will_see_automatic_fill_included(
    client, tagged, newsroom, django_capture_on_commit_callbacks
):
    host, stories = tagged
    draft = make_article(
        headline="Budget draft",
        tags=["budget", "tax", "welfare"],
        section=host.section,
        status=Article.Status.DRAFT,
        publish_at=None,
        authors=[make_author()],
    )
    make_teaser(article=draft, target=make_article(headline="Curated pick", tags=["football"]))
    # An ended teaser: the editor's word keeps its story out of the fill, in both.
    make_teaser(article=draft, target=stories["three-tags"], starts_at=LONG_AGO, ends_at=TEN)
    with time_machine.travel(TEN, tick=False):
        client.force_login(newsroom.editor)
        preview = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
        with django_capture_on_commit_callbacks(execute=True):
            publish_article(article=draft)
        client.logout()
        live = client.get(Article.objects.get(pk=draft.pk).get_absolute_url())

    def shown(response):
        return [(t.pk, t.target_id, t.display_headline) for t in response.context["teasers"]]

    # The tagged host shares all three tags; the ended teaser's story stays out.
    assert [headline for *_, headline in shown(live)] == ["Curated pick", "Host", "Shares two"]
    assert shown(preview) == shown(live)
    assert strip_block(preview) == strip_block(live)
