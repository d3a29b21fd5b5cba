"""The permission matrix extended to every admin URL: who may open it, and whose POST takes effect.

``ADMIN_URLS`` maps every URL name the admin resolves (and, for the unnamed ones, their route) to
one or more cases: the URL's arguments, taken from ``admin_world``, the answer each actor gets to a
GET, and who changes the database by POSTing there. A URL added without a row fails
``test_every_admin_url_has_a_row``. For every case and every actor the test checks the GET's answer,
that a GET changes nothing, that a POST changes the database exactly for the actors named, that
nothing is ever a 500, and that Rita's draft never shows to anyone else but the desk.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from tests.articles.admin.admin_world import SECRETS, changed_tables, database_state, form_data

ACTORS = ["anonymous", "reporter", "other_reporter", "editor", "superuser"]
STAFF = ACTORS[1:]
PASSWORD = "correct horse battery staple"  # what tests/factories.py gives every login
NEW_PASSWORD = "a quite different passphrase"

# What a GET may answer.
LOGIN = "login page"  # a 302 to the admin's login page, with a way back here
OK, FORBIDDEN, HIDDEN, NOT_ALLOWED = 200, 403, 404, 405


@dataclass(frozen=True)
class To:
    """A 302 to the place ``where(world)`` names."""

    where: Any

    def __str__(self):
        return "redirect"


def access(staff, **actors):
    """Anonymous visitors go to the login page; every staff actor gets ``staff`` unless named."""
    return {"anonymous": LOGIN, **dict.fromkeys(STAFF, staff), **actors}


EDITORS = ("editor", "superuser")
RITA_AND_EDITORS = ("reporter", "editor", "superuser")
SUPERUSER = ("superuser",)
DESK_ONLY = access(FORBIDDEN, editor=OK, superuser=OK)
SUPERUSER_ONLY = access(FORBIDDEN, superuser=OK)
RITAS_STORY = access(OK, other_reporter=HIDDEN)  # Rita's stories
ON_LIVE_STORY = access(OK, other_reporter=FORBIDDEN)  # the desk of Rita's live coverage


def pk(name):
    return lambda world: getattr(world, name).pk


def content_type(label):
    return lambda world: ContentType.objects.get_for_model(apps.get_model(label)).pk


def admin_url(name, *args):
    return lambda world: reverse(f"admin:{name}", args=[_value(arg, world) for arg in args])


# Django's answer for an object that does not exist: back to the index, with a message.
MISSING = To(admin_url("index"))
ON_RITAS_STORY = access(OK, other_reporter=MISSING)  # what hangs on them


def object_url(model, name):
    """The unnamed ``<object_id>/`` URL of a model, which redirects to the change form."""
    return lambda world: admin_url(f"{model}_changelist")(world) + f"{getattr(world, name).pk}/"


def moment(when):
    local = timezone.localtime(when)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


@dataclass(frozen=True)
class Data:
    """POST exactly these fields (values may be functions of the world)."""

    fields: dict

    def build(self, world, superuser_client, url):
        return {name: _value(value, world) for name, value in self.fields.items()}


@dataclass(frozen=True)
class Form:
    """POST the form ``form_id`` as the superuser sees it on ``page`` (default: this URL), with
    ``fields`` changed: the POST an actor would make if the page let them."""

    form_id: str
    fields: dict = field(default_factory=dict)
    page: Any = None

    def build(self, world, superuser_client, url):
        page = _value(self.page, world) if self.page else url
        response = superuser_client.get(page)
        assert response.status_code == 200, page
        data = form_data(response.content.decode(), self.form_id)
        data.update({name: _value(value, world) for name, value in self.fields.items()})
        return data


def _value(value, world):
    return value(world) if callable(value) else value


@dataclass(frozen=True)
class Case:
    get: dict
    args: tuple = ()
    query: dict | None = None
    path: Any = None  # for unnamed URLs: a function of the world
    post: Data | Form | None = None  # None: an empty POST
    changes: tuple = ()  # the actors whose POST changes the database
    label: str = ""

    def url(self, key, world):
        url = _value(self.path, world) if self.path else admin_url(key, *self.args)(world)
        if self.query:
            url += "?" + urlencode({name: _value(v, world) for name, v in self.query.items()})
        return url


def autocomplete(app_label, model_name, field_name):
    return {"app_label": app_label, "model_name": model_name, "field_name": field_name}


def redirects_to_object(model, name):
    """The unnamed ``<object_id>/`` URL: staff are sent on to the change form."""
    return Case(access(To(admin_url(f"{model}_change", pk(name)))), path=object_url(model, name))


def throttling_rows(model, name):
    return {
        f"axes_{model}_changelist": Case(SUPERUSER_ONLY),
        f"axes_{model}_add": Case(access(FORBIDDEN)),
        f"axes_{model}_change": Case(
            SUPERUSER_ONLY,
            args=(pk(name),),
            post=Form(f"{model}_form"),
            # Every field is read-only: saving only logs that nothing changed.
            changes=SUPERUSER,
        ),
        f"axes_{model}_history": Case(SUPERUSER_ONLY, args=(pk(name),)),
        f"axes_{model}_delete": Case(
            SUPERUSER_ONLY, args=(pk(name),), post=Data({"post": "yes"}), changes=SUPERUSER
        ),
        f"admin/axes/{model}/<path:object_id>/": redirects_to_object(f"axes_{model}", name),
    }


DRAFT_FORM = Form("article_form", page=admin_url("articles_article_change", pk("draft")))
PENDING = {"kind": "correction", "text": "Changed.", "article": pk("draft")}

ADMIN_URLS = {
    # The site's own pages.
    "index": Case(access(OK)),
    "login": Case({"anonymous": OK, **dict.fromkeys(STAFF, To(admin_url("index")))}),
    # Signing out is a POST, and the login log records its time.
    "logout": Case(
        {"anonymous": To(admin_url("index")), **dict.fromkeys(STAFF, NOT_ALLOWED)},
        changes=tuple(STAFF),
    ),
    "password_change": Case(
        access(OK),
        post=Data(
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            }
        ),
        changes=tuple(STAFF),
    ),
    "password_change_done": Case(access(OK)),
    "jsi18n": Case(access(OK)),
    "autocomplete": [
        Case(access(FORBIDDEN), label="no field named"),
        Case(access(OK), query=autocomplete("articles", "article", "section"), label="section"),
        Case(access(OK), query=autocomplete("articles", "byline", "author"), label="byline"),
        Case(access(OK), query=autocomplete("articles", "correction", "article"), label="story"),
        Case(access(OK), query=autocomplete("articles", "relatedteaser", "target"), label="target"),
        Case(SUPERUSER_ONLY, query=autocomplete("authors", "author", "user"), label="login"),
        Case(access(OK), query=autocomplete("fronts", "pick", "target"), label="pick"),
        Case(access(OK), query=autocomplete("fronts", "zone", "backfill_tag"), label="zone tag"),
    ],
    "view_on_site": [
        Case(
            access(To(lambda w: w.draft.get_absolute_url()), other_reporter=HIDDEN),
            args=(content_type("articles.article"), pk("draft")),
            label="draft",
        ),
        Case(
            access(To(lambda w: w.author.get_absolute_url())),
            args=(content_type("authors.author"), pk("author")),
            label="author",
        ),
        Case(
            access(HIDDEN),
            args=(content_type("auth.user"), pk("spare_user")),
            label="login without a page",
        ),
    ],
    "app_list": [
        Case(access(OK), args=("articles",), label="articles"),
        Case(access(OK), args=("authors",), label="authors"),
        Case(access(OK), args=("taggit",), label="taggit"),
        Case(access(HIDDEN, editor=OK, superuser=OK), args=("fronts",), label="fronts"),
        Case(access(HIDDEN, superuser=OK), args=("auth",), label="auth"),
        Case(access(HIDDEN, superuser=OK), args=("axes",), label="axes"),
        Case(access(OK), args=("live",), label="live"),
    ],
    "admin/(?P<url>.*)$": Case(
        access(HIDDEN), path=lambda w: reverse("admin:index") + "no-such-page/"
    ),
    # Stories.
    "articles_article_changelist": Case(access(OK)),
    "articles_article_add": Case(
        access(OK),
        post=Form(
            "article_form",
            {"headline": "Port strike ends", "slug": "port-strike-ends", "_save_draft": "1"},
        ),
        changes=tuple(STAFF),
    ),
    "articles_article_change": [
        Case(
            RITAS_STORY,
            args=(pk("draft"),),
            post=Form("article_form", {"headline": "Edited", "_save_draft": "1"}),
            changes=RITA_AND_EDITORS,
            label="draft",
        ),
        Case(
            RITAS_STORY,
            args=(pk("live"),),
            post=Form("article_form", {"headline": "Edited", "change_kind": "silent"}),
            changes=EDITORS,
            label="live",
        ),
    ],
    "articles_article_history": Case(RITAS_STORY, args=(pk("draft"),)),
    "articles_article_delete": Case(
        DESK_ONLY, args=(pk("draft"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "admin/articles/article/<path:object_id>/": redirects_to_object("articles_article", "draft"),
    "articles_article_markdown": Case(access(NOT_ALLOWED), post=Data({"body": "*Hello*"})),
    "articles_article_preview_new": Case(
        access(HIDDEN),
        post=Form(
            "article_form",
            {"headline": "Port strike ends", "slug": "port-strike-ends"},
            page=admin_url("articles_article_add"),
        ),
    ),
    "articles_article_preview": Case(RITAS_STORY, args=(pk("draft"),), post=DRAFT_FORM),
    "articles_article_share": Case(access(NOT_ALLOWED, other_reporter=HIDDEN), args=(pk("draft"),)),
    "articles_article_compare": [
        Case(
            RITAS_STORY,
            args=(pk("draft"),),
            query={"from": pk("first_version"), "to": pk("second_version")},
            label="two versions",
        ),
        Case(
            access(To(admin_url("articles_article_history", pk("draft"))), other_reporter=HIDDEN),
            args=(pk("draft"),),
            label="no versions",
        ),
    ],
    "articles_article_revision": Case(
        RITAS_STORY,
        args=(pk("draft"), pk("first_version")),
        post=Form("article_form", {"_save_draft": "1"}),
        changes=RITA_AND_EDITORS,
    ),
    "articles_article_recoverlist": Case(DESK_ONLY),
    "articles_article_recover": [
        Case(
            DESK_ONLY,
            args=(pk("deleted_version"),),
            post=Form("article_form", {"change_kind": "silent"}),
            changes=EDITORS,
            label="deleted story",
        ),
        # Only deleted stories are recovered; a story that exists is reverted from its history.
        Case(
            access(FORBIDDEN, editor=HIDDEN, superuser=HIDDEN),
            args=(pk("first_version"),),
            post=Form("article_form", {"_save_draft": "1"}, page=DRAFT_FORM.page),
            label="existing story",
        ),
    ],
    # Sections.
    "articles_section_changelist": Case(
        access(OK),
        post=Form("changelist-form", {"form-0-position": "7", "_save": "Save"}),
        changes=EDITORS,
    ),
    "articles_section_add": Case(
        DESK_ONLY,
        post=Form("section_form", {"name": "Opinion", "slug": "opinion"}),
        changes=EDITORS,
    ),
    "articles_section_change": Case(
        access(OK),
        args=(pk("section"),),
        post=Form("section_form", {"name": "Globe"}),
        changes=EDITORS,
    ),
    "articles_section_history": Case(access(OK), args=(pk("section"),)),
    "articles_section_delete": Case(
        DESK_ONLY, args=(pk("spare_section"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "admin/articles/section/<path:object_id>/": redirects_to_object("articles_section", "section"),
    # Corrections: append-only once public.
    "articles_correction_changelist": Case(access(OK)),
    "articles_correction_add": Case(
        DESK_ONLY,
        post=Form("correction_form", {"article": pk("live"), "text": "A new correction."}),
        changes=EDITORS,
    ),
    "articles_correction_change": [
        Case(
            ON_RITAS_STORY,
            args=(pk("pending_correction"),),
            post=Form("correction_form", {"text": "Changed."}),
            changes=EDITORS,
            label="pending",
        ),
        Case(
            ON_RITAS_STORY,
            args=(pk("public_correction"),),
            post=Data(
                {
                    **PENDING,
                    "article": pk("live"),
                    "published_at_0": lambda w: moment(w.public_correction.published_at)[0],
                    "published_at_1": lambda w: moment(w.public_correction.published_at)[1],
                }
            ),
            label="public",
        ),
    ],
    "articles_correction_history": Case(ON_RITAS_STORY, args=(pk("pending_correction"),)),
    "articles_correction_delete": [
        Case(
            DESK_ONLY,
            args=(pk("pending_correction"),),
            post=Data({"post": "yes"}),
            changes=EDITORS,
            label="pending",
        ),
        Case(
            access(FORBIDDEN),
            args=(pk("public_correction"),),
            post=Data({"post": "yes"}),
            label="public",
        ),
    ],
    "admin/articles/correction/<path:object_id>/": redirects_to_object(
        "articles_correction", "pending_correction"
    ),
    # Teasers, their schedule and their audit trail.
    "articles_relatedteaser_changelist": Case(access(OK)),
    "articles_relatedteaser_add": Case(
        DESK_ONLY,
        post=Form(
            "relatedteaser_form",
            {"article": pk("live"), "url": "https://example.com/", "headline": "Elsewhere"},
        ),
        changes=EDITORS,
    ),
    "articles_relatedteaser_change": Case(
        ON_RITAS_STORY,
        args=(pk("teaser"),),
        post=Form("relatedteaser_form", {"headline": "Changed"}),
        changes=EDITORS,
    ),
    "articles_relatedteaser_history": Case(ON_RITAS_STORY, args=(pk("teaser"),)),
    "articles_relatedteaser_delete": Case(
        DESK_ONLY, args=(pk("teaser"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "admin/articles/relatedteaser/<path:object_id>/": redirects_to_object(
        "articles_relatedteaser", "teaser"
    ),
    "articles_relatedteaser_schedule": Case(access(OK)),
    "articles_relatedteaser_strip": Case(RITAS_STORY, args=(pk("draft"),)),
    "articles_placementevent_changelist": Case(access(OK)),
    "articles_placementevent_add": Case(access(FORBIDDEN)),
    "articles_placementevent_change": Case(
        ON_RITAS_STORY, args=(pk("teaser_event"),), post=Data({"description": "Rewritten."})
    ),
    "articles_placementevent_history": Case(ON_RITAS_STORY, args=(pk("teaser_event"),)),
    "articles_placementevent_delete": Case(
        access(FORBIDDEN), args=(pk("teaser_event"),), post=Data({"post": "yes"})
    ),
    "admin/articles/placementevent/<path:object_id>/": redirects_to_object(
        "articles_placementevent", "teaser_event"
    ),
    # Fronts: the desk's alone; reporters may not even look (a front may show stories not yet
    # public).
    "fronts_front_changelist": Case(DESK_ONLY),
    "fronts_front_add": Case(
        DESK_ONLY,
        post=Form("front_form", {"kind": "section", "section": pk("spare_section")}),
        changes=EDITORS,
    ),
    "fronts_front_change": Case(
        DESK_ONLY,
        args=(pk("front"),),
        post=Form("front_form", {"zones-0-heading": "Changed"}),
        changes=EDITORS,
    ),
    "fronts_front_history": Case(DESK_ONLY, args=(pk("front"),)),
    "fronts_front_delete": Case(
        DESK_ONLY, args=(pk("spare_front"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "fronts_front_as_of": [
        Case(DESK_ONLY, args=(pk("front"),), query={"at": "2030-01-01T10:00"}, label="a moment"),
        Case(DESK_ONLY, args=(pk("front"),), label="the form"),
        Case(
            access(FORBIDDEN, editor=400, superuser=400),
            args=(pk("front"),),
            query={"at": "2030-13-45T10:00"},
            label="no such date",
        ),
    ],
    "admin/fronts/front/<path:object_id>/": redirects_to_object("fronts_front", "front"),
    "fronts_zone_changelist": Case(DESK_ONLY),
    "fronts_zone_add": Case(
        DESK_ONLY,
        post=Form("zone_form", {"front": pk("front"), "heading": "More", "layout": "list"}),
        changes=EDITORS,
    ),
    "fronts_zone_change": Case(
        DESK_ONLY,
        args=(pk("zone"),),
        post=Form("zone_form", {"heading": "Renamed", "picks-0-headline": "Changed"}),
        changes=EDITORS,
    ),
    "fronts_zone_history": Case(DESK_ONLY, args=(pk("zone"),)),
    "fronts_zone_delete": Case(
        DESK_ONLY, args=(pk("spare_zone"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "admin/fronts/zone/<path:object_id>/": redirects_to_object("fronts_zone", "zone"),
    "fronts_pick_changelist": Case(DESK_ONLY),
    "fronts_pick_add": Case(
        DESK_ONLY,
        post=Form(
            "pick_form",
            {"zone": pk("zone"), "url": "https://example.com/", "headline": "Elsewhere"},
        ),
        changes=EDITORS,
    ),
    "fronts_pick_change": Case(
        DESK_ONLY,
        args=(pk("pick"),),
        post=Form("pick_form", {"headline": "Changed"}),
        changes=EDITORS,
    ),
    "fronts_pick_history": Case(DESK_ONLY, args=(pk("pick"),)),
    "fronts_pick_delete": Case(
        DESK_ONLY, args=(pk("spare_pick"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "admin/fronts/pick/<path:object_id>/": redirects_to_object("fronts_pick", "pick"),
    # The live desk: the reporters on the story's byline and the desk post, edit and flag
    # entries; only the desk removes a published one, and starts and ends coverage.
    "live_entry_changelist": Case(access(OK)),
    "live_entry_desk": Case(
        ON_LIVE_STORY,
        args=(pk("live_story"),),
        post=Data({"body": "Posted from the desk.", "author": lambda w: w.reporter.author.pk}),
        changes=RITA_AND_EDITORS,
    ),
    "live_entry_start": Case(
        DESK_ONLY, args=(pk("live"),), post=Data({}), changes=EDITORS, label="plain story"
    ),
    "live_entry_end": Case(DESK_ONLY, args=(pk("live_story"),), post=Data({}), changes=EDITORS),
    "live_entry_edit": Case(
        ON_LIVE_STORY,
        args=(pk("live_entry"),),
        post=Form("entry_edit_form", {"body": "Edited on the desk."}),
        changes=RITA_AND_EDITORS,
    ),
    "live_entry_flag": Case(
        access(HIDDEN),
        args=(pk("live_entry"),),
        post=Data({"flag": "pin", "base_version": 1}),
        changes=RITA_AND_EDITORS,
    ),
    "live_entry_delete": [
        Case(
            DESK_ONLY,
            args=(pk("live_entry"),),
            post=Data({}),
            changes=EDITORS,
            label="published",
        ),
        Case(
            ON_LIVE_STORY,
            args=(pk("scheduled_entry"),),
            post=Data({}),
            changes=RITA_AND_EDITORS,
            label="scheduled",
        ),
    ],
    "live_entry_history": Case(ON_LIVE_STORY, args=(pk("live_entry"),)),
    # Authors: reporters edit their own profile only.
    "authors_author_changelist": Case(access(OK)),
    "authors_author_add": Case(
        DESK_ONLY,
        post=Form("author_form", {"name": "New Writer", "slug": "new-writer"}),
        changes=EDITORS,
    ),
    "authors_author_change": Case(
        access(OK),
        args=(pk("author"),),
        post=Form("author_form", {"job_title": "Defence correspondent"}),
        changes=RITA_AND_EDITORS,
    ),
    "authors_author_history": Case(access(OK), args=(pk("author"),)),
    "authors_author_delete": Case(
        DESK_ONLY, args=(pk("spare_author"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    "admin/authors/author/<path:object_id>/": redirects_to_object("authors_author", "author"),
    # Tags: anyone on the staff may add one; changing, merging and deleting is the desk's.
    "taggit_tag_changelist": Case(access(OK)),
    "taggit_tag_add": Case(
        access(OK),
        post=Form("tag_form", {"name": "Ports", "slug": "ports"}),
        changes=tuple(STAFF),
    ),
    "taggit_tag_change": Case(
        access(OK), args=(pk("tag"),), post=Form("tag_form", {"name": "Harbours"}), changes=EDITORS
    ),
    "taggit_tag_history": Case(access(OK), args=(pk("tag"),)),
    "taggit_tag_delete": Case(
        DESK_ONLY, args=(pk("spare_tag"),), post=Data({"post": "yes"}), changes=EDITORS
    ),
    # Without tags chosen in the list (bulk action "merge"), the desk is sent back there.
    "taggit_tag_merge_tags": Case(
        access(FORBIDDEN, **dict.fromkeys(EDITORS, To(admin_url("taggit_tag_changelist")))),
        post=Data({"new_tag_name": "merged"}),
    ),
    "admin/taggit/tag/<path:object_id>/": redirects_to_object("taggit_tag", "tag"),
    # Logins and groups: superusers only.
    "auth_user_changelist": Case(SUPERUSER_ONLY),
    "auth_user_add": Case(
        SUPERUSER_ONLY,
        post=Form(
            "user_form",
            {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
        changes=SUPERUSER,
    ),
    "auth_user_change": Case(
        SUPERUSER_ONLY,
        args=(pk("reporter"),),
        post=Form("user_form", {"is_superuser": "on"}),
        changes=SUPERUSER,
    ),
    "auth_user_history": Case(SUPERUSER_ONLY, args=(pk("reporter"),)),
    "auth_user_delete": Case(
        SUPERUSER_ONLY, args=(pk("spare_user"),), post=Data({"post": "yes"}), changes=SUPERUSER
    ),
    "auth_user_password_change": Case(
        SUPERUSER_ONLY,
        args=(pk("spare_user"),),
        post=Form("user_form", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
        changes=SUPERUSER,
    ),
    "admin/auth/user/<path:object_id>/": redirects_to_object("auth_user", "spare_user"),
    "auth_group_changelist": Case(SUPERUSER_ONLY),
    "auth_group_add": Case(
        SUPERUSER_ONLY, post=Form("group_form", {"name": "Cabal"}), changes=SUPERUSER
    ),
    "auth_group_change": Case(
        SUPERUSER_ONLY,
        args=(pk("group"),),
        post=Form("group_form", {"name": "Renamed"}),
        changes=SUPERUSER,
    ),
    "auth_group_history": Case(SUPERUSER_ONLY, args=(pk("group"),)),
    "auth_group_delete": Case(
        SUPERUSER_ONLY, args=(pk("group"),), post=Data({"post": "yes"}), changes=SUPERUSER
    ),
    "admin/auth/group/<path:object_id>/": redirects_to_object("auth_group", "group"),
    # Login throttling records: superusers only, and nobody adds one by hand.
    **throttling_rows("accessattempt", "access_attempt"),
    **throttling_rows("accesslog", "access_log"),
    **throttling_rows("accessfailurelog", "access_failure"),
}


def _cases(value):
    return value if isinstance(value, list) else [value]


CASES = [(key, index) for key, value in ADMIN_URLS.items() for index in range(len(_cases(value)))]


def _case_id(key, index):
    label = _cases(ADMIN_URLS[key])[index].label
    return f"{key}[{label}]" if label else key


def _route(parts):
    return "".join(str(part).removeprefix("^") for part in parts)


def admin_url_keys():
    """Every URL the admin answers: its name, or its route when it has none."""
    keys = []

    def walk(patterns, parts, in_admin):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inside = in_admin or pattern.namespace == "admin"
                walk(pattern.url_patterns, [*parts, pattern.pattern], inside)
            elif in_admin:
                keys.append(pattern.name or _route([*parts, pattern.pattern]))

    walk(get_resolver().url_patterns, [], False)
    return keys


def test_every_admin_url_has_a_row():
    found = admin_url_keys()
    assert len(found) > 90  # the walk reached the admin
    assert sorted(set(found)) == sorted(ADMIN_URLS)


def _key_of(url):
    match = resolve(urlsplit(url).path)
    return match.url_name or match.route


def _client(world, actor):
    client = Client()
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    return client


def _answer(response, world, expected):
    """The response in the table's terms, when it differs from what was expected."""
    status = response.status_code
    if status != 302:
        return status
    location = urlsplit(response["Location"])
    if expected == LOGIN:
        login = reverse("admin:login")
        return LOGIN if location.path == login and "next=" in location.query else location.path
    if isinstance(expected, To):
        return expected if location.path == _value(expected.where, world) else location.path
    return f"302 to {location.path}"


def _shows_secret(response):
    text = response.content.decode(errors="replace") + response.get("Location", "")
    return any(secret in text for secret in SECRETS)


@pytest.mark.parametrize(("key", "index"), CASES, ids=[_case_id(*case) for case in CASES])
def test_admin_url(admin_world, key, index):
    world = admin_world
    case = _cases(ADMIN_URLS[key])[index]
    url = case.url(key, world)
    assert _key_of(url) == key
    assert set(case.get) == set(ACTORS)
    clients = {actor: _client(world, actor) for actor in ACTORS}
    data = case.post.build(world, clients["superuser"], url) if case.post else {}
    before = database_state()
    problems = {}
    for actor in ACTORS:
        client, expected = clients[actor], case.get[actor]
        response = client.get(url)
        answer = _answer(response, world, expected)
        assert response.status_code < 500, f"GET as {actor}"
        if answer != expected:
            problems[f"GET as {actor}"] = f"expected {expected}, got {answer}"
        if database_state() != before:
            problems[f"GET as {actor} changed"] = changed_tables(before, database_state())
        denied = answer in (LOGIN, FORBIDDEN, HIDDEN, NOT_ALLOWED)
        if (denied or actor not in RITA_AND_EDITORS) and _shows_secret(response):
            problems[f"GET as {actor} shows"] = "Rita's draft"
        with transaction.atomic():
            response = client.post(url, data)
            after = database_state()
            transaction.set_rollback(True)
        assert response.status_code < 500, f"POST as {actor}"
        changed = changed_tables(before, after)
        if bool(changed) != (actor in case.changes):
            problems[f"POST as {actor}"] = f"{response.status_code}, changed {changed or 'nothing'}"
        if actor == "anonymous" and _answer(response, world, expected) != expected:
            problems["POST as anonymous"] = f"expected {expected}, got {response.status_code}"
        if actor not in RITA_AND_EDITORS and _shows_secret(response):
            problems[f"POST as {actor} shows"] = "Rita's draft"
    assert problems == {}
