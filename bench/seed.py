"""Seed the bench database (idempotent) and write the reader paths the scripts request.

Usage: DATABASE_URL=... python bench/seed.py STORIES
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from authors.models import Author  # noqa: E402
from bench.common import EDITOR, RESULTS  # noqa: E402
from newsroom.reversing import reverse  # noqa: E402
from tests.factories import make_article, make_author, make_section  # noqa: E402


def seed(stories):
    sections = list(Section.objects.filter(slug__startswith="bench-")) or [
        make_section(name=f"Bench section {n}", slug=f"bench-section-{n}") for n in range(5)
    ]
    authors = list(Author.objects.filter(slug__startswith="bench-")) or [
        make_author(name=f"Bench Author {n}", slug=f"bench-author-{n}") for n in range(10)
    ]
    have = Article.objects.filter(slug__startswith="bench-story-").count()
    for n in range(have, stories):
        make_article(
            headline=f"Bench story {n}",
            slug=f"bench-story-{n}",
            section=sections[n % len(sections)],
            authors=[authors[n % len(authors)]],
            tags=[f"bench-topic-{n % 7}"],
            body=f"Paragraph one of story {n}.\n\nParagraph *two*, with [a link](https://example.com/).",
        )
    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR[0], defaults={"is_staff": True, "is_superuser": True}
    )
    user.set_password(EDITOR[1])
    user.save()


def paths():
    found = [reverse("articles:home")]
    found += [s.get_absolute_url() for s in Section.objects.filter(slug__startswith="bench-")]
    found += [a.get_absolute_url() for a in Author.objects.filter(slug__startswith="bench-")]
    found += [reverse("articles:tag", args=[t.slug]) for t in Tag.objects.all()[:7]]
    found += [
        a.get_absolute_url()
        for a in Article.objects.live().filter(slug__startswith="bench-story-")[:40]
    ]
    return found


if __name__ == "__main__":
    seed(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "paths.json").write_text(json.dumps(paths(), indent=1))
    # The section and author the load script's editors file their stories under.
    desk = {
        "section": Section.objects.filter(slug__startswith="bench-").earliest("pk").pk,
        "author": Author.objects.filter(slug__startswith="bench-").earliest("pk").pk,
    }
    (RESULTS / "editor.json").write_text(json.dumps(desk))
