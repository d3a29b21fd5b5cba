"""Production settings, checked in a fresh interpreter with the environment a deployment would have."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Whatever this test run was given, the child starts from a clean, production-like environment.
_DROPPED = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_ENV", "DJANGO_DEBUG", "REDIS_URL"}


def run_python(code, *, tmp_path, **env):
    child_env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    child_env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_env(**overrides):
    env = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "news.example",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


SETUP = "import django; django.setup(); print('started')"


def last_line(text):
    return text.strip().splitlines()[-1]


def test_production_starts_with_key_and_hosts(tmp_path):
    result = run_python(SETUP, tmp_path=tmp_path, **production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short-key"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS must list"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS must list"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV must be"),
        ({"NEWSROOM_S3_BUCKET": "media"}, "NEWSROOM_S3_PUBLIC_URL must be"),
        ({"NEWSROOM_S3_REGION": "eu-west-1"}, "NEWSROOM_S3_BUCKET is not"),
    ],
)
def test_production_refuses_to_start_without_its_settings(tmp_path, overrides, reason):
    result = run_python(SETUP, tmp_path=tmp_path, **production_env(**overrides))
    assert result.returncode != 0
    assert "started" not in result.stdout
    line = last_line(result.stderr)
    assert line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert reason in line


def test_production_keeps_media_in_the_bucket_it_is_given(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; media = storages['default'];"
        "print(type(media).__name__, media.url('heroes/a.jpg'))"
    )
    bucket = {
        "NEWSROOM_S3_BUCKET": "newsroom-media",
        "NEWSROOM_S3_REGION": "eu-west-1",
        "NEWSROOM_S3_PUBLIC_URL": "https://media.news.example",
    }
    result = run_python(code, tmp_path=tmp_path, **production_env(**bucket))
    assert result.returncode == 0, result.stderr
    assert last_line(result.stdout) == "ObjectStorage https://media.news.example/heroes/a.jpg"


def test_check_deploy_is_clean_with_production_values(tmp_path):
    code = (
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_python(code, tmp_path=tmp_path, **production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


# Real production settings, real middleware stack: /healthz needs no tables and no static manifest.
HEADERS_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/healthz", HTTP_HOST="news.example", HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/healthz", HTTP_HOST="news.example")
print(json.dumps({
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "debug": settings.DEBUG,
}))
"""


def test_production_response_headers(tmp_path):
    result = run_python(HEADERS_PROBE, tmp_path=tmp_path, **production_env())
    assert result.returncode == 0, result.stderr
    probe = json.loads(last_line(result.stdout))
    headers = probe["headers"]
    assert probe["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    # Plain HTTP is sent to HTTPS; cookies only travel over HTTPS and stay away from scripts.
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://news.example/healthz"
    assert probe["session_cookie_secure"] is True
    assert probe["csrf_cookie_secure"] is True
    assert probe["session_cookie_httponly"] is True
    assert probe["debug"] is False
