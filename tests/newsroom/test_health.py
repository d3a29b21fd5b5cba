from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_healthz_reports_database_and_cache(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failed": [], "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_is_at_a_fixed_address():
    assert reverse("healthz") == "/healthz"


def test_healthz_names_a_failed_database(client, db):
    with mock.patch("newsroom.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["cache"] == "ok"


def test_healthz_names_a_cache_that_loses_what_it_is_given(client, db):
    # What django-redis with IGNORE_EXCEPTIONS looks like when Redis is gone: writes vanish.
    with mock.patch("newsroom.health.cache.get", return_value=None):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_names_a_cache_that_raises(client, db):
    with mock.patch("newsroom.health.cache.set", side_effect=ConnectionError("refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_healthz_names_both(client, db):
    with (
        mock.patch("newsroom.health.connection.cursor", side_effect=OperationalError("down")),
        mock.patch("newsroom.health.cache.get", return_value=None),
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["failed"] == ["database", "cache"]
