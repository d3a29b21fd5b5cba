"""The editors' screen for fronts: picks added, moved, re-timed and removed are recorded with who
and when; the second of two saves from the same version is refused; only the desk may change a
front; "front as of" draws the page readers will see at a moment."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import PlacementEvent
from fronts.models import Front, Pick, Zone
from tests.articles.admin.admin_world import database_state, form_data
from tests.factories import (
    make_article,
    make_editor,
    make_front,
    make_pick,
    make_reporter,
    make_section,
    make_user,
    make_zone,
)

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
ADDED, CHANGED, MOVED, REMOVED = (
    PlacementEvent.Action.ADDED,
    PlacementEvent.Action.CHANGED,
    PlacementEvent.Action.MOVED,
    PlacementEvent.Action.REMOVED,
)


@pytest.fixture
def edna(db):
    return make_editor(username="edna", first_name="Edna", last_name="Editor")


@pytest.fixture
def eric(db):
    return make_editor(username="eric", first_name="Eric", last_name="Second")


@pytest.fixture
def uncached(settings):
    settings.NEWSROOM_PAGE_CACHE = False


def as_user(client, user):
    client.force_login(user)
    return client


def zone_url(zone):
    return reverse("admin:fronts_zone_change", args=[zone.pk])


def front_url(front):
    return reverse("admin:fronts_front_change", args=[front.pk])


def as_of_url(front, at):
    return reverse("admin:fronts_front_as_of", args=[front.pk]) + f"?at={at}"


def shown_form(client, url, form_id):
    """What the browser would send from the form as the page shows it now."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def moment_fields(name, moment):
    local = timezone.localtime(moment)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def add_row(data, prefix, **fields):
    """Add a row to the inline ``prefix`` as "Add another" does: the blank row's fields, then
    ``fields``."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    blank = f"{prefix}-__prefix__-"
    for name, value in list(data.items()):
        if name.startswith(blank):
            data[f"{prefix}-{index}-" + name.removeprefix(blank)] = value
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def row_of(data, prefix, obj):
    """The inline row (its index) showing ``obj``."""
    for name, value in data.items():
        if name.startswith(f"{prefix}-") and name.endswith("-id") and value == [str(obj.pk)]:
            return name.split("-")[1]
    raise AssertionError(f"{obj} is not in the form")


@pytest.fixture
def desk(edna):
    """The home front's lead zone, with two stories picked in it."""
    zone = make_zone(front=make_front(), heading="Lead", layout="list", size=4, position=9)
    first = make_pick(zone=zone, target=make_article(headline="Harbour reopens"), position=1)
    second = make_pick(zone=zone, target=make_article(headline="Ferry strike"), position=2)
    return zone, first, second


# Picks added, moved, re-timed and removed, each recorded with who and when.


def test_picks_added_moved_retimed_and_removed_on_the_zone_page_are_recorded(client, desk, edna):
    zone, first, second = desk
    front = zone.front
    story = make_article(headline="Cranes return")
    as_user(client, edna)
    url = zone_url(zone)
    version = Front.objects.get(pk=front.pk).version

    added_at = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_current_timezone())
    data = add_row(
        shown_form(client, url, "zone_form"), "picks", target=str(story.pk), position="3"
    )
    with time_machine.travel(added_at, tick=False):
        assert client.post(url, data).status_code == 302
    added = Pick.objects.get(target=story)
    event = PlacementEvent.of(added).get()
    assert (event.action, event.by, event.at, event.article) == (ADDED, edna, added_at, story)

    moved_at = added_at + HOUR
    data = shown_form(client, url, "zone_form")
    data[f"picks-{row_of(data, 'picks', first)}-position"] = ["2"]
    data[f"picks-{row_of(data, 'picks', second)}-position"] = ["1"]
    with time_machine.travel(moved_at, tick=False):
        assert client.post(url, data).status_code == 302
    assert list(zone.picks.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
        added.pk,
    ]
    for pick in (first, second):
        event = PlacementEvent.of(pick).get()
        assert (event.action, event.changed_fields, event.by, event.at) == (
            MOVED,
            "position",
            edna,
            moved_at,
        )

    retimed_at = moved_at + HOUR
    data = shown_form(client, url, "zone_form")
    row = row_of(data, "picks", added)
    data |= moment_fields(f"picks-{row}-starts_at", retimed_at + HOUR)
    data |= moment_fields(f"picks-{row}-ends_at", retimed_at + 5 * HOUR)
    with time_machine.travel(retimed_at, tick=False):
        assert client.post(url, data).status_code == 302
    event = PlacementEvent.of(added).first()
    assert (event.action, event.changed_fields, event.by, event.at) == (
        CHANGED,
        "starts_at, ends_at",
        edna,
        retimed_at,
    )
    assert Pick.objects.get(pk=added.pk).starts_at == retimed_at + HOUR

    removed_at = retimed_at + HOUR
    data = shown_form(client, url, "zone_form")
    data[f"picks-{row_of(data, 'picks', first)}-DELETE"] = ["on"]
    with time_machine.travel(removed_at, tick=False):
        assert client.post(url, data).status_code == 302
    assert not Pick.objects.filter(pk=first.pk).exists()
    event = PlacementEvent.of(first).first()
    assert (event.action, event.by, event.at) == (REMOVED, edna, removed_at)
    assert "Harbour reopens" in event.description

    # Each saved change counted the front's version up, and it names the last editor.
    front.refresh_from_db()
    assert front.version > version + 3
    assert (front.changed_by, front.changed_at) == (edna, removed_at)


def test_a_pick_changed_and_deleted_on_its_own_page_is_recorded(client, desk, edna):
    zone, first, _ = desk
    as_user(client, edna)
    url = reverse("admin:fronts_pick_change", args=[first.pk])
    data = shown_form(client, url, "pick_form")
    data["headline"] = ["Harbour reopens at last"]
    assert client.post(url, data).status_code == 302
    event = PlacementEvent.of(first).get()
    assert (event.action, event.changed_fields, event.by) == (CHANGED, "headline", edna)

    delete = reverse("admin:fronts_pick_delete", args=[first.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Pick.objects.filter(pk=first.pk).exists()
    assert PlacementEvent.of(first).first().action == REMOVED


def test_removing_a_zone_or_a_front_records_the_removal_of_each_of_its_picks(client, desk, edna):
    zone, first, second = desk
    as_user(client, edna)
    data = shown_form(client, front_url(zone.front), "front_form")
    data[f"zones-{row_of(data, 'zones', zone)}-DELETE"] = ["on"]
    assert client.post(front_url(zone.front), data).status_code == 302
    assert not Zone.objects.filter(pk=zone.pk).exists()
    for pick in (first, second):
        assert PlacementEvent.of(pick).first().action == REMOVED

    banner = make_front(kind=Front.Kind.BANNER)
    pick = make_pick(zone=make_zone(front=banner, layout="banner", size=1), target=first.target)
    delete = reverse("admin:fronts_front_delete", args=[banner.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Front.objects.filter(pk=banner.pk).exists()
    assert (PlacementEvent.of(pick).get().action, PlacementEvent.of(pick).get().by) == (
        REMOVED,
        edna,
    )


def test_zones_reorder_on_the_fronts_page(client, desk, edna):
    zone = desk[0]
    front = zone.front
    as_user(client, edna)
    data = shown_form(client, front_url(front), "front_form")
    data[f"zones-{row_of(data, 'zones', zone)}-position"] = ["0"]
    for other in front.zones.exclude(pk=zone.pk):
        data[f"zones-{row_of(data, 'zones', other)}-position"] = [str(other.position + 1)]
    assert client.post(front_url(front), data).status_code == 302
    assert front.zones.order_by("position", "id").first() == zone


# The front's page: zones in order, their picks in order, the latest audit records.


def test_the_fronts_page_shows_its_zones_in_order_with_their_picks_and_the_audit(
    client, desk, edna
):
    zone, first, second = desk
    make_pick(
        zone=zone,
        target=make_article(headline="Budget day"),
        position=3,
        starts_at=timezone.now() + HOUR,
    )
    as_user(client, edna)
    url = zone_url(zone)
    data = shown_form(client, url, "zone_form")
    data[f"picks-{row_of(data, 'picks', second)}-headline"] = ["Ferry strike: day two"]
    assert client.post(url, data).status_code == 302

    page = client.get(front_url(zone.front)).content.decode()
    zones = [z.heading for z in zone.front.zones.order_by("position", "id")]
    assert [page.index(f'class="inline_label">{name}') for name in zones] == sorted(
        page.index(f'class="inline_label">{name}') for name in zones
    )
    lead = page[page.index('class="inline_label">Lead') :]
    order = [
        lead.index(text) for text in ("Harbour reopens", "Ferry strike: day two", "Budget day")
    ]
    assert order == sorted(order)
    assert "Waiting for its window" in lead[order[2] :]
    assert zone_url(zone) in lead
    # The latest record, and the way to all of them.
    audit = page[page.index("Latest changes to the picks") :]
    assert "Ferry strike: day two" in audit and "Edna Editor" in audit
    assert "holder_pk=" in audit


def test_the_full_audit_list_of_a_front_holds_its_picks_records_only(client, desk, edna):
    zone, first, _ = desk
    as_user(client, edna)
    client.post(reverse("admin:fronts_pick_delete", args=[first.pk]), {"post": "yes"})
    elsewhere = make_zone(front=make_front(kind=Front.Kind.BANNER), layout="banner", size=1)
    other = make_pick(zone=elsewhere, url="https://example.com/", headline="Not here")
    client.post(reverse("admin:fronts_pick_delete", args=[other.pk]), {"post": "yes"})
    page = client.get(front_url(zone.front)).content.decode()
    link = page[page.index("/admin/articles/placementevent/?holder") :].split('"')[0]
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Harbour reopens" in listed
    assert "Not here" not in listed


def test_a_storys_history_link_lists_the_records_of_its_picks(client, desk, edna):
    zone, first, _ = desk
    as_user(client, edna)
    client.post(reverse("admin:fronts_pick_delete", args=[first.pk]), {"post": "yes"})
    story = first.target
    page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    link = reverse("admin:articles_placementevent_changelist") + f"?article__id__exact={story.pk}"
    assert link.replace("&", "&amp;") in page or link in page
    listed = client.get(link).content.decode()
    assert "Lead: “Harbour reopens”" in listed
    assert "Removed" in listed


# A story picked twice: allowed, with a warning.


def test_a_story_picked_twice_with_overlapping_windows_saves_with_a_warning(client, desk, edna):
    zone, first, _ = desk
    other_zone = make_zone(front=zone.front, heading="More", layout="grid", size=4, position=10)
    as_user(client, edna)
    url = zone_url(other_zone)
    data = add_row(shown_form(client, url, "zone_form"), "picks", target=str(first.target_id))
    data |= moment_fields("picks-0-ends_at", timezone.now() + HOUR)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Pick.objects.filter(target=first.target).count() == 2
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("“Harbour reopens” is picked twice" in w and "shows twice" in w for w in warnings)


def test_a_story_picked_twice_in_windows_that_do_not_overlap_saves_without_a_warning(
    client, desk, edna
):
    zone, first, _ = desk
    # Whole minutes: the form's boxes stop at seconds.
    now = timezone.now().replace(second=0, microsecond=0)
    first.starts_at, first.ends_at = now, now + HOUR
    first.save()
    as_user(client, edna)
    url = zone_url(zone)
    data = add_row(shown_form(client, url, "zone_form"), "picks", target=str(first.target_id))
    data |= moment_fields("picks-2-starts_at", first.ends_at)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Pick.objects.filter(target=first.target).count() == 2
    assert not [m for m in get_messages(response.wsgi_request) if "twice" in str(m)]


# Edit conflicts: the second of two saves from the same version is refused, its input kept.


@pytest.mark.parametrize("screen", ["front", "zone", "pick"])
def test_the_second_editor_is_refused_naming_the_first_and_keeps_their_input(
    client, desk, edna, eric, screen
):
    zone, first, _ = desk
    url, form_id, field = {
        "front": (front_url(zone.front), "front_form", "zones-{row}-heading"),
        "zone": (zone_url(zone), "zone_form", "heading"),
        "pick": (reverse("admin:fronts_pick_change", args=[first.pk]), "pick_form", "headline"),
    }[screen]
    # Both open the same screen: each form carries the front's version as it is now.
    as_user(client, edna)
    form_of_edna = shown_form(client, url, form_id)
    as_user(client, eric)
    form_of_eric = shown_form(client, url, form_id)
    assert form_of_edna["base_version"] == form_of_eric["base_version"]
    field = field.format(row=row_of(form_of_edna, "zones", zone)) if screen == "front" else field
    form_of_edna[field] = ["Edna's words"]
    form_of_eric[field] = ["Eric's careful new words"]

    changed_at = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_current_timezone())
    as_user(client, edna)
    with time_machine.travel(changed_at, tick=False):
        assert client.post(url, form_of_edna).status_code == 302
    as_user(client, eric)
    before = database_state()
    response = client.post(url, form_of_eric)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This front was changed by Edna Editor at 2 Mar 2026, 9:30 a.m." in page
    assert "Eric&#x27;s careful new words" in page  # still in the form, nothing lost
    assert database_state() == before
    stored = Zone.objects.get(pk=zone.pk) if screen != "pick" else Pick.objects.get(pk=first.pk)
    assert "Edna's words" in (stored.headline if screen == "pick" else stored.heading)


def test_after_a_refusal_the_reloaded_form_saves(client, desk, edna, eric):
    zone = desk[0]
    url = zone_url(zone)
    as_user(client, edna)
    stale = shown_form(client, url, "zone_form")
    stale["heading"] = ["Edna's"]
    assert client.post(url, stale).status_code == 302
    as_user(client, eric)
    fresh = shown_form(client, url, "zone_form")
    fresh["heading"] = ["Eric's"]
    assert client.post(url, fresh).status_code == 302
    assert Zone.objects.get(pk=zone.pk).heading == "Eric's"
    assert Front.objects.get(pk=zone.front_id).changed_by == eric


def test_the_version_check_locks_the_fronts_row_until_the_save_ends(client, desk, edna):
    """Two saves cannot both pass the check: the front's row is locked (PostgreSQL) until the
    save commits, or the whole save is one IMMEDIATE write transaction (SQLite)."""
    zone = desk[0]
    as_user(client, edna)
    data = shown_form(client, zone_url(zone), "zone_form")
    data["heading"] = ["Locked"]
    with CaptureQueriesContext(connection) as queries:
        assert client.post(zone_url(zone), data).status_code == 302
    if connection.features.has_select_for_update:
        locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
        assert locks and all('"fronts_front"' in sql for sql in locks)
    else:
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


# Only the desk changes fronts: a reporter's crafted POSTs change nothing.


def test_the_editor_group_holds_every_front_permission_and_the_reporter_group_none(db):
    def codenames(name):
        permissions = Group.objects.get(name=name).permissions
        return set(
            permissions.filter(content_type__app_label="fronts").values_list("codename", flat=True)
        )

    every = {
        f"{action}_{model}"
        for model in ("front", "zone", "pick")
        for action in ("add", "change", "delete", "view")
    }
    assert codenames("Editor") == every
    assert codenames("Reporter") == set()


def crafted_posts(world):
    """What a reporter could send to each URL that changes a front, a zone or a pick."""
    zone, pick = world
    front = zone.front
    new_pick = {"zone": zone.pk, "url": "https://example.com/", "headline": "Planted"}
    return {
        "fronts_front_add": ((), {"kind": "banner"}),
        "fronts_front_change": ((front.pk,), {"base_version": front.version}),
        "fronts_front_delete": ((front.pk,), {"post": "yes"}),
        "fronts_zone_add": ((), {"front": front.pk, "layout": "list", "size": 3}),
        "fronts_zone_change": (
            (zone.pk,),
            {"heading": "Planted", "layout": "list", "size": 3, "base_version": front.version},
        ),
        "fronts_zone_delete": ((zone.pk,), {"post": "yes"}),
        "fronts_pick_add": ((), new_pick),
        "fronts_pick_change": ((pick.pk,), {**new_pick, "base_version": front.version}),
        "fronts_pick_delete": ((pick.pk,), {"post": "yes"}),
    }


URLS = [
    "fronts_front_add", "fronts_front_change", "fronts_front_delete",
    "fronts_zone_add", "fronts_zone_change", "fronts_zone_delete",
    "fronts_pick_add", "fronts_pick_change", "fronts_pick_delete",
]  # fmt: skip


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("who", ["reporter", "anonymous", "staff without the group"])
def test_a_crafted_post_by_anyone_off_the_desk_changes_nothing(client, desk, name, who):
    zone, first, _ = desk
    args, data = crafted_posts((zone, first))[name]
    if who == "reporter":
        as_user(client, make_reporter(username="rita"))
    elif who != "anonymous":
        as_user(client, make_user(username="sid", is_staff=True))
    before = database_state()
    response = client.post(reverse(f"admin:{name}", args=args), data)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == 403
    assert database_state() == before


def test_a_reporter_cannot_see_fronts_or_draw_one_as_of_a_moment(client, desk):
    front = desk[0].front
    as_user(client, make_reporter(username="rita"))
    assert client.get(reverse("admin:fronts_front_changelist")).status_code == 403
    assert client.get(front_url(front)).status_code == 403
    assert client.get(as_of_url(front, "2030-01-01T10:00")).status_code == 403
    assert b"Fronts" not in client.get(reverse("admin:index")).content


# Front as of a moment: what readers will see then, banner included.


@pytest.fixture
def banner(db):
    zone = make_zone(front=make_front(kind=Front.Kind.BANNER), layout="banner", size=1)
    return zone


def test_the_front_as_of_a_later_moment_shows_what_opens_by_then_and_not_what_ends(
    client, uncached, desk, edna, banner
):
    zone = desk[0]
    now = timezone.now()
    make_pick(
        zone=zone,
        target=make_article(headline="Budget day", publish_at=now + 2 * HOUR),
        position=0,
        starts_at=now + HOUR,
    )
    make_pick(zone=zone, url="https://example.com/a", headline="Gone by then", ends_at=now + HOUR)
    make_pick(
        zone=banner,
        url="https://example.com/b",
        headline="Polls close",
        kind="live",
        starts_at=now + 2 * HOUR,
    )
    make_pick(
        zone=banner,
        url="https://example.com/c",
        headline="Storm warning",
        kind="breaking",
        ends_at=now + HOUR,
    )
    as_user(client, edna)

    at = timezone.localtime(now + 3 * HOUR)
    response = client.get(as_of_url(zone.front, at.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 200
    later = response.content.decode()
    assert "Budget day" in later and "Polls close" in later
    assert "Gone by then" not in later and "Storm warning" not in later
    assert f"As of {at.day} " in later  # the page says which moment it shows
    assert response["X-Robots-Tag"] == "noindex"
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]

    # Readers now see the other half, and the home page has no "as of" notice.
    home = client.get(reverse("articles:home")).content.decode()
    assert "Gone by then" in home and "Storm warning" in home
    assert "Budget day" not in home and "Polls close" not in home
    assert "status-banner" not in home


def test_the_banner_front_as_of_a_moment_is_the_home_page_with_that_moments_banner(
    client, uncached, edna, banner, django_capture_on_commit_callbacks
):
    now = timezone.now()
    make_pick(
        zone=banner, url="https://example.com/b", headline="Polls close", starts_at=now + HOUR
    )
    as_user(client, edna)
    at = timezone.localtime(now + 2 * HOUR).strftime("%Y-%m-%dT%H:%M")
    page = client.get(as_of_url(banner.front, at)).content.decode()
    assert "Polls close" in page
    assert 'class="breaking-news' in page
    # Without a home front: the bare page around the banner.
    with django_capture_on_commit_callbacks(execute=True):
        Front.objects.filter(kind=Front.Kind.HOME).delete()
    page = client.get(as_of_url(banner.front, at)).content.decode()
    assert "Polls close" in page and "There is no home front" in page


def test_a_section_front_as_of_a_moment_is_the_sections_page(client, uncached, edna):
    section = make_section(name="Sport", slug="sport")
    zone = make_zone(front=make_front(kind=Front.Kind.SECTION, section=section), size=2)
    now = timezone.now()
    make_pick(zone=zone, url="https://example.com/cup", headline="Cup final", starts_at=now + HOUR)
    make_article(headline="Season opens", section=section)
    as_user(client, edna)
    at = timezone.localtime(now + 2 * HOUR).strftime("%Y-%m-%dT%H:%M")
    response = client.get(as_of_url(zone.front, at) + "&page=2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cup final" in page and "Season opens" in page
    assert '<link rel="canonical" href="https://news.example/sections/sport/">' in page


@pytest.mark.parametrize(
    "at",
    ["nonsense", "2030-13-45T10:00", "", "2030-01-01T25:61", "9" * 300],
    ids=["words", "no such day", "empty", "no such time", "long"],
)
def test_a_bad_moment_is_a_400_with_the_forms_error(client, desk, edna, at):
    as_user(client, edna)
    response = client.get(reverse("admin:fronts_front_as_of", args=[desk[0].front_id]), {"at": at})
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


def test_a_nul_in_the_moment_is_a_400(client, desk, edna):
    as_user(client, edna)
    url = reverse("admin:fronts_front_as_of", args=[desk[0].front_id])
    assert client.get(url, {"at": "2030-01-01\x00T10:00"}).status_code == 400


def test_a_moment_too_far_off_to_draw_is_a_400(client, desk, edna, settings):
    # In a time zone ahead of UTC, the first minute of year 1 is before the first UTC instant.
    settings.TIME_ZONE = "Asia/Tokyo"
    as_user(client, edna)
    response = client.get(as_of_url(desk[0].front, "0001-01-01T00:00"))
    assert response.status_code == 400
    assert "too far from today" in response.content.decode()


def test_without_a_moment_the_as_of_page_is_its_form(client, desk, edna):
    as_user(client, edna)
    response = client.get(reverse("admin:fronts_front_as_of", args=[desk[0].front_id]))
    assert response.status_code == 200
    assert 'type="datetime-local"' in response.content.decode()
