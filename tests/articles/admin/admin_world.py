"""One of everything the admin shows, for the URL and bulk-action matrices.

``build_admin_world(newsroom)`` adds to the workflow cast a superuser and an object for every
argument an admin URL takes: Rita's draft (the protected content: no one but Rita and the desk may
read its headline), her live story, two saved versions and a deleted story's version, a teaser and
its audit entry, corrections (public and not yet), her live coverage with a published and a
scheduled entry, authors, a spare section, tag, group and login,
and a row for each of the login-throttling tables.
"""

from datetime import timedelta
from types import SimpleNamespace

import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, PlacementEvent
from fronts import services as front_services
from fronts.models import Front, Pick
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
from tests.htmltree import parse
from tests.live.desk_client import live_story_of

SECRET_HEADLINE = "Secret merger talks"
SECRET_SLUG = "secret-merger-talks"
SECRETS = (SECRET_HEADLINE, SECRET_SLUG)

# Rows that change without anyone changing content: who is signed in, and fixed lookup tables.
UNWATCHED = {"sessions.session", "contenttypes.contenttype", "auth.permission"}


def _save_version(article, by, **changes):
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
        reversion.set_user(by)
        reversion.set_comment("Saved by the desk.")
    return Version.objects.get_for_object(article).order_by("-pk").first()


def _throttling_rows():
    fields = {"user_agent": "curl", "ip_address": "192.0.2.7", "username": "mallory"}
    fields.update(http_accept="*/*", path_info="/admin/login/")
    # Recent: every sign-in clears attempts older than the cool-off.
    attempt = AccessAttempt.objects.create(
        get_data="", post_data="username=mallory", failures_since_start=2, **fields
    )
    return attempt, AccessLog.objects.create(**fields), AccessFailureLog.objects.create(**fields)


def build_admin_world(newsroom):
    rita, editor = newsroom.reporter, newsroom.editor
    live = make_article(
        headline="Harbour reopens",
        slug="harbour-reopens",
        section=newsroom.section,
        created_by=rita,
        authors=[rita.author],
        tags=["harbour"],
    )
    draft = make_article(
        headline=SECRET_HEADLINE,
        slug=SECRET_SLUG,
        status=Article.Status.DRAFT,
        publish_at=None,
        section=newsroom.section,
        created_by=rita,
        authors=[rita.author],
        tags=["harbour"],
        body="First draft.",
    )
    teaser = make_teaser(article=draft, target=live, headline="Also today")
    PlacementEvent.record(placement=teaser, action=PlacementEvent.Action.ADDED, by=editor)
    # A correction written ahead of time may still be changed; a public one never.
    pending = make_correction(article=draft, published_at=timezone.now() + timedelta(days=1))
    first = _save_version(draft, editor)
    second = _save_version(draft, editor, body="Second draft.")
    pulled = make_article(headline="Pulled story", slug="pulled-story", created_by=rita)
    _save_version(pulled, editor)
    pulled_id = str(pulled.pk)
    pulled.delete()
    throttling = _throttling_rows()
    home = make_front()
    pick = front_services.save_pick(pick=Pick(zone=home.zones.first(), target=live), by=editor)
    spare_zone = make_zone(front=make_front(kind=Front.Kind.BANNER), layout="banner", size=1)
    # Rita's live coverage: a published entry and one scheduled for later.
    live_story, live_entry, scheduled_entry = live_story_of(
        rita,
        headline="Storm reaches the coast",
        slug="storm-reaches-the-coast",
        section=newsroom.section,
        created_by=rita,
    )
    return SimpleNamespace(
        **vars(newsroom),
        superuser=make_user(username="sam", is_staff=True, is_superuser=True),
        draft=draft,
        live=live,
        teaser=teaser,
        teaser_event=PlacementEvent.of(teaser).get(),
        pending_correction=pending,
        public_correction=make_correction(article=live),
        first_version=first,
        second_version=second,
        deleted_version=Version.objects.get_deleted(Article).get(object_id=pulled_id),
        author=rita.author,
        spare_author=make_author(name="Wire Desk"),
        spare_section=make_section(name="Spare"),
        tag=Tag.objects.get(name="harbour"),
        spare_tag=Tag.objects.create(name="spare", slug="spare"),
        group=Group.objects.create(name="Interns"),
        spare_user=make_user(username="mallory"),
        access_attempt=throttling[0],
        access_log=throttling[1],
        access_failure=throttling[2],
        front=home,
        zone=pick.zone,
        pick=pick,
        spare_front=spare_zone.front,
        spare_zone=spare_zone,
        spare_pick=make_pick(zone=spare_zone, url="https://example.com/", headline="Elsewhere"),
        live_story=live_story,
        live_entry=live_entry,
        scheduled_entry=scheduled_entry,
    )


def database_state():
    """Every row of every table a user could change through the admin, in key order."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.proxy or label in UNWATCHED:
            continue
        state[label] = list(model._base_manager.order_by("pk").values_list())
    return state


def changed_tables(before, after):
    return sorted(label for label in after if before.get(label) != after[label])


def form_data(html, form_id):
    """What a browser sends from the form ``form_id`` as rendered, before any button is pressed."""
    form = parse(html).one("form", id=form_id)
    data = {}
    for element in form.iter():
        name = element.attrs.get("name")
        if not name or "disabled" in element.attrs:
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if "checked" in element.attrs:
                    data.setdefault(name, []).append(element.attrs.get("value") or "on")
                continue
            data.setdefault(name, []).append(element.attrs.get("value") or "")
        elif element.tag == "textarea":
            # A browser drops the newline that follows the opening tag.
            data.setdefault(name, []).append(element.text.removeprefix("\n"))
        elif element.tag == "select":
            options = element.find_all("option")
            chosen = [option for option in options if "selected" in option.attrs]
            if not chosen and "multiple" not in element.attrs:
                chosen = options[:1]
            values = [option.attrs.get("value", option.text) for option in chosen]
            data.setdefault(name, []).extend(values)
    return data
