"""The Content-Security-Policy every page carries, and the markup it has to allow."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import make_article, make_author, make_section


def policy(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


# JSON-LD is a data block, not a script: browsers never run it, and script-src does not govern it.
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", re.I)
INLINE_STYLE = re.compile(rb"<style\b|\sstyle=", re.I)
INLINE_HANDLER = re.compile(rb"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def assert_no_inline_code(content):
    assert not INLINE_SCRIPT.search(content)
    assert not INLINE_STYLE.search(content)
    assert not INLINE_HANDLER.search(content)


@pytest.fixture
def story(db):
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada-reporter")
    return make_article(section=section, authors=[author], tags=["harbour"])


def reader_urls(story):
    return [
        reverse("articles:home"),
        story.get_absolute_url(),
        reverse("articles:section", kwargs={"slug": "world"}),
        reverse("articles:tag", kwargs={"slug": "harbour"}),
        reverse("authors:detail", kwargs={"slug": "ada-reporter"}),
        "/no-such-page/",
    ]


def test_reader_pages_allow_no_inline_script(client, story):
    for url in reader_urls(story):
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in directives["style-src"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert_no_inline_code(response.content)


def test_admin_pages_work_under_the_policy(admin_client, story):
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_add"),
        reverse("admin:authors_author_changelist"),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["script-src"] == ["'self'"]
        assert_no_inline_code(response.content)


def test_error_pages_need_no_inline_style():
    for name in ["500.html", "503.html", "axes/lockout.html"]:
        html = render_to_string(name, {"failure_limit": 5}).encode()
        assert_no_inline_code(html)
        assert b'rel="stylesheet"' in html
