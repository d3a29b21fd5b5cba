"""The story form and the screens around it, as editors meet them: limits they can see, their own
byline filled in, names instead of logins, and the site's own name on the admin."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Byline
from content.markup import render_markdown
from tests.articles.admin.test_admin import _errors, _management, _story_form
from tests.factories import make_article, make_author, make_reporter, make_user

ADD = "admin:articles_article_add"


def test_the_admin_is_named_after_the_site(admin_client, settings):
    settings.NEWSROOM_SITE_NAME = "Harbour Gazette"

    html = admin_client.get(reverse("admin:index")).content.decode()

    assert "Django" not in html
    assert re.search(r"<title>Harbour Gazette desk \| Harbour Gazette admin</title>", html)
    assert '<a href="/admin/">Harbour Gazette</a>' in html


def test_the_headline_says_its_publish_limit_and_the_browser_cuts_nothing(admin_client):
    form = admin_client.get(reverse(ADD)).context["adminform"].form
    html = str(form["headline"]) + str(form["dek"]) + str(form["seo_title"])

    assert "maxlength" not in html
    assert 'data-count-limit="120"' in str(form["headline"])
    assert 'data-count-limit="600"' in str(form["dek"])
    assert "120 characters to publish" in form.fields["headline"].help_text
    assert "Up to 600 characters." in form.fields["dek"].help_text


@pytest.mark.parametrize(("field", "limit"), [("headline", 200), ("dek", 600), ("seo_title", 120)])
def test_an_over_long_text_is_a_form_error_naming_the_limit_and_the_text_is_kept(
    admin_client, field, limit
):
    url = reverse(ADD)
    text = "x" * (limit + 5)

    response = admin_client.post(url, _story_form(admin_client, url, **{field: text}))

    assert response.status_code == 200
    assert f"at most {limit} characters" in " ".join(_errors(response))
    assert response.context["adminform"].form[field].value() == text
    assert not Article.objects.exists()


def test_the_split_date_and_time_boxes_are_named_after_their_field(admin_client):
    story = make_article(headline="Harbour reopens")
    html = admin_client.get(reverse("admin:articles_article_change", args=[story.pk])).content

    for label in ("Publish at", "Unpublish at"):
        for part in ("date", "time"):
            assert f'aria-label="{label}: {part}"'.encode() in html


def test_a_new_story_starts_with_the_reporters_own_byline(client, db):
    rita = make_reporter(username="rita", author_name="Rita Reporter")
    client.force_login(rita)
    url = reverse(ADD)

    formset = client.get(url).context["inline_admin_formsets"][0].formset

    assert formset.prefix == "bylines"
    assert [form["author"].value() for form in formset.forms] == [rita.author.pk]
    assert formset.forms[0]["role"].value() == Byline.Role.REPORTER
    assert 'type="hidden"' in str(formset.forms[0]["position"])

    # Posted back as the form showed it, the byline is saved with the story.
    data = _story_form(client, url, _save_draft="Save draft")
    data.update({"bylines-0-author": rita.author.pk, "bylines-0-role": "reporter"})
    assert client.post(url, data).status_code == 302
    assert [b.author for b in Article.objects.get().bylines.all()] == [rita.author]


def test_a_user_without_an_author_profile_starts_with_no_byline(admin_client):
    formset = admin_client.get(reverse(ADD)).context["inline_admin_formsets"][0].formset
    assert formset.prefix == "bylines"
    assert len(formset.forms) == 0
    assert _management(admin_client, reverse(ADD))["bylines-TOTAL_FORMS"] == 0


def test_the_dashboard_names_colleagues_by_byline_then_full_name_then_login(
    admin_client, django_assert_num_queries
):
    def in_review(headline, user):
        make_article(
            headline=headline, status=Article.Status.IN_REVIEW, publish_at=None, modified_by=user
        )

    rita = make_user(username="rita", first_name="Rita", last_name="R.")
    make_author(name="Rita Reporter", user=rita)
    in_review("With a byline name", rita)
    url = reverse("admin:index")
    with CaptureQueriesContext(connection) as one_story:
        admin_client.get(url)

    in_review("With a full name", make_user(username="ffull", first_name="Fay", last_name="Full"))
    in_review("With a login only", make_user(username="lonely"))
    with django_assert_num_queries(len(one_story)):
        html = admin_client.get(url).content.decode()

    assert "· Rita Reporter" in html
    assert "· Fay Full" in html
    assert "· lonely" in html
    assert "· rita<" not in html


def test_the_story_list_shows_bylines_without_a_query_per_story(
    admin_client, django_assert_num_queries
):
    url = reverse("admin:articles_article_changelist")
    make_article(headline="First", authors=[make_author(name="Ada Lane")])
    with CaptureQueriesContext(connection) as one_story:
        admin_client.get(url)

    for n in range(4):
        make_article(authors=[make_author(name=f"Bo {n}"), make_author(name=f"Cy {n}")])
    with django_assert_num_queries(len(one_story)):
        html = admin_client.get(url).content.decode()

    assert '<td class="field-byline_names">Ada Lane</td>' in html
    assert '<td class="field-byline_names">Bo 2, Cy 2</td>' in html


def test_the_body_help_shows_how_to_quote_a_post_and_that_markdown_renders_it(admin_client):
    help_text = admin_client.get(reverse(ADD)).context["adminform"].form.fields["body"].help_text
    example = [
        re.sub(r"<[^>]+>", "", line).replace("&gt;", ">") for line in help_text.split("<br>")[1:]
    ]
    assert example[0].startswith("> ") and example[-1].startswith("> — @")

    rendered = render_markdown("\n".join(example))

    assert rendered.startswith("<blockquote>\n<p>The words of the post.</p>\n<p>— @name on Social,")
    assert '<a href="https://social.example/post/1" rel="noopener">' in rendered
