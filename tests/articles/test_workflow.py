"""Workflow buttons, derived states, the publish checklist, the dashboard and editing comfort."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import PublishRefused, publish_article
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_author, make_correction, make_section


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("status", "publish_at", "unpublish_at", "state"),
    [
        (Article.Status.DRAFT, None, None, Article.State.DRAFT),
        (Article.Status.IN_REVIEW, None, None, Article.State.IN_REVIEW),
        (Article.Status.PUBLISHED, "future", None, Article.State.SCHEDULED),
        (Article.Status.PUBLISHED, "past", None, Article.State.LIVE),
        (Article.Status.PUBLISHED, "past", "future", Article.State.LIVE),
        (Article.Status.WITHDRAWN, "past", None, Article.State.WITHDRAWN),
    ],
)
def test_state_is_derived_and_the_queryset_agrees(db, status, publish_at, unpublish_at, state):
    article = make_article(status=status, publish_at=publish_at, unpublish_at=unpublish_at)
    assert article.state == state
    for other in Article.State:
        assert Article.objects.with_state(other).filter(pk=article.pk).exists() == (other == state)


def test_expired_state(db):
    now = timezone.now()
    article = make_article(publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1))
    assert article.state == Article.State.EXPIRED
    assert list(Article.objects.with_state(Article.State.EXPIRED)) == [article]


def test_buttons_replace_the_status_field(client, newsroom):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None, created_by=newsroom.reporter)
    client.force_login(newsroom.reporter)
    page = client.get(change_url(draft)).content.decode()
    assert 'name="_save_draft"' in page and 'name="_submit"' in page
    assert 'name="_publish"' not in page and 'name="_schedule"' not in page
    assert 'name="status"' not in page
    client.force_login(newsroom.editor)
    page = client.get(change_url(draft)).content.decode()
    assert 'name="_publish"' in page and 'name="_schedule"' in page
    assert 'name="_withdraw"' not in page
    live = make_article()
    page = client.get(change_url(live)).content.decode()
    assert 'name="_withdraw"' in page and 'name="_publish"' not in page
    assert 'name="change_kind"' in page


def test_reporter_writes_and_submits_then_editor_publishes(client, newsroom):
    client.force_login(newsroom.reporter)
    data = article_form_data(
        headline="Ferry timetable changes",
        slug="ferry-timetable",
        dek="Fewer sailings in winter.",
        body="> “No boats on Sundays.”\n> — @harbourmaster",
        section=newsroom.section.pk,
        tags="ferries",
        new_bylines=[(newsroom.reporter.author, "reporter")],
        _submit="1",
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    article = Article.objects.get(slug="ferry-timetable")
    assert response["Location"] == change_url(article)
    assert (article.status, article.created_by) == (Article.Status.IN_REVIEW, newsroom.reporter)
    client.force_login(newsroom.editor)
    response = client.post(change_url(article), article_form_data(article, _publish="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == Article.State.LIVE
    assert article.first_published_at == article.publish_at
    assert article.bylines.get().bio_snapshot == newsroom.reporter.author.bio_html
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_withdraws_a_live_story(client, newsroom):
    article = make_article(section=newsroom.section)
    client.force_login(newsroom.editor)
    response = client.post(change_url(article), article_form_data(article, _withdraw="1"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).state == Article.State.WITHDRAWN
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_published_story_cannot_be_sent_back_to_draft(client, newsroom):
    article = make_article()
    client.force_login(newsroom.editor)
    response = client.post(change_url(article), article_form_data(article, _save_draft="1"))
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).is_live()


def test_publish_checklist_refuses_with_every_reason(client, newsroom, tmp_path):
    no_bio = make_author(bio="")
    article = make_article(
        headline="H" * 121,
        dek="",
        status=Article.Status.DRAFT,
        publish_at=None,
        authors=[no_bio],
    )
    client.force_login(newsroom.editor)
    image = SimpleUploadedFile("hero.gif", GIF, content_type="image/gif")
    data = article_form_data(article, _publish="1", hero_image=image)
    response = client.post(change_url(article), data, follow=True)
    text = " ".join(messages_of(response))
    assert "Not published" in text
    for reason in [
        "longer than 120 characters",
        "no dek",
        "no section",
        "byline whose author has a bio",
        "no alt text",
        "no credit",
    ]:
        assert reason in text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.hero_image  # the rest of the save is kept: nothing is lost
    # The change form lists the same problems before anyone presses Publish.
    assert "Publish checklist" in response.content.decode()


def test_schedule_is_refused_by_the_checklist_too(client, newsroom):
    article = make_article(status=Article.Status.DRAFT, publish_at=None, dek="")
    when = timezone.localtime(timezone.now() + timedelta(days=1))
    data = article_form_data(
        article,
        _schedule="1",
        publish_at_0=when.strftime("%Y-%m-%d"),
        publish_at_1=when.strftime("%H:%M:%S"),
    )
    client.force_login(newsroom.editor)
    response = client.post(change_url(article), data, follow=True)
    assert any(m.startswith("Not scheduled") for m in messages_of(response))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_checklist_warnings_do_not_block(client, newsroom):
    article = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        dek="D" * 201,
        section=newsroom.section,
        authors=[newsroom.reporter.author],
    )
    client.force_login(newsroom.editor)
    response = client.post(
        change_url(article), article_form_data(article, _publish="1"), follow=True
    )
    text = " ".join(messages_of(response))
    assert "no tags" in text and "longer than 200 characters" in text
    assert Article.objects.get(pk=article.pk).is_live()


def test_dashboard_panels_link_to_the_change_form(client, newsroom):
    now = timezone.now()
    in_review = make_article(
        headline="Awaiting review", status=Article.Status.IN_REVIEW, publish_at=None
    )
    make_article(headline="Going out tomorrow", publish_at=now + timedelta(hours=20))
    make_article(headline="Going out next week", publish_at=now + timedelta(days=7))
    make_article(headline="Coming down tonight", unpublish_at=now + timedelta(hours=3))
    make_article(headline="Fresh story")
    client.force_login(newsroom.editor)
    page = client.get(reverse("admin:index")).content.decode()
    for headline in ["Awaiting review", "Going out tomorrow", "Coming down tonight", "Fresh story"]:
        assert headline in page
    assert "Going out next week" not in page
    assert change_url(in_review) in page


def test_dashboard_shows_reporters_only_their_own_stories(client, newsroom):
    make_article(
        headline="Rita's in review",
        status=Article.Status.IN_REVIEW,
        publish_at=None,
        created_by=newsroom.reporter,
    )
    make_article(
        headline="Otto's in review",
        status=Article.Status.IN_REVIEW,
        publish_at=None,
        created_by=newsroom.other_reporter,
    )
    client.force_login(newsroom.reporter)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Rita&#x27;s in review" in page
    assert "Otto&#x27;s in review" not in page


def test_in_review_panel_is_oldest_first(client, newsroom):
    older = make_article(headline="Older review", status=Article.Status.IN_REVIEW, publish_at=None)
    newer = make_article(headline="Newer review", status=Article.Status.IN_REVIEW, publish_at=None)
    Article.objects.filter(pk=older.pk).update(modified_at=timezone.now() - timedelta(hours=5))
    assert newer.pk
    client.force_login(newsroom.editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert page.index("Older review") < page.index("Newer review")


def test_changelist_filters_by_derived_state_section_and_author(client, newsroom):
    other_section = make_section(name="Sport")
    author = make_author(name="Filter Author")
    make_article(headline="Live world", section=newsroom.section, authors=[author])
    make_article(headline="Scheduled sport", section=other_section, publish_at="future")
    make_article(
        headline="Draft world",
        status=Article.Status.DRAFT,
        publish_at=None,
        authors=[make_author(name="Someone Else")],
    )
    client.force_login(newsroom.editor)
    url = reverse("admin:articles_article_changelist")
    page = client.get(url, {"state": "scheduled"}).content.decode()
    assert "Scheduled sport" in page and "Live world" not in page
    page = client.get(url, {"section__id__exact": other_section.pk}).content.decode()
    assert "Scheduled sport" in page and "Live world" not in page
    page = client.get(url, {"bylines__author__id__exact": author.pk}).content.decode()
    assert "Live world" in page and "Draft world" not in page
    page = client.get(url, {"q": "Filter Author"}).content.decode()
    assert "Live world" in page and "Scheduled sport" not in page


def test_reporter_changelist_lists_only_own_stories(client, newsroom):
    make_article(headline="Mine", created_by=newsroom.reporter)
    make_article(headline="Not mine", created_by=newsroom.other_reporter)
    client.force_login(newsroom.reporter)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Mine" in page and "Not mine" not in page


def test_live_markdown_preview_uses_the_site_pipeline(client, newsroom):
    url = reverse("admin:articles_article_markdown")
    client.force_login(newsroom.reporter)
    response = client.post(url, {"body": "> quote\n\n<script>alert(1)</script>**bold**"})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<blockquote>" in html and "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert client.get(url).status_code == 405
    too_long = "x" * (Article._meta.get_field("body").validators[0].limit_value + 1)
    assert client.post(url, {"body": too_long}).status_code == 400
    client.logout()
    response = client.post(url, {"body": "x"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_change_form_offers_autocomplete_and_tag_suggestions(client, newsroom):
    make_article(
        tags=["elections"],
        created_by=newsroom.reporter,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    article = Article.objects.get()
    client.force_login(newsroom.reporter)
    page = client.get(change_url(article)).content.decode()
    assert '<datalist id="id_tags-suggestions"><option value="elections">' in page
    assert 'list="id_tags-suggestions"' in page
    assert "admin-autocomplete" in page  # section and byline authors
    assert "data-markdown-preview=" in page
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "Otto"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Reporter otto"]


# A 1x1 GIF for hero-image uploads.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def test_bulk_publish_runs_the_checklist_story_by_story(client, newsroom):
    ready = make_article(
        headline="Ready",
        status=Article.Status.IN_REVIEW,
        publish_at=None,
        section=newsroom.section,
        authors=[newsroom.reporter.author],
    )
    not_ready = make_article(headline="Not ready", status=Article.Status.IN_REVIEW, publish_at=None)
    client.force_login(newsroom.editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )
    assert any("Not published" in m and "no section" in m for m in messages_of(response))
    assert Article.objects.get(pk=ready.pk).is_live()
    assert Article.objects.get(pk=not_ready.pk).status == Article.Status.IN_REVIEW


def test_dashboard_and_corrections_page_run_a_fixed_number_of_queries(
    client, newsroom, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def add_stories(n):
        for _ in range(n):
            story = make_article(section=newsroom.section)
            make_correction(article=story)
            make_article(status=Article.Status.IN_REVIEW, publish_at=None)

    client.force_login(newsroom.editor)
    # Committed, as real saves are: each round then pays the page cache's per-generation
    # bookkeeping once, the same both times.
    with django_capture_on_commit_callbacks(execute=True):
        add_stories(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin:index"))
        client.get(reverse("articles:corrections"))
    with django_capture_on_commit_callbacks(execute=True):
        add_stories(8)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:index"))
        client.get(reverse("articles:corrections"))


# A story needs words: an empty body is refused on every way to publish.

EMPTY_BODIES = {
    "empty": "",
    "white space": "  \n\t\n  ",
    "empty paragraph": "<p></p>",
    "rule": "***",
    "line break": "<br>",
    "non-breaking spaces": "&nbsp; &nbsp;",
    "zero-width space": "\u200b",
    "punctuation only": "...",
    # Alt text describes the picture, not the story: a picture alone is no story to read.
    "picture only": "![The harbour at dawn](https://example.org/harbour.jpg)",
}


def ready_story(newsroom, **kw):
    """A story that passes the publish checklist, but for what ``kw`` changes."""
    kw.setdefault("status", Article.Status.IN_REVIEW)
    kw.setdefault("publish_at", None)
    return make_article(
        section=newsroom.section, authors=[newsroom.reporter.author], tags=["ports"], **kw
    )


@pytest.mark.parametrize("body", EMPTY_BODIES.values(), ids=EMPTY_BODIES.keys())
def test_publish_now_refuses_a_story_without_body_text(client, newsroom, body):
    article = ready_story(newsroom, body=body)
    client.force_login(newsroom.editor)
    response = client.post(
        change_url(article), article_form_data(article, _publish="1"), follow=True
    )
    assert any(m.startswith("Not published") and "no body text" in m for m in messages_of(response))
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_an_empty_body_is_refused_by_schedule_the_bulk_action_and_the_service(client, newsroom):
    article = ready_story(newsroom, body="<p></p>")
    client.force_login(newsroom.editor)
    when = timezone.localtime(timezone.now() + timedelta(days=1))
    data = article_form_data(
        article,
        _schedule="1",
        publish_at_0=when.strftime("%Y-%m-%d"),
        publish_at_1=when.strftime("%H:%M:%S"),
    )
    response = client.post(change_url(article), data, follow=True)
    assert any(m.startswith("Not scheduled") and "no body text" in m for m in messages_of(response))
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
        follow=True,
    )
    assert any("Not published" in m and "no body text" in m for m in messages_of(response))
    with pytest.raises(PublishRefused, match="no body text"):
        publish_article(article=Article.objects.get(pk=article.pk))
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    # The change form lists it before anyone presses Publish.
    page = client.get(change_url(article)).content.decode()
    assert "The story has no body text." in page


def test_a_body_with_words_passes_the_checklist(newsroom):
    for body in (
        "Two words.",
        "![Harbour](https://example.org/h.jpg)\n\nThe caption says it.",
        "42",
    ):
        assert ready_story(newsroom, body=body).publish_problems() == []


# Submitting for review runs the same checklist, as warnings.


def test_submit_for_review_warns_with_the_publish_checklist_and_still_submits(client, newsroom):
    client.force_login(newsroom.reporter)
    image = SimpleUploadedFile("hero.gif", GIF, content_type="image/gif")
    data = article_form_data(
        headline="Half-written",
        slug="half-written",
        dek="",
        body="",
        hero_image=image,
        hero_alt="",
        _submit="1",
    )
    response = client.post(reverse("admin:articles_article_add"), data, follow=True)
    article = Article.objects.get(slug="half-written")
    assert article.status == Article.Status.IN_REVIEW
    found = messages_of(response)
    assert "Submitted for review." in found
    warnings = [m for m in found if m.startswith("Publishing will be refused until")]
    for reason in ["no body text", "no dek", "no section", "byline", "no alt text", "no credit"]:
        assert sum(reason in warning for warning in warnings) == 1, reason
    assert "Worth a look before publishing: The story has no tags." in found
    # The same list the desk's Publish would refuse with: no copy of the checklist.
    assert len(warnings) == len(article.publish_problems())


def test_submitting_a_ready_story_warns_of_nothing_blocking(client, newsroom):
    article = ready_story(newsroom, status=Article.Status.DRAFT, created_by=newsroom.reporter)
    client.force_login(newsroom.reporter)
    response = client.post(
        change_url(article), article_form_data(article, _submit="1"), follow=True
    )
    assert messages_of(response) == ["Submitted for review."]
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_bulk_submit_warns_story_by_story(client, newsroom):
    empty = make_article(
        headline="Empty one",
        body="",
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=newsroom.reporter,
        section=newsroom.section,
        authors=[newsroom.reporter.author],
        tags=["ports"],
    )
    ready = ready_story(newsroom, status=Article.Status.DRAFT, created_by=newsroom.reporter)
    client.force_login(newsroom.reporter)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_for_review", "_selected_action": [empty.pk, ready.pk]},
        follow=True,
    )
    assert messages_of(response) == [
        "“Empty one”: Publishing will be refused until this is fixed: The story has no body text.",
        "2 of 2 stories submitted for review.",
    ]
    assert set(Article.objects.in_review().values_list("pk", flat=True)) == {empty.pk, ready.pk}
