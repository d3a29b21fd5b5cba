"""Every bulk action of every admin list: who is offered it, and whose POST of it takes effect.

``ACTIONS`` names every action each registered admin has before permissions are applied (the
site-wide "delete selected" included), the staff it is offered to, and cases of rows to tick with
the actors whose POST changes the database. An action not offered, or ticked on rows the actor may
not touch, must change nothing; a new action without a row fails ``test_every_action_has_a_row``.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.articles.admin.admin_world import changed_tables, database_state

ACTORS = ["anonymous", "reporter", "other_reporter", "editor", "superuser"]
STAFF = tuple(ACTORS[1:])
EDITORS = ("editor", "superuser")
RITA_AND_EDITORS = ("reporter", "editor", "superuser")
SUPERUSER = ("superuser",)


@dataclass(frozen=True)
class Action:
    offered: tuple  # the staff actors whose list offers it
    select: tuple  # the rows ticked: names of objects of the admin world
    changes: tuple = ()  # the actors whose POST changes the database
    label: str = ""


def throttling(name):
    return {"delete_selected": Action(SUPERUSER, (name,), SUPERUSER)}


ACTIONS = {
    "articles.article": {
        "delete_selected": Action(EDITORS, ("draft",), EDITORS),
        # Offered to all; each story is checked (Otto may not submit Rita's draft).
        "submit_for_review": Action(STAFF, ("draft",), RITA_AND_EDITORS),
        "publish_now": Action(EDITORS, ("draft",), EDITORS),
        "withdraw": Action(EDITORS, ("live",), EDITORS),
    },
    "articles.section": {"delete_selected": Action(EDITORS, ("spare_section",), EDITORS)},
    "articles.correction": {
        "delete_selected": [
            Action(EDITORS, ("pending_correction",), EDITORS, "pending"),
            # Append-only once public: ticking one public correction stops the whole deletion.
            Action(EDITORS, ("public_correction",), (), "public"),
            Action(EDITORS, ("pending_correction", "public_correction"), (), "both"),
        ]
    },
    "articles.relatedteaser": {"delete_selected": Action(EDITORS, ("teaser",), EDITORS)},
    "articles.placementevent": {"delete_selected": Action((), ("teaser_event",))},
    "authors.author": {"delete_selected": Action(EDITORS, ("spare_author",), EDITORS)},
    "taggit.tag": {
        "delete_selected": Action(EDITORS, ("spare_tag",), EDITORS),
        # Only remembers the choice and opens the merge form (see test_merging_tags_...).
        "render_tag_form": Action(EDITORS, ("tag", "spare_tag")),
    },
    # Removing a front, a zone or a pick records the removal of each pick it takes with it.
    "fronts.front": {"delete_selected": Action(EDITORS, ("spare_front",), EDITORS)},
    "fronts.zone": {"delete_selected": Action(EDITORS, ("spare_zone",), EDITORS)},
    "fronts.pick": {"delete_selected": Action(EDITORS, ("spare_pick", "pick"), EDITORS)},
    # The live desk has no list of entries to tick: each is removed from the desk, one by one.
    "live.entry": {"delete_selected": Action((), ("live_entry",))},
    "auth.user": {"delete_selected": Action(SUPERUSER, ("spare_user",), SUPERUSER)},
    "auth.group": {"delete_selected": Action(SUPERUSER, ("group",), SUPERUSER)},
    "axes.accessattempt": {
        **throttling("access_attempt"),
        # Only attempts older than the cool-off go, and signing in has cleared those already.
        "cleanup_expired_attempts": Action(SUPERUSER, ("access_attempt",)),
    },
    "axes.accesslog": throttling("access_log"),
    "axes.accessfailurelog": throttling("access_failure"),
}


def _cases(value):
    return value if isinstance(value, list) else [value]


CASES = [
    (label, name, index)
    for label, actions in ACTIONS.items()
    for name, value in actions.items()
    for index in range(len(_cases(value)))
]


def _case_id(label, name, index):
    case = _cases(ACTIONS[label][name])[index]
    return f"{label}.{name}" + (f"[{case.label}]" if case.label else "")


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_action_has_a_row():
    found = {
        model._meta.label_lower: sorted(name for _, name, _ in model_admin._get_base_actions())
        for model, model_admin in admin.site._registry.items()
    }
    assert found == {label: sorted(actions) for label, actions in ACTIONS.items()}


@pytest.mark.parametrize("actor", STAFF)
def test_actions_offered(admin_world, rf, actor):
    offered, expected = {}, {}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        request = rf.get(_changelist(model))
        request.user = getattr(admin_world, actor)
        # A list the actor may not open offers nothing, whatever get_actions() would say.
        is_open = model_admin.has_view_or_change_permission(request)
        offered[label] = sorted(model_admin.get_actions(request)) if is_open else []
        expected[label] = sorted(
            name for name, value in ACTIONS[label].items() if actor in _cases(value)[0].offered
        )
    assert offered == expected


@pytest.mark.parametrize(("label", "name", "index"), CASES, ids=[_case_id(*c) for c in CASES])
def test_action_changes_only_what_the_actor_may(admin_world, label, name, index):
    case = _cases(ACTIONS[label][name])[index]
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    url = _changelist(model_admin.model)
    data = {
        "action": name,
        "_selected_action": [getattr(admin_world, row).pk for row in case.select],
        "index": 0,
        "post": "yes",  # the confirmation "delete selected" asks for
    }
    clients = {actor: Client() for actor in ACTORS}
    for actor in STAFF:
        clients[actor].force_login(getattr(admin_world, actor))
    before = database_state()
    problems = {}
    for actor, client in clients.items():
        with transaction.atomic():
            response = client.post(url, data)
            changed = changed_tables(before, database_state())
            transaction.set_rollback(True)
        assert response.status_code < 500, actor
        if bool(changed) != (actor in case.changes):
            problems[actor] = f"{response.status_code}, changed {changed or 'nothing'}"
        if actor == "anonymous" and not response.get("Location", "").startswith(
            reverse("admin:login")
        ):
            problems[actor] = f"{response.status_code}, not the login page"
    assert problems == {}


def test_merging_tags_is_for_the_desk(client, admin_world):
    harbour, spare = admin_world.tag, admin_world.spare_tag
    url = reverse("admin:taggit_tag_changelist")
    data = {"action": "render_tag_form", "_selected_action": [harbour.pk, spare.pk], "index": 0}
    merge = reverse("admin:taggit_tag_merge_tags")

    client.force_login(admin_world.reporter)
    client.post(url, data)
    assert client.post(merge, {"new_tag_name": "ports"}).status_code == 403
    assert not Tag.objects.filter(name="ports").exists()

    client.force_login(admin_world.editor)
    response = client.post(url, data)
    assert response["Location"] == merge
    assert client.post(merge, {"new_tag_name": "ports"}).status_code == 302
    live = Article.objects.get(pk=admin_world.live.pk)
    assert list(live.tags.names()) == ["ports"]


def test_cleaning_up_expired_login_attempts_removes_them(client, admin_world):
    client.force_login(admin_world.superuser)
    attempt = admin_world.access_attempt
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(days=1)
    )
    data = {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk], "index": 0}
    response = client.post(reverse("admin:axes_accessattempt_changelist"), data)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
