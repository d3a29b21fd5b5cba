"""The story page's data (articles/story_page.py) is the same on its two paths: the fast path's
prepared queries and the plain querysets they are built from (NEWSROOM_STORY_FAST_PATH)."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import story_page
from articles.models import Byline
from newsroom.prepared import PreparedQuery
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_section,
    make_teaser,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def archive(db):
    """Stories whose pages use every part of the page's data: bylines with roles, tags, public and
    future corrections, curated teasers (running, ended, blocked, external) and the fill."""
    now = timezone.now()
    world, sport = make_section(name="World"), make_section(name="Sport")
    ada, ben = make_author(name="Ada Quay"), make_author(name="Ben Pier")
    harbour = make_article(
        headline="Harbour",
        section=world,
        tags=["ports", "strikes"],
        authors=[ada, (ben, Byline.Role.PHOTOGRAPHER)],
    )
    stories = [
        harbour,
        make_article(headline="Dockers", section=world, tags=["strikes"], authors=[ben]),
        make_article(headline="Ferries", section=sport, tags=["ports"]),
        make_article(headline="Cup final", section=sport),
        make_article(headline="Untagged", section=None),
        make_article(headline="Pier", section=world, tags=["ports"]),
        make_article(headline="Tomorrow", section=world, tags=["strikes"], publish_at="future"),
    ]
    make_correction(article=harbour, text="Public.")
    make_correction(article=harbour, text="Not yet.", published_at=now + timedelta(hours=1))
    make_teaser(article=harbour, target=stories[3], position=0)
    make_teaser(article=harbour, target=stories[1], ends_at=now - timedelta(hours=1))
    make_teaser(article=harbour, target=stories[2], is_blocked=True)
    make_teaser(article=stories[1], url="https://example.org/", headline="Elsewhere")
    return stories


def page_data(story, at):
    article = story_page.story_for_page(slug=story.slug, at=at)
    return {
        "article": (article.pk, article.headline, article.section_id, article.body_html),
        "bylines": [(b.pk, b.author.name, b.role, b.position) for b in article.bylines.all()],
        "tags": [(tag.pk, tag.name, tag.slug) for tag in article.tag_list],
        "corrections": [(c.kind, c.text) for c in article.public_corrections(at)],
        "strip": [
            (teaser.pk, teaser.target_id, teaser.url, teaser.display_headline)
            for teaser in story_page.related_strip(article, at)
        ],
    }


def on_each_path(settings, ask):
    answers = {}
    for path in ("fast", "plain"):
        settings.NEWSROOM_STORY_FAST_PATH = path == "fast"
        with CaptureQueriesContext(connection) as queries:
            answers[path] = ask()
        answers[f"{path} queries"] = [query["sql"] for query in queries.captured_queries]
    return answers


def test_both_paths_give_the_same_page_data_in_the_same_queries(archive, settings):
    now = timezone.now()
    for story in archive:
        answers = on_each_path(settings, lambda story=story: page_data(story, now))
        assert answers["fast"] == answers["plain"], story.headline
        fast, plain = answers["fast queries"], answers["plain queries"]
        assert len(fast) == len(plain), story.headline
        # The story, its curated teasers and the fill are the very same SQL; the bylines differ
        # only in form (one story's, where the prefetch asks for a list of stories').
        assert fast[0] == plain[0] and fast[2:] == plain[2:], story.headline
    # The ended teaser's and the blocked teaser's stories stay out of the fill.
    assert [t for *_, t in page_data(archive[0], now)["strip"]] == ["Cup final", "Pier"]


def test_an_unknown_slug_is_none_on_both_paths(archive, settings):
    now = timezone.now()
    answers = on_each_path(settings, lambda: story_page.story_for_page(slug="nothing", at=now))
    assert answers["fast"] is answers["plain"] is None


def test_the_plain_path_runs_no_prepared_query(archive, settings, monkeypatch):
    def refuse(self, **values):
        raise AssertionError("a prepared query ran")

    monkeypatch.setattr(PreparedQuery, "run", refuse)
    settings.NEWSROOM_STORY_FAST_PATH = False
    article = story_page.story_for_page(slug=archive[0].slug, at=timezone.now())
    assert len(story_page.related_strip(article)) == 2
    settings.NEWSROOM_STORY_FAST_PATH = True
    with pytest.raises(AssertionError, match="a prepared query ran"):
        story_page.story_for_page(slug=archive[0].slug, at=timezone.now())


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("0", False), ("1", True)])
def test_the_fast_path_is_on_unless_the_environment_turns_it_off(tmp_path, value, expected):
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_STORY_FAST_PATH"}
    if value is not None:
        env["NEWSROOM_STORY_FAST_PATH"] = value
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'settings.sqlite3'}",
    )
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.NEWSROOM_STORY_FAST_PATH))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is expected
