"""django-axes: five wrong passwords lock that username from that address out for 15 minutes."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return make_user(username="editor", is_staff=True, password=PASSWORD)


def attempt(password, *, username="editor", ip="203.0.113.7"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )
    return response


def fail(times, **kw):
    return [attempt("wrong password", **kw).status_code for _ in range(times)]


def test_four_wrong_passwords_do_not_lock(editor):
    assert fail(4) == [200] * 4
    assert attempt(PASSWORD).status_code == 302


def test_fifth_wrong_password_locks_even_the_right_one_out(editor):
    assert fail(5) == [200, 200, 200, 200, 429]
    response = attempt(PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in locked" in text
    assert "5 wrong passwords" in text
    assert "locked for 15 minutes" in text
    assert "ask an administrator" in text
    assert "sessionid" not in response.cookies


def test_lock_is_per_username_and_address(editor):
    make_user(username="other", is_staff=True, password=PASSWORD)
    fail(5)
    assert attempt(PASSWORD, ip="198.51.100.9").status_code == 302
    assert attempt(PASSWORD, username="other").status_code == 302
    assert attempt(PASSWORD).status_code == 429


def test_lock_lifts_after_the_cool_off(editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(5)
        clock.move_to(start + timedelta(minutes=14))
        assert attempt(PASSWORD).status_code == 429
        # A failure during the lock restarts the clock, so wait a full period from the last one.
        clock.move_to(start + timedelta(minutes=14 + 16))
        assert attempt(PASSWORD).status_code == 302


def test_administrator_resets_with_the_command(editor):
    fail(5)
    call_command("axes_reset_username", "editor")
    assert attempt(PASSWORD).status_code == 302


def test_administrator_resets_everything_with_the_command(editor):
    fail(5)
    call_command("axes_reset")
    assert not AccessAttempt.objects.exists()
    assert attempt(PASSWORD).status_code == 302


def test_administrator_resets_in_the_admin(editor, admin_client):
    fail(5)
    locked = AccessAttempt.objects.get(username="editor")
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert b"editor" in changelist.content
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[locked.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert attempt(PASSWORD).status_code == 302


def test_editor_without_user_rights_cannot_see_the_attempts(editor):
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 403
