"""Teasers in the admin: validation, who may edit them, target autocomplete, the audit trail, the
editors' schedule and the "teaser strip as of" preview."""

from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.admin.forms import RelatedTeaserForm
from articles.models import Article, PlacementEvent, RelatedTeaser
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_section, make_teaser, make_user

HOUR = timedelta(hours=1)


@pytest.fixture
def editor(db):
    return make_user(is_staff=True, groups=["Editor"])


@pytest.fixture
def reporter(db):
    return make_user(is_staff=True, groups=["Reporter"])


def _local(moment):
    return timezone.localtime(moment) if moment else None


def _split(name, moment):
    local = _local(moment)
    return {
        f"{name}_0": local.date().isoformat() if local else "",
        f"{name}_1": local.time().strftime("%H:%M:%S") if local else "",
    }


def _teaser_fields(index, teaser):
    prefix = f"teasers-{index}"
    data = {
        f"{prefix}-id": teaser.get("id", ""),
        f"{prefix}-position": teaser.get("position", index),
        f"{prefix}-target": teaser.get("target", ""),
        f"{prefix}-url": teaser.get("url", ""),
        f"{prefix}-headline": teaser.get("headline", ""),
        f"{prefix}-excerpt": teaser.get("excerpt", ""),
        **_split(f"{prefix}-starts_at", teaser.get("starts_at")),
        **_split(f"{prefix}-ends_at", teaser.get("ends_at")),
    }
    if teaser.get("DELETE"):
        data[f"{prefix}-DELETE"] = "on"
    if teaser.get("is_blocked"):
        data[f"{prefix}-is_blocked"] = "on"
    return data


def article_change_post(client, article, teasers=()):
    """POST the article change form as a browser would, with the teaser inline rows given.

    The rest of the form is the workflow's own (its version, bylines and corrections), saved
    with the button the story's state offers. ``teasers`` lists dicts; rows with an ``id`` are
    existing teasers and must come first.
    """
    current = Article.objects.get(pk=article.pk)  # the version moves on with every save
    if current.state == Article.State.DRAFT:
        data = article_form_data(current, _save_draft="1")
    else:
        data = article_form_data(current, _save="Save", change_kind="silent")
    data = {name: value for name, value in data.items() if not name.startswith("teasers-")}
    data |= {
        "teasers-TOTAL_FORMS": len(teasers),
        "teasers-INITIAL_FORMS": sum(1 for t in teasers if t.get("id")),
        "teasers-MIN_NUM_FORMS": 0,
        "teasers-MAX_NUM_FORMS": 1000,
    }
    for index, teaser in enumerate(teasers):
        data |= _teaser_fields(index, teaser)
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, data)


def teaser_form(**data):
    """The stand-alone teaser form, bound to ``data``; datetimes are given as aware values."""
    data.setdefault("position", 0)
    for name in ("starts_at", "ends_at"):
        if data.get(name):
            data[name] = _local(data[name]).strftime("%Y-%m-%d %H:%M:%S")
    return RelatedTeaserForm(data=data)


# Validation.


def test_a_story_cannot_tease_itself(db):
    host = make_article()
    form = teaser_form(article=host.pk, target=host.pk)
    assert not form.is_valid()
    assert form.errors["target"] == ["A story cannot tease itself; pick another story."]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"url": "ftp://example.org/file", "headline": "F"}, "url", "starting http:// or https://"),
        ({"url": "javascript:alert(1)", "headline": "J"}, "url", "starting http:// or https://"),
        ({"url": "https://example.org/"}, "headline", "An external link needs a headline."),
        ({}, "target", "Pick a story, or give an external address."),
    ],
    ids=["ftp", "javascript", "no-headline", "neither"],
)
def test_external_links_must_be_http_or_https_with_a_headline(db, fields, field, message):
    form = teaser_form(article=make_article().pk, **fields)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_a_teaser_links_to_a_story_or_an_address_not_both(db):
    form = teaser_form(
        article=make_article().pk,
        target=make_article().pk,
        url="https://example.org/",
        headline="X",
    )
    assert not form.is_valid()
    assert form.errors["url"] == ["Link to a story or to an external address, not both."]


@pytest.mark.parametrize("length", [timedelta(0), -HOUR])
def test_window_must_end_after_it_starts(db, length):
    start = timezone.now().replace(microsecond=0, second=0)
    form = teaser_form(
        article=make_article().pk,
        target=make_article().pk,
        starts_at=start,
        ends_at=start + length,
    )
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["The window must end after it starts."]


def test_same_target_twice_with_overlapping_windows_is_refused(db):
    host, target = make_article(), make_article()
    start = timezone.now().replace(microsecond=0, second=0)
    make_teaser(article=host, target=target, starts_at=start, ends_at=start + 2 * HOUR)
    overlapping = teaser_form(article=host.pk, target=target.pk, starts_at=start + HOUR)
    assert not overlapping.is_valid()
    assert "teased twice with overlapping windows" in str(overlapping.non_field_errors())
    back_to_back = teaser_form(article=host.pk, target=target.pk, starts_at=start + 2 * HOUR)
    assert back_to_back.is_valid(), back_to_back.errors
    other_story = teaser_form(article=make_article().pk, target=target.pk, starts_at=start)
    assert other_story.is_valid(), other_story.errors


def test_inline_refuses_overlapping_rows_submitted_together(client, editor):
    host, target = make_article(), make_article()
    client.force_login(editor)
    start = timezone.now().replace(microsecond=0) + HOUR
    response = article_change_post(
        client,
        host,
        teasers=[
            {"target": target.pk, "starts_at": start, "ends_at": start + 3 * HOUR},
            {"target": target.pk, "starts_at": start + HOUR},
        ],
    )
    assert response.status_code == 200
    assert "teased twice with overlapping windows" in response.content.decode()
    assert not RelatedTeaser.objects.exists()


def test_inline_accepts_two_windows_swapped_in_one_submission(client, editor):
    host, target = make_article(), make_article()
    start = timezone.now().replace(microsecond=0) + HOUR
    first = make_teaser(article=host, target=target, starts_at=start, ends_at=start + HOUR)
    second = make_teaser(article=host, target=target, starts_at=start + HOUR)
    client.force_login(editor)
    response = article_change_post(
        client,
        host,
        teasers=[
            {"id": first.pk, "target": target.pk, "starts_at": start + HOUR},
            {"id": second.pk, "target": target.pk, "starts_at": start, "ends_at": start + HOUR},
        ],
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.starts_at == start + HOUR
    assert first.ends_at is None


def test_warning_when_the_window_opens_before_the_target_is_live(client, editor):
    host = make_article()
    scheduled = make_article(headline="Tomorrow's story", publish_at=timezone.now() + 24 * HOUR)
    live = make_article(headline="Today's story")
    client.force_login(editor)
    response = article_change_post(
        client, host, teasers=[{"target": scheduled.pk}, {"target": live.pk}]
    )
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "The teaser “Tomorrow's story” opens before its story is live; it stays hidden until "
        "the story goes live."
    ]
    assert RelatedTeaser.objects.filter(article=host).count() == 2


def _warnings(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@pytest.mark.parametrize("path", ["inline", "teaser admin"])
def test_saving_a_teaser_that_has_ended_says_it_has_ended(client, editor, path):
    # The reported case: the window closed an hour ago, and the story went live inside it.
    now = timezone.now().replace(microsecond=0)
    host = make_article()
    target = make_article(headline="Yesterday's story", publish_at=now - 2 * HOUR)
    window = {"starts_at": now - 3 * HOUR, "ends_at": now - HOUR}
    client.force_login(editor)
    if path == "inline":
        response = article_change_post(client, host, teasers=[{"target": target.pk, **window}])
    else:
        fields = {"article": host.pk, "target": target.pk, "position": 0}
        for name, moment in window.items():
            fields |= _split(name, moment)
        response = client.post(reverse("admin:articles_relatedteaser_add"), fields)
    assert response.status_code == 302
    assert _warnings(response) == [
        f"The teaser “Yesterday's story” has ended: its window closed on {_when(now - HOUR)}, "
        "so readers no longer see it. While it is kept, its story is not used among the "
        "automatic related stories either."
    ]


@pytest.mark.parametrize(
    ("target_state", "window", "expected"),
    [
        (
            {"publish_at": "past"},
            {"starts_at": -3 * HOUR, "ends_at": -HOUR},
            "The teaser “Target” has ended: its window closed on {ends_at}, so readers no "
            "longer see it. While it is kept, its story is not used among the automatic "
            "related stories either.",
        ),
        (
            {"publish_at": 2 * HOUR},
            {"starts_at": HOUR, "ends_at": 5 * HOUR},
            "The teaser “Target” opens before its story is live; it stays hidden until the "
            "story goes live.",
        ),
        (
            {"status": Article.Status.DRAFT, "publish_at": None},
            {},
            "The teaser “Target” opens before its story is live; it stays hidden until the "
            "story goes live.",
        ),
        (
            {"publish_at": 6 * HOUR},
            {"ends_at": 5 * HOUR},
            "The teaser “Target” ends before its story goes live on {publish_at}; readers will "
            "never see it.",
        ),
        (
            {"status": Article.Status.WITHDRAWN, "publish_at": "past"},
            {},
            "The teaser “Target” links to a withdrawn story; readers will never see it.",
        ),
        (
            {"publish_at": "past", "unpublish_at": -HOUR},
            {},
            "The teaser “Target” links to a story taken down on {unpublish_at}; readers will "
            "not see it.",
        ),
        (
            {"publish_at": "past", "unpublish_at": 2 * HOUR},
            {"starts_at": 3 * HOUR},
            "The teaser “Target” links to a story taken down on {unpublish_at}; readers will "
            "not see it.",
        ),
        ({"publish_at": "past"}, {"starts_at": HOUR, "ends_at": 2 * HOUR}, None),
        ({"publish_at": 2 * HOUR}, {"starts_at": 3 * HOUR}, None),
        ({"publish_at": "past"}, {"starts_at": -HOUR}, None),
    ],
    ids=[
        "ended",
        "opens-before-live",
        "draft",
        "live-only-after-it-ends",
        "withdrawn",
        "taken-down",
        "taken-down-before-it-opens",
        "upcoming-to-a-live-story",
        "opens-after-the-story-goes-live",
        "running",
    ],
)
def test_each_teaser_warning_says_what_is_true(client, editor, target_state, window, expected):
    now = timezone.now().replace(microsecond=0)

    def moment(value):
        return now + value if isinstance(value, timedelta) else value

    target_state = {name: moment(value) for name, value in target_state.items()}
    target = make_article(headline="Target", **target_state)
    window = {name: moment(value) for name, value in window.items()}
    client.force_login(editor)
    response = article_change_post(
        client, make_article(), teasers=[{"target": target.pk, **window}]
    )
    assert response.status_code == 302
    times = {
        "ends_at": window.get("ends_at"),
        "publish_at": target.publish_at,
        "unpublish_at": target.unpublish_at,
    }
    wanted = expected.format(**{k: _when(v) for k, v in times.items() if v}) if expected else None
    assert _warnings(response) == ([wanted] if wanted else [])


def test_an_ended_external_link_says_it_has_ended_and_a_block_warns_of_nothing(client, editor):
    now = timezone.now().replace(microsecond=0)
    client.force_login(editor)
    response = article_change_post(
        client,
        make_article(),
        teasers=[
            {"url": "https://example.org/", "headline": "Elsewhere", "ends_at": now - HOUR},
            {"target": make_article(status=Article.Status.WITHDRAWN).pk, "is_blocked": True},
        ],
    )
    assert response.status_code == 302
    assert [w.split(":")[0] for w in _warnings(response)] == ["The teaser “Elsewhere” has ended"]


# "Never show this story here": a block.


def test_editor_blocks_a_story_and_the_audit_says_who_and_when(client, editor):
    host, target = make_article(), make_article(headline="Not under this one")
    client.force_login(editor)
    before = timezone.now()
    response = article_change_post(
        client, host, teasers=[{"target": target.pk, "is_blocked": True}]
    )
    assert response.status_code == 302
    block = RelatedTeaser.objects.get(article=host)
    assert block.is_blocked and block.created_by == editor
    event = PlacementEvent.objects.get(article=host)
    assert (event.action, event.by, event.placement_pk) == ("blocked", editor, block.pk)
    assert before <= event.at <= timezone.now()
    assert event.description == f"Never shown here: “Not under this one” → story #{target.pk}"
    assert event.get_action_display() == "Blocked: never shown here"
    # Lifting the block is recorded too.
    article_change_post(
        client, host, teasers=[{"id": block.pk, "target": target.pk, "DELETE": True}]
    )
    assert list(PlacementEvent.objects.filter(article=host).values_list("action", flat=True)) == [
        "removed",
        "blocked",
    ]


def test_turning_a_teaser_into_a_block_is_recorded_as_a_block(client, editor):
    host, target = make_article(), make_article()
    teaser = make_teaser(article=host, target=target)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_relatedteaser_change", args=[teaser.pk]),
        {"article": host.pk, "target": target.pk, "position": 0, "is_blocked": "on"},
    )
    assert response.status_code == 302
    event = PlacementEvent.objects.get()
    assert (event.action, event.changed_fields, event.by) == ("blocked", "is_blocked", editor)


def test_reporters_cannot_create_a_block(client, reporter):
    host = make_article(status=Article.Status.DRAFT, publish_at=None, created_by=reporter)
    target = make_article()
    client.force_login(reporter)
    response = article_change_post(
        client, host, teasers=[{"target": target.pk, "is_blocked": True}]
    )
    assert response.status_code in {200, 302, 403}
    fields = {"article": host.pk, "target": target.pk, "position": 0, "is_blocked": "on"}
    assert client.post(reverse("admin:articles_relatedteaser_add"), fields).status_code == 403
    assert not RelatedTeaser.objects.exists()
    assert not PlacementEvent.objects.exists()


def test_a_block_has_no_window_and_names_a_story(db):
    host, target = make_article(), make_article()
    start = timezone.now().replace(microsecond=0, second=0)
    windowed = teaser_form(article=host.pk, target=target.pk, is_blocked="on", starts_at=start)
    assert not windowed.is_valid()
    assert windowed.errors["starts_at"] == [
        "A block holds until it is removed: leave the window empty."
    ]
    address = teaser_form(
        article=host.pk, url="https://example.org/", headline="X", is_blocked="on"
    )
    assert not address.is_valid()
    assert "pick the story, not an address" in " ".join(address.errors["url"])
    with pytest.raises(IntegrityError):
        RelatedTeaser.objects.create(article=host, target=target, is_blocked=True, ends_at=start)


def test_a_story_cannot_be_both_teased_and_blocked_under_one_host(client, editor):
    host, target = make_article(), make_article(headline="Both")
    make_teaser(article=host, target=target, is_blocked=True)
    form = teaser_form(article=host.pk, target=target.pk)
    assert not form.is_valid()
    assert "“Both” is both teased and never to be shown here." in str(form.non_field_errors())
    client.force_login(editor)
    other = make_article()
    response = article_change_post(
        client,
        other,
        teasers=[{"target": target.pk}, {"target": target.pk, "is_blocked": True}],
    )
    assert response.status_code == 200
    assert "is both teased and never to be shown here" in response.content.decode()
    assert not RelatedTeaser.objects.filter(article=other).exists()


def test_the_strip_preview_lists_a_block_as_never_shown(client, editor):
    host = make_article(section=make_section(), tags=["harbour"])
    blocked = make_article(headline="Blocked pick", tags=["harbour"])
    make_article(headline="Other pick", tags=["harbour"])
    make_teaser(article=host, target=blocked, is_blocked=True)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_relatedteaser_strip", args=[host.pk]))
    assert [t.display_headline for t in response.context["strip"]] == ["Other pick"]
    assert [(t.display_headline, s.label) for t, s in response.context["curated"]] == [
        ("Blocked pick", "Never shown here")
    ]


# Who may edit teasers.


def test_editor_adds_changes_and_removes_teasers_through_the_inline(client, editor):
    host, kept, removed, added = (make_article() for _ in range(4))
    keep = make_teaser(article=host, target=kept)
    drop = make_teaser(article=host, target=removed)
    client.force_login(editor)
    response = article_change_post(
        client,
        host,
        teasers=[
            {"id": keep.pk, "target": kept.pk, "headline": "Edited"},
            {"id": drop.pk, "target": removed.pk, "DELETE": True},
            {"target": added.pk},
        ],
    )
    assert response.status_code == 302
    teasers = {t.target_id: t for t in RelatedTeaser.objects.filter(article=host)}
    assert set(teasers) == {kept.pk, added.pk}
    assert teasers[kept.pk].headline == "Edited"
    assert teasers[added.pk].created_by == editor


def test_reporter_cannot_add_change_or_remove_teasers_by_crafted_inline_post(client, reporter):
    host = make_article(status=Article.Status.DRAFT, publish_at=None, created_by=reporter)
    kept, removed, added = make_article(), make_article(), make_article()
    keep = make_teaser(article=host, target=kept, headline="Original")
    drop = make_teaser(article=host, target=removed)
    client.force_login(reporter)
    response = article_change_post(
        client,
        host,
        teasers=[
            {"id": keep.pk, "target": kept.pk, "headline": "Changed by a reporter"},
            {"id": drop.pk, "target": removed.pk, "DELETE": True},
            {"target": added.pk, "headline": "Added by a reporter"},
        ],
    )
    assert response.status_code in {200, 302, 403}
    teasers = {t.target_id: t for t in RelatedTeaser.objects.filter(article=host)}
    assert set(teasers) == {kept.pk, removed.pk}
    assert teasers[kept.pk].headline == "Original"
    assert not PlacementEvent.objects.exists()


def test_reporter_is_refused_by_the_teaser_admin(client, reporter):
    host, target = make_article(), make_article()
    teaser = make_teaser(article=host, target=target, headline="Original")
    client.force_login(reporter)
    add_url = reverse("admin:articles_relatedteaser_add")
    change_url = reverse("admin:articles_relatedteaser_change", args=[teaser.pk])
    delete_url = reverse("admin:articles_relatedteaser_delete", args=[teaser.pk])
    fields = {"article": host.pk, "target": target.pk, "position": 0, "headline": "Hijacked"}
    assert client.get(add_url).status_code == 403
    assert client.post(add_url, fields).status_code == 403
    assert client.post(change_url, fields).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:articles_relatedteaser_changelist"),
        {"action": "delete_selected", "_selected_action": [teaser.pk], "post": "yes"},
    )
    teaser.refresh_from_db()
    assert teaser.headline == "Original"
    assert RelatedTeaser.objects.count() == 1


def test_reporter_sees_teasers_of_her_stories_read_only(client, reporter):
    teaser = make_teaser(
        article=make_article(created_by=reporter), target=make_article(headline="Visible")
    )
    client.force_login(reporter)
    response = client.get(reverse("admin:articles_relatedteaser_change", args=[teaser.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


# Autocomplete for the target.


def _autocomplete(client, model_name, field_name):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {int(row["id"]) for row in response.json()["results"]}


def test_target_autocomplete_offers_live_and_scheduled_stories_only(client, editor):
    live = make_article()
    scheduled = make_article(publish_at="future")
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    expired = make_article(unpublish_at="past")
    withdrawn = make_article(status=Article.Status.WITHDRAWN)
    client.force_login(editor)
    offered = _autocomplete(client, "relatedteaser", "target")
    assert {live.pk, scheduled.pk} <= offered
    assert not offered & {draft.pk, expired.pk, withdrawn.pk}
    # Other autocompletes over stories are not narrowed.
    assert draft.pk in _autocomplete(client, "correction", "article")


# Audit trail.


def test_every_addition_change_and_removal_is_recorded_with_who_and_when(client, editor):
    host, target = make_article(), make_article(headline="Followed up")
    client.force_login(editor)
    article_change_post(client, host, teasers=[{"target": target.pk}])
    teaser = RelatedTeaser.objects.get(article=host)
    ends = timezone.now().replace(microsecond=0) + 5 * HOUR
    article_change_post(
        client, host, teasers=[{"id": teaser.pk, "target": target.pk, "ends_at": ends}]
    )
    article_change_post(
        client, host, teasers=[{"id": teaser.pk, "target": target.pk, "DELETE": True}]
    )
    assert not RelatedTeaser.objects.exists()
    events = list(PlacementEvent.objects.filter(article=host).order_by("at", "id"))
    assert [e.action for e in events] == ["added", "changed", "removed"]
    assert {e.by for e in events} == {editor}
    assert {e.placement_pk for e in events} == {teaser.pk}
    assert events[1].changed_fields == "ends_at"
    assert "Followed up" in events[0].description
    assert all(e.at <= timezone.now() for e in events)


def test_teaser_admin_changes_are_recorded_and_shown_on_the_teaser(client, editor):
    host, target = make_article(), make_article()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_relatedteaser_add"),
        {"article": host.pk, "target": target.pk, "position": 1, "headline": "Via admin"},
    )
    assert response.status_code == 302
    teaser = RelatedTeaser.objects.get()
    page = client.get(reverse("admin:articles_relatedteaser_change", args=[teaser.pk]))
    assert f"Added by {editor.username}" in page.content.decode()
    client.post(reverse("admin:articles_relatedteaser_delete", args=[teaser.pk]), {"post": "yes"})
    assert list(PlacementEvent.objects.values_list("action", flat=True)) == ["removed", "added"]


def test_story_change_form_links_to_its_teaser_history_which_lists_only_its_events(client, editor):
    host, other = make_article(), make_article()
    client.force_login(editor)
    article_change_post(client, host, teasers=[{"target": make_article(headline="Mine").pk}])
    article_change_post(client, other, teasers=[{"target": make_article(headline="Theirs").pk}])
    form_page = client.get(reverse("admin:articles_article_change", args=[host.pk])).content
    history_url = reverse("admin:articles_placementevent_changelist") + (
        f"?article__id__exact={host.pk}"
    )
    assert history_url.encode() in form_page
    history = client.get(history_url).content.decode()
    assert "Mine" in history
    assert "Theirs" not in history


def test_audit_trail_is_read_only_even_for_editors(client, editor):
    event = PlacementEvent.record(
        placement=make_teaser(article=make_article(), target=make_article()),
        action=PlacementEvent.Action.ADDED,
        by=editor,
    )
    client.force_login(editor)
    assert client.get(reverse("admin:articles_placementevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:articles_placementevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert PlacementEvent.objects.filter(pk=event.pk).exists()


# The editors' schedule.


@pytest.fixture
def schedule(db):
    now = timezone.now()
    politics, sport = make_section(name="Politics"), make_section(name="Sport")
    host = make_article(headline="Host", section=politics)
    away = make_article(headline="Sport host", section=sport)
    teasers = {
        "running": make_teaser(article=host, target=make_article(), headline="Running"),
        "waiting": make_teaser(
            article=host, target=make_article(publish_at=now + 2 * HOUR), headline="Waiting"
        ),
        "upcoming": make_teaser(
            article=host, target=make_article(), headline="Upcoming", starts_at=now + HOUR
        ),
        "ended": make_teaser(
            article=host,
            target=make_article(),
            headline="Ended",
            starts_at=now - 3 * HOUR,
            ends_at=now - HOUR,
        ),
        "closing": make_teaser(
            article=host, target=make_article(), headline="Closing", ends_at=now + HOUR
        ),
        "sport": make_teaser(article=away, target=make_article(), headline="Sport teaser"),
        "blocked": make_teaser(
            article=host, target=make_article(), headline="Blocked", is_blocked=True
        ),
    }
    return {"now": now, "politics": politics, "teasers": teasers}


def _groups(client, **params):
    response = client.get(reverse("admin:articles_relatedteaser_schedule"), params)
    assert response.status_code == 200
    return {label: [t.headline for t in rows] for label, rows in response.context["groups"]}


def test_schedule_lists_teasers_by_state_now(client, editor, schedule):
    client.force_login(editor)
    groups = _groups(client)
    assert groups == {
        "Running now": ["Closing", "Running", "Sport teaser"],
        "Waiting for its story to go live": ["Waiting"],
        "Starting soon": ["Upcoming"],
        "Ended": ["Ended"],
        "Never shown here": ["Blocked"],
    }


def test_schedule_as_of_a_future_instant(client, editor, schedule):
    client.force_login(editor)
    later = timezone.localtime(schedule["now"] + 3 * HOUR).strftime("%Y-%m-%dT%H:%M")
    groups = _groups(client, at=later)
    assert sorted(groups["Running now"]) == ["Running", "Sport teaser", "Upcoming", "Waiting"]
    assert groups["Starting soon"] == []
    assert groups["Waiting for its story to go live"] == []
    assert groups["Ended"] == ["Closing", "Ended"]


def test_schedule_shows_host_target_window_and_who_set_it(client, editor, schedule):
    teaser = schedule["teasers"]["upcoming"]
    teaser.created_by = editor
    teaser.save()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_relatedteaser_schedule")).content.decode()
    row = html[html.index("Upcoming</a>") - 400 : html.index("Upcoming</a>") + 600]
    assert "Host" in row
    assert "Politics" in row
    assert timezone.localtime(teaser.starts_at).strftime("%d %b %Y %H:%M").lstrip("0") in row
    assert editor.username in row


def test_schedule_filters_by_section_and_day(client, editor, schedule):
    client.force_login(editor)
    by_section = _groups(client, section=schedule["politics"].pk)
    assert "Sport teaser" not in sum(by_section.values(), [])
    assert "Running" in by_section["Running now"]
    make_teaser(
        article=make_article(),
        target=make_article(),
        headline="New Year only",
        starts_at=datetime(2031, 1, 1, 0, 0, tzinfo=timezone.get_current_timezone()),
        ends_at=datetime(2031, 1, 2, 0, 0, tzinfo=timezone.get_current_timezone()),
    )
    on_new_year = sum(_groups(client, day="2031-01-01").values(), [])
    assert "New Year only" in on_new_year
    assert "Ended" not in on_new_year
    assert "New Year only" not in sum(_groups(client, day="2031-01-02").values(), [])


def test_schedule_rejects_a_bad_instant_with_a_clear_error(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_relatedteaser_schedule"), {"at": "tomorrow-ish"})
    assert response.status_code == 400
    assert "Enter a valid date/time." in response.content.decode()


def test_schedule_and_preview_are_for_staff_only(client, db):
    article = make_article()
    client.force_login(make_user())
    for url in (
        reverse("admin:articles_relatedteaser_schedule"),
        reverse("admin:articles_relatedteaser_strip", args=[article.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# "Teaser strip as of" preview.


def test_strip_preview_shows_what_readers_will_see_at_a_future_instant(client, editor):
    now = timezone.now()
    host = make_article(headline="Host")
    make_teaser(article=host, target=make_article(headline="Live now"), ends_at=now + HOUR)
    make_teaser(
        article=host,
        target=make_article(headline="Goes live later", publish_at=now + 2 * HOUR),
        starts_at=now - HOUR,
    )
    url = reverse("admin:articles_relatedteaser_strip", args=[host.pk])
    client.force_login(editor)

    present = client.get(url)
    assert [t.display_headline for t in present.context["strip"]] == ["Live now"]

    later = timezone.localtime(now + 3 * HOUR)
    future = client.get(url, {"at": later.strftime("%Y-%m-%dT%H:%M")})
    assert future.status_code == 200
    assert [t.display_headline for t in future.context["strip"]] == ["Goes live later"]
    html = future.content.decode()
    assert "Related stories" in html
    assert "Goes live later</a>" in html
    assert later.strftime("%H:%M") in html
    states = {t.display_headline: state for t, state in future.context["curated"]}
    assert states == {"Live now": "ended", "Goes live later": "running"}


def test_strip_preview_uses_the_same_strip_as_the_public_page(client, editor):
    section = make_section()
    host = make_article(section=section, tags=["harbour"])
    make_article(headline="Automatic pick", tags=["harbour"])
    client.force_login(editor)
    response = client.get(reverse("admin:articles_relatedteaser_strip", args=[host.pk]))
    assert [t.display_headline for t in response.context["strip"]] == ["Automatic pick"]


def test_strip_preview_rejects_a_bad_instant_and_unknown_story(client, editor):
    client.force_login(editor)
    host = make_article()
    url = reverse("admin:articles_relatedteaser_strip", args=[host.pk])
    response = client.get(url, {"at": "31/31/2031"})
    assert response.status_code == 400
    assert "Enter a valid date/time." in response.content.decode()
    missing = reverse("admin:articles_relatedteaser_strip", args=[host.pk + 1000])
    assert client.get(missing).status_code == 404


def test_story_change_form_offers_the_as_of_preview(client, editor):
    host = make_article()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[host.pk])).content.decode()
    strip_url = reverse("admin:articles_relatedteaser_strip", args=[host.pk])
    assert f'<form id="teaser-strip-form" method="get" action="{strip_url}">' in html
    assert 'name="at" form="teaser-strip-form"' in html
