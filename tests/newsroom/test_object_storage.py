"""Media in an S3-compatible bucket, against a real S3-protocol server on 127.0.0.1 (moto's).

The server speaks S3's HTTP API; boto3, django-storages and the readers' HTTP requests talk to it
as to any endpoint. The last test runs two gunicorn instances: a picture uploaded through one is
on the story page the other serves, and the URLs that page gives are the bucket's.
"""

import io
import json
import logging
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.httpsession import URLLib3Session
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from articles.models import Article
from newsroom.object_storage import ObjectStorage
from newsroom.storage_settings import media_storage
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_author, make_image, make_section
from tests.processes import stop_all

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
KEYS = {"NEWSROOM_S3_ACCESS_KEY_ID": "test-key", "NEWSROOM_S3_SECRET_ACCESS_KEY": "test-secret"}
SRCSET = re.compile(r'srcset="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.WARNING)  # not a line for every request the server answers
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        werkzeug.setLevel(level)


def public_read_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


@pytest.fixture
def bucket(s3_endpoint):
    """A new, empty bucket, with the environment that points the site at it."""
    name = f"media-{secrets.token_hex(4)}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=name)
    # Readers fetch pictures anonymously: the bucket policy the README asks for.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    env = {
        "NEWSROOM_S3_BUCKET": name,
        "NEWSROOM_S3_ENDPOINT_URL": s3_endpoint,
        "NEWSROOM_S3_REGION": REGION,
        "NEWSROOM_S3_PUBLIC_URL": f"{s3_endpoint}/{name}",
        "NEWSROOM_S3_ADDRESSING_STYLE": "path",
        **KEYS,
    }
    return SimpleNamespace(name=name, client=client, env=env, public_url=f"{s3_endpoint}/{name}")


@pytest.fixture
def in_bucket(settings, bucket):
    """This process's media storage is the bucket, configured from the environment as in production."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(bucket.env, production=False),
    }
    return bucket


def keys(bucket):
    listing = bucket.client.list_objects_v2(Bucket=bucket.name)
    return {item["Key"] for item in listing.get("Contents", [])}


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def picture_files(fieldfile, renditions):
    described = [renditions, *renditions.get("shapes", {}).values()]
    return {fieldfile.name} | {
        r["name"] for each in described for kind in ("webp", "jpeg") for r in each[kind]
    }


@pytest.fixture
def store_requests(monkeypatch):
    """Every HTTP request botocore sends, from any client in this process (a spy: it still sends)."""
    sent = []
    original = URLLib3Session.send

    def send(self, request):
        sent.append(f"{request.method} {request.url}")
        return original(self, request)

    monkeypatch.setattr(URLLib3Session, "send", send)
    return sent


def test_the_picture_and_its_renditions_are_written_to_the_bucket(db, in_bucket, settings):
    article = make_article(hero_image=make_image(name="harbour.png", size=(700, 400)))
    article.refresh_from_db()

    stored = picture_files(article.hero_image, article.hero_renditions)
    # The original; 320, 640 and 700 wide in WebP and JPEG; and 14 of its cuts to the shapes.
    assert len(stored) == 21
    assert keys(in_bucket) == stored
    assert not settings.MEDIA_ROOT.exists()
    for kind, content_type in (("webp", "image/webp"), ("jpeg", "image/jpeg")):
        for rendition in article.hero_renditions[kind]:
            head = in_bucket.client.head_object(Bucket=in_bucket.name, Key=rendition["name"])
            assert head["ContentType"] == content_type
            assert head["CacheControl"] == "public, max-age=86400"

    # Readers fetch them from the public address, unsigned.
    picture = article.hero_picture
    urls = [entry.split(" ")[0] for entry in picture.webp_srcset.split(", ")]
    urls += [entry.split(" ")[0] for entry in picture.jpeg_srcset.split(", ")]
    assert len(urls) == 6
    for url in urls:
        assert url.startswith(in_bucket.public_url + "/heroes/")
        assert "?" not in url
        status, headers, body = fetch(url)
        assert status == 200
        with Image.open(io.BytesIO(body)) as image:
            image.load()
            assert f" {image.width}w" in picture.webp_srcset


def test_a_second_upload_of_the_same_name_does_not_replace_the_first(db, in_bucket):
    first = make_article(hero_image=make_image(name="photo.png", colour=(200, 0, 0)))
    second = make_article(hero_image=make_image(name="photo.png", colour=(0, 0, 200)))
    assert first.hero_image.name != second.hero_image.name
    assert keys(in_bucket) == picture_files(
        first.hero_image, first.hero_renditions
    ) | picture_files(second.hero_image, second.hero_renditions)


def test_pages_with_pictures_send_no_request_to_the_store(client, db, in_bucket, store_requests):
    author = make_author(name="Ada Reporter", slug="ada", photo=make_image(name="ada.png"))
    section = make_section()
    article = make_article(
        headline="Harbour reopens",
        hero_image=make_image(name="harbour.png", size=(700, 400)),
        section=section,
        authors=[author],
    )
    assert store_requests, "the spy saw the uploads"
    store_requests.clear()

    for url in (
        article.get_absolute_url(),
        reverse("articles:home"),
        section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("api:article", kwargs={"pk": article.pk}),
    ):
        response = client.get(url, HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200
        assert in_bucket.public_url.encode() in response.content
    assert store_requests == []


def test_a_store_that_refuses_the_upload_is_a_form_error(admin_client, bucket, settings):
    env = {**bucket.env, "NEWSROOM_S3_BUCKET": f"missing-{secrets.token_hex(4)}"}
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(env, production=False)}
    data = article_form_data(headline="Harbour reopens", slug="harbour-reopens", hero_alt="Quay")
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        {**data, "hero_image": make_image(name="harbour.png")},
    )
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["hero_image"]
    assert message.startswith("The picture could not be stored: the server's storage reported")
    assert not Article.objects.exists()


def test_the_object_storage_is_django_storages_s3_with_unsigned_public_urls(bucket):
    storage = ObjectStorage(**media_storage(bucket.env, production=False)["OPTIONS"])
    assert storage.url("heroes/2026/12/quay-320.webp") == (
        f"{bucket.public_url}/heroes/2026/12/quay-320.webp"
    )
    # The short timeouts are added to django-storages' own client settings, not instead of them.
    config = storage.client_config
    assert config.s3 == {"addressing_style": "path"}
    assert (config.connect_timeout, config.read_timeout) == (3, 10)


# Two app servers sharing one database, one page cache and one bucket, and nothing else.

PASSWORD = "correct horse battery staple"
SEED = f"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tests.factories import make_author, make_section, make_user
make_user(username="desk", password={PASSWORD!r}, is_staff=True, is_superuser=True)
print(json.dumps({{"section": make_section(name="Harbour").pk, "author": make_author().pk}}))
"""


@pytest.fixture
def shared_database(tmp_path):
    """A database both servers see: this run's PostgreSQL test database, else a SQLite file
    (the SQLite tests' own database lives in this process's memory)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def server_env(database_url, bucket, tmp_path, name):
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "REDIS_URL" and not key.startswith(("NEWSROOM_", "DJANGO_"))
    }
    return {
        **env,
        **bucket.env,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "0",
        "NEWSROOM_CACHE_DIR": str(tmp_path / "cache"),
        # Each server's own disk, which must stay empty.
        "NEWSROOM_MEDIA_ROOT": str(tmp_path / f"media-{name}"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }


def start_server(env, port, log):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_ready(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return fetch(f"http://127.0.0.1:{port}/healthz")[0] == 200
        except OSError:
            time.sleep(0.1)
    return False


class Visitor:
    """A browser's session with one server: cookies, and the CSRF token Django asks forms for."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return urlsplit(response.url).path, response.read().decode()

    def post(self, path, data):
        csrf = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        body = encode_multipart(BOUNDARY, {**data, "csrfmiddlewaretoken": csrf})
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": MULTIPART_CONTENT}
        )
        with self.opener.open(request, timeout=60) as response:
            return urlsplit(response.url).path, response.read().decode()


@pytest.mark.cross_process
@pytest.mark.django_db(transaction=True)
def test_a_picture_uploaded_through_one_server_is_served_by_the_other(
    bucket, shared_database, tmp_path
):
    envs = [server_env(shared_database, bucket, tmp_path, name) for name in ("one", "two")]
    seeded = subprocess.run(
        [sys.executable, "-c", SEED],
        cwd=ROOT,
        env=envs[0],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])

    ports = [free_port(), free_port()]
    logs = [open(tmp_path / f"server-{port}.log", "wb") for port in ports]  # noqa: SIM115
    servers = [
        start_server(env, port, log) for env, port, log in zip(envs, ports, logs, strict=True)
    ]
    try:
        for port, log in zip(ports, logs, strict=True):
            assert wait_until_ready(port), Path(log.name).read_text()

        # An editor logs in to the first server and publishes a story with a hero picture.
        desk = Visitor(ports[0])
        desk.get(reverse("admin:login"))
        where, _ = desk.post(
            reverse("admin:login"),
            {"username": "desk", "password": PASSWORD, "next": reverse("admin:index")},
        )
        assert where == reverse("admin:index")
        story = article_form_data(
            headline="Harbour reopens",
            slug="harbour-reopens",
            dek="Ferries sail again after the storm.",
            body="The first ferry left at dawn.",
            section=ids["section"],
            hero_alt="The quay at dawn",
            hero_credit="Photo: the desk",
            new_bylines=[(SimpleNamespace(pk=ids["author"]), "reporter")],
            _publish="Publish now",
        )
        picture = make_image(name="quay.png", size=(1000, 600))
        desk.get(reverse("admin:articles_article_add"))
        where, page = desk.post(
            reverse("admin:articles_article_add"), {**story, "hero_image": picture}
        )
        assert "Published: Harbour reopens" in page, page

        # A reader on the second server gets the story, and every picture it names is in the
        # bucket, at the bucket's public address.
        reader = Visitor(ports[1])
        _, listing = reader.get(reverse("api:articles"))
        (entry,) = json.loads(listing)["results"]
        _, html = reader.get(urlsplit(entry["url"]).path)
        assert "Harbour reopens" in html
        srcsets = SRCSET.findall(html)
        assert len(srcsets) == 2  # WebP and JPEG
        sources = [item.rsplit(" ", 1) for srcset in srcsets for item in srcset.split(", ")]
        assert len(sources) == 8  # 320, 640, 960 and 1000 wide, in each format
        for url, width in sources:
            assert url.startswith(bucket.public_url + "/heroes/")
            status, headers, body = fetch(url)
            assert status == 200
            with Image.open(io.BytesIO(body)) as image:
                image.load()
                assert (image.format, f"{image.width}w") == (
                    "WEBP" if url.endswith(".webp") else "JPEG",
                    width,
                )
        stored = keys(bucket)
        assert {urlsplit(url).path.split("/", 2)[2] for url, _ in sources} < stored
        # And the original, and 18 renditions of its cuts: wide 640, 960 and 1000 wide, landscape
        # 320, 640 and 800, square 160, 320 and 600, in each format.
        assert len(stored) == 27
        assert not any((tmp_path / f"media-{name}").exists() for name in ("one", "two"))
    finally:
        stop_all(servers)
        for log in logs:
            log.close()
