"""Who may do what on a live story's desk, asked of live.permissions and tried with crafted
POSTs: a reporter not on the byline cannot post, edit, flag or remove anything; a reporter on it
posts and edits but removes only entries readers have not seen; editors do everything, and alone
start and end coverage and set the poll interval."""

import pytest
from django.urls import reverse

from articles.models import Article
from live import permissions
from live.models import Entry
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_user
from tests.live.desk_client import (
    delete_url,
    desk_url,
    edit_data,
    edit_url,
    flag,
    history_url,
    post_entry,
)

pytestmark = pytest.mark.django_db


def entry_rows():
    return list(Entry.objects.order_by("pk").values_list())


def test_the_rules_as_live_permissions_states_them(desk):
    rita, otto, edna = desk.rita, desk.otto, desk.edna
    story, public, scheduled = desk.story, desk.public, desk.scheduled
    assert [permissions.can_open_desk(u, story) for u in (rita, otto, edna)] == [True, False, True]
    assert [permissions.can_post(u, story) for u in (rita, otto, edna)] == [True, False, True]
    assert [permissions.can_edit_entry(u, public) for u in (rita, otto, edna)] == [
        True,
        False,
        True,
    ]
    assert [permissions.can_delete_entry(u, public) for u in (rita, otto, edna)] == [
        False,
        False,
        True,
    ]
    assert [permissions.can_delete_entry(u, scheduled) for u in (rita, otto, edna)] == [
        True,
        False,
        True,
    ]
    assert [permissions.can_manage_coverage(u) for u in (rita, otto, edna)] == [False, False, True]


def test_staff_without_the_entry_permissions_are_refused_even_on_the_byline(desk):
    bare = make_user(is_staff=True)
    desk.rita.author.user = bare
    desk.rita.author.save()
    assert not permissions.can_open_desk(bare, desk.story)
    assert not permissions.can_post(bare, desk.story)


def test_nobody_posts_once_coverage_has_ended_but_edits_go_on(desk):
    desk.story.coverage = Article.Coverage.ENDED
    desk.story.save(update_fields=["coverage"])
    assert not permissions.can_post(desk.edna, desk.story)
    assert permissions.can_open_desk(desk.rita, desk.story)
    assert permissions.can_edit_entry(desk.rita, desk.public)


def test_a_story_without_coverage_has_no_desk(client, desk):
    plain = make_article(authors=[desk.rita.author])
    client.force_login(desk.edna)
    assert client.get(desk_url(plain)).status_code == 404


def test_a_reporter_off_the_byline_is_refused_everything_and_nothing_is_written(client, desk):
    client.force_login(desk.otto)
    before = entry_rows()
    assert client.get(desk_url(desk.story)).status_code == 403
    assert client.get(edit_url(desk.public)).status_code == 403
    assert client.get(history_url(desk.public)).status_code == 403
    assert post_entry(client, desk.story, author=desk.otto.author.pk).status_code == 403
    crafted = edit_data(desk.public, body="Hijacked.")
    assert client.post(edit_url(desk.public), crafted).status_code == 403
    assert flag(client, desk.public, "pin").status_code == 403
    assert client.post(delete_url(desk.scheduled)).status_code == 403
    assert client.post(delete_url(desk.public)).status_code == 403
    assert entry_rows() == before


def test_a_reporter_on_the_byline_posts_and_edits(client, desk):
    client.force_login(desk.rita)
    assert post_entry(client, desk.story, author=desk.rita.author.pk).status_code == 302
    response = client.post(edit_url(desk.public), edit_data(desk.public, body="Reworded."))
    assert response.status_code == 302
    assert Entry.objects.get(pk=desk.public.pk).body == "Reworded."


def test_a_reporter_on_the_byline_cannot_remove_a_published_entry(client, desk):
    client.force_login(desk.rita)
    assert client.get(delete_url(desk.public)).status_code == 403
    assert client.post(delete_url(desk.public)).status_code == 403
    assert Entry.objects.filter(pk=desk.public.pk).exists()
    page = client.get(desk_url(desk.story)).content.decode()
    assert delete_url(desk.public) not in page
    assert delete_url(desk.scheduled) in page


def test_a_reporter_on_the_byline_removes_an_entry_not_yet_public(client, desk):
    client.force_login(desk.rita)
    assert client.post(delete_url(desk.scheduled)).status_code == 302
    assert not Entry.objects.filter(pk=desk.scheduled.pk).exists()


def test_an_editor_does_everything(client, desk):
    client.force_login(desk.edna)
    assert post_entry(client, desk.story, author=desk.edna.author.pk).status_code == 302
    assert client.post(edit_url(desk.public), edit_data(desk.public, body="Ed.")).status_code == 302
    desk.public.refresh_from_db()
    assert flag(client, desk.public, "pin").status_code == 302
    assert client.post(delete_url(desk.public)).status_code == 302
    assert not Entry.objects.filter(pk=desk.public.pk).exists()


def test_only_editors_start_and_end_coverage(client, desk):
    start = reverse("admin:live_entry_start", args=[desk.story.pk])
    end = reverse("admin:live_entry_end", args=[desk.story.pk])
    for reporter in (desk.rita, desk.otto):
        client.force_login(reporter)
        assert client.get(end).status_code == 403
        assert client.post(end).status_code == 403
    desk.story.refresh_from_db()
    assert desk.story.is_live_coverage
    client.force_login(desk.edna)
    assert client.get(end).status_code == 200
    assert client.post(end).status_code == 302
    desk.story.refresh_from_db()
    assert desk.story.coverage == Article.Coverage.ENDED
    assert desk.story.coverage_ended_at is not None
    assert client.post(start).status_code == 302
    desk.story.refresh_from_db()
    assert desk.story.is_live_coverage
    assert desk.story.coverage_ended_at is None


def test_an_editor_starts_coverage_of_a_plain_story_from_its_page(client, desk):
    plain = make_article(authors=[desk.rita.author])
    client.force_login(desk.edna)
    page = client.get(reverse("admin:articles_article_change", args=[plain.pk])).content.decode()
    start = reverse("admin:live_entry_start", args=[plain.pk])
    assert start in page
    assert "Live coverage" in page
    assert 'name="poll_seconds"' in page
    assert client.post(start).status_code == 302
    plain.refresh_from_db()
    assert plain.is_live_coverage


def test_the_poll_interval_is_the_editors_and_a_reporters_crafted_one_is_ignored(client, desk):
    from articles.models import Byline

    draft = make_article(
        status=Article.Status.DRAFT, publish_at=None, created_by=desk.rita, authors=[]
    )
    Byline.objects.create(article=draft, author=desk.rita.author, position=0)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    client.force_login(desk.rita)
    page = client.get(url).content.decode()
    assert 'name="poll_seconds"' not in page
    assert reverse("admin:live_entry_start", args=[draft.pk]) not in page
    client.post(url, article_form_data(draft, _save_draft="1", poll_seconds="600"))
    draft.refresh_from_db()
    assert draft.poll_seconds is None
    client.force_login(desk.edna)
    response = client.post(url, article_form_data(draft, _save_draft="1", poll_seconds="600"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.poll_seconds == 600
