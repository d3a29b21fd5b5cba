"""A database outage answers 503 quickly; any other crash answers the plain 500 page."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from articles import views


@pytest.fixture
def quiet_client():
    # The handler's answer is what a reader gets: the test client must not re-raise the error.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_outage_is_a_503(quiet_client, db, error):
    with mock.patch.object(views.Article.objects, "live", side_effect=error("server closed")):
        response = quiet_client.get(reverse("articles:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Back in a moment" in response.content


def test_database_outage_outside_a_view_is_a_503(quiet_client, db):
    # The navigation's lazy query runs while the template renders; the failure may also come from
    # middleware (sessions, django-axes), which the handler covers the same way.
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    ):
        quiet_client.cookies["sessionid"] = "a" * 32
        response = quiet_client.get(reverse("admin:index"))
    assert response.status_code == 503


def test_other_errors_are_a_500(quiet_client, db):
    with mock.patch.object(views.Article.objects, "live", side_effect=ValueError("bug")):
        response = quiet_client.get(reverse("articles:home"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
