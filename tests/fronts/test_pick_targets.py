"""A pick's story search offers what a front can show: live and scheduled stories, as a teaser's."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db


def offered(client, app_label, model_name, field_name):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {int(row["id"]) for row in response.json()["results"]}


def test_the_pick_target_search_offers_live_and_scheduled_stories_only(client):
    live = make_article()
    scheduled = make_article(publish_at="future")
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    expired = make_article(unpublish_at="past")
    withdrawn = make_article(status=Article.Status.WITHDRAWN)
    client.force_login(make_editor())
    picks = offered(client, "fronts", "pick", "target")
    assert {live.pk, scheduled.pk} <= picks
    assert not picks & {draft.pk, expired.pk, withdrawn.pk}
    # The teasers' search is narrowed as before; a search over stories for anything else is not.
    assert offered(client, "articles", "relatedteaser", "target") == picks
    assert draft.pk in offered(client, "articles", "correction", "article")


def test_a_made_up_model_in_the_search_is_refused_not_an_error(client):
    client.force_login(make_editor())
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "nowhere", "model_name": "pick", "field_name": "target", "term": ""},
    )
    assert response.status_code == 403
