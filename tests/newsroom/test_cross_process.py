"""Two real gunicorn instances sharing PostgreSQL and Redis: a change made in a third process is
on both home pages within a second, and a scheduled story appears on both on time. This test waits
on real time (a few seconds), because the servers' clocks cannot be moved."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.services import publish_article
from tests.factories import make_article, make_author, make_section
from tests.processes import stop_all

# Two gunicorn instances on loopback, sharing PostgreSQL and Redis.
pytestmark = pytest.mark.cross_process

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_is_up():
    try:
        with socket.create_connection(REDIS, timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        return response.read(), response.headers.get("X-Page-Cache")


def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def shared_cache(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two servers share the database (SQLite tests run in memory)")
    if not redis_is_up():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    prefix = f"xproc-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    yield prefix
    from django.core.cache import cache

    cache.delete_pattern("*")


def start_server(prefix, port):
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "0",
        "REDIS_URL": REDIS_URL,
        "NEWSROOM_CACHE_PREFIX": prefix,
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ready(port):
    try:
        return fetch(port)[0] is not None
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_two_instances_see_changes_within_a_second_and_schedules_on_time(shared_cache):
    make_article(headline="Yesterday's news")
    ports = [free_port(), free_port()]
    servers = [start_server(shared_cache, port) for port in ports]
    try:
        assert all(wait_until(lambda port=port: ready(port), 30) for port in ports)
        for port in ports:  # both serve the home page from the shared cache
            fetch(port)
            assert wait_until(lambda port=port: fetch(port)[1] == "hit", 2)

        # Ready for the publish checklist: a section and a byline whose author has a bio.
        draft = make_article(
            headline="Dam bursts upstream",
            status=Article.Status.DRAFT,
            section=make_section(),
            authors=[make_author()],
        )
        assert all(b"Dam bursts" not in fetch(port)[0] for port in ports)
        publish_article(article=draft)
        for port in ports:
            assert wait_until(lambda port=port: b"Dam bursts" in fetch(port)[0], 1.0)

        publish_at = timezone.now() + timedelta(seconds=3)
        make_article(headline="Embargo lifts", publish_at=publish_at)
        for port in ports:
            fetch(port)
            assert b"Embargo lifts" not in fetch(port)[0]
        for port in ports:
            assert wait_until(lambda port=port: b"Embargo lifts" in fetch(port)[0], 5)
            assert timezone.now() >= publish_at
    finally:
        stop_all(servers)
