"""Admin smoke tests as a superuser, and bad input in the story form: an error, never a 500."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, PlacementEvent
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_front,
    make_pick,
    make_section,
    make_teaser,
    make_user,
    make_zone,
)


def _article_for_admin(term):
    return make_article(headline=f"{term} story", slug=f"{term.lower()}-story", tags=[term])


def _login_record(model, **extra):
    """django-axes' record of a sign-in from a username built on ``term``."""

    def build(term):
        return model.objects.create(
            username=f"{term.lower()}_login",
            ip_address="127.0.0.1",
            user_agent="pytest",
            http_accept="text/html",
            path_info="/admin/login/",
            **extra,
        )

    return build


# One builder per registered model; ``term`` is a word the model's admin search should find.
BUILDERS = {
    "auth.group": lambda term: Group.objects.create(name=f"{term} desk"),
    "auth.user": lambda term: make_user(username=f"{term.lower()}_login"),
    "taggit.tag": lambda term: Tag.objects.create(name=f"{term} topic", slug=f"{term}-topic"),
    "authors.author": lambda term: make_author(name=f"{term} Reyes"),
    "articles.section": lambda term: make_section(name=f"{term} section"),
    "articles.article": _article_for_admin,
    "articles.relatedteaser": lambda term: make_teaser(
        article=make_article(), url="https://example.org/", headline=f"{term} teaser"
    ),
    "articles.correction": lambda term: make_correction(
        article=make_article(), text=f"{term} was misspelt."
    ),
    "articles.placementevent": lambda term: PlacementEvent.record(
        placement=make_teaser(
            article=make_article(headline=f"{term} story"), url="https://example.org/"
        ),
        action=PlacementEvent.Action.ADDED,
        by=None,
    ),
    "fronts.front": lambda term: make_front(
        kind="section", section=make_section(name=f"{term} section")
    ),
    "fronts.zone": lambda term: make_zone(heading=f"{term} zone"),
    "fronts.pick": lambda term: make_pick(
        zone=make_zone(), url="https://example.org/", headline=f"{term} pick"
    ),
    # django-axes' records, through which an administrator reviews and resets lock-outs.
    "axes.accessattempt": _login_record(
        AccessAttempt, get_data="", post_data="", failures_since_start=3
    ),
    "axes.accesslog": _login_record(AccessLog),
    "axes.accessfailurelog": _login_record(AccessFailureLog, locked_out=False),
}
# Records only the application writes: their admins can be read, never added to by hand.
READ_ONLY = {"placementevent", "accessattempt", "accesslog", "accessfailurelog"}
# Admins that are a screen of their own, not Django's list and form (tested with their app):
# the live desk (tests/live/test_desk.py).
OWN_SCREENS = {"live.entry"}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.label_lower not in OWN_SCREENS
)


def _label(app_label, model_name):
    return f"{app_label}.{model_name}"


REGISTERED_IDS = [_label(*key) for key in REGISTERED]


def test_every_registered_model_has_a_builder_here():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - OWN_SCREENS == set(BUILDERS)
    assert registered >= OWN_SCREENS


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED, ids=REGISTERED_IDS)
def test_changelist_add_and_change_pages_open(admin_client, app_label, model_name):
    obj = BUILDERS[_label(app_label, model_name)]("Harbour")

    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    add = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    change = admin_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))

    assert changelist.status_code == 200
    assert obj in changelist.context["cl"].result_list
    assert add.status_code == (403 if model_name in READ_ONLY else 200)
    assert change.status_code == 200
    assert change.context["original"] == obj


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED, ids=REGISTERED_IDS)
def test_search_finds_the_match_and_only_the_match(admin_client, app_label, model_name):
    build = BUILDERS[_label(app_label, model_name)]
    wanted, other = build("Harbour"), build("Quarry")

    response = admin_client.get(
        reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": "harbour"}
    )

    assert response.status_code == 200
    results = list(response.context["cl"].result_list)
    assert wanted in results
    assert other not in results


def test_article_changelist_filters_and_shows_the_derived_state(admin_client, db):
    make_article(headline="Live one")
    make_article(headline="Scheduled one", publish_at="future")
    make_article(
        headline="Expired one",
        publish_at=timezone.now() - timedelta(days=2),
        unpublish_at="past",
    )
    make_article(headline="Draft one", status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_changelist")

    content = admin_client.get(url).content.decode()
    drafts = admin_client.get(url, {"status__exact": "draft"}).context["cl"].result_list

    for state in ("Live", "Scheduled", "Expired", "Draft"):
        assert f">{state}<" in content
    assert [article.headline for article in drafts] == ["Draft one"]


def test_author_autocomplete_answers_the_byline_inline(admin_client, db):
    make_author(name="Ada Reyes")
    make_author(name="Ben Okafor")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "ada"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Ada Reyes"]


# The story form with bad input.


def _management(admin_client, url):
    """The inline formsets' management fields, read from the form the admin renders."""
    response = admin_client.get(url)
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{inline.formset.prefix}-{name}"] = management[name].value()
    return data


def _story_form(admin_client, url, **fields):
    data = _management(admin_client, url)
    data.update(
        {
            "headline": "Harbour reopens",
            "slug": "harbour-reopens",
            "kicker": "",
            "dek": "The quay is open.",
            "body": "The first ferry left at dawn.",
            "section": "",
            "tags": "",
            "hero_alt": "",
            "hero_caption": "",
            "hero_credit": "",
            "status": Article.Status.DRAFT,
            "publish_at_0": "",
            "publish_at_1": "",
            "unpublish_at_0": "",
            "unpublish_at_1": "",
            "updated_at_0": "",
            "updated_at_1": "",
            "seo_title": "",
            "seo_description": "",
            "canonical_url": "",
        }
    )
    data.update(fields)
    return data


def _errors(response):
    return [str(error) for error in response.context["errors"]]


def test_a_well_formed_story_is_saved_through_the_admin(admin_client, admin_user):
    url = reverse("admin:articles_article_add")

    response = admin_client.post(url, _story_form(admin_client, url, tags="Ports, Storms"))

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body_html == "<p>The first ferry left at dawn.</p>"
    assert article.created_by == admin_user
    assert sorted(article.tags.names()) == ["Ports", "Storms"]


def test_a_body_over_the_cap_is_a_form_error_and_nothing_is_saved(admin_client, settings):
    url = reverse("admin:articles_article_add")
    body = "word " * (settings.NEWSROOM_BODY_MAX_LENGTH // 5) + "x"

    response = admin_client.post(url, _story_form(admin_client, url, body=body))

    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    assert "200,000" in " ".join(_errors(response)) or "200000" in " ".join(_errors(response))
    assert not Article.objects.exists()


def test_take_down_before_publication_is_a_form_error(admin_client, db):
    url = reverse("admin:articles_article_add")
    form = _story_form(
        admin_client,
        url,
        status=Article.Status.PUBLISHED,
        publish_at_0="2025-03-14",
        publish_at_1="12:00:00",
        unpublish_at_0="2025-03-13",
        unpublish_at_1="12:00:00",
    )

    response = admin_client.post(url, form)

    assert response.status_code == 200
    assert "The take-down time must come after the publication time." in " ".join(_errors(response))
    assert not Article.objects.exists()


def test_a_duplicate_slug_is_a_form_error(admin_client, db):
    make_article(slug="harbour-reopens")
    url = reverse("admin:articles_article_add")

    response = admin_client.post(url, _story_form(admin_client, url))

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def _teaser_row(data, **fields):
    data["teasers-TOTAL_FORMS"] = "1"
    row = {
        "position": "0",
        "target": "",
        "url": "",
        "headline": "",
        "excerpt": "",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
    }
    row.update(fields)
    data.update({f"teasers-0-{name}": value for name, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"headline": "Orphan"},
            "Pick a story, or give an external address.",
            id="neither-target-nor-url",
        ),
        pytest.param({"url": "https://example.org/", "target": "OTHER"}, "not both", id="both"),
        pytest.param({"target": "SELF"}, "cannot tease itself", id="itself"),
        pytest.param(
            {
                "url": "https://example.org/",
                "starts_at_0": "2025-03-14",
                "starts_at_1": "12:00:00",
                "ends_at_0": "2025-03-13",
                "ends_at_1": "12:00:00",
            },
            "end after it starts",
            id="window-backwards",
        ),
    ],
)
def test_a_bad_teaser_in_the_inline_is_a_form_error(admin_client, db, fields, message):
    article = make_article(headline="Host", slug="host", status=Article.Status.DRAFT)
    other = make_article()
    ids = {"SELF": str(article.pk), "OTHER": str(other.pk)}
    fields = {name: ids.get(value, value) for name, value in fields.items()}
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = _teaser_row(_story_form(admin_client, url, headline="Host", slug="host"), **fields)

    response = admin_client.post(url, form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not article.teasers.exists()


def test_a_bad_social_link_on_an_author_is_a_form_error(admin_client, db):
    response = admin_client.post(
        reverse("admin:authors_author_add"),
        {
            "name": "Ada Reyes",
            "slug": "ada-reyes",
            "job_title": "",
            "bio": "",
            "is_active": "on",
            "email": "",
            "website": "",
            "social_links": "https://social.example/@ada\njavascript:alert(1)",
            "user": "",
        },
    )

    assert response.status_code == 200
    assert "Line 2 is not a valid http(s) URL" in response.content.decode()


def test_a_teaser_targeting_its_own_story_is_a_form_error_in_the_teaser_admin(admin_client, db):
    article = make_article()

    response = admin_client.post(
        reverse("admin:articles_relatedteaser_add"),
        {
            "article": article.pk,
            "target": article.pk,
            "url": "",
            "headline": "",
            "excerpt": "",
            "position": "0",
            "starts_at_0": "",
            "starts_at_1": "",
            "ends_at_0": "",
            "ends_at_1": "",
        },
    )

    assert response.status_code == 200
    assert "A story cannot tease itself; pick another story." in response.content.decode()
    assert not article.teasers.exists()
