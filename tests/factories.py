"""Keyword-argument factory functions: each test names the state it depends on."""

import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import Article, Byline, Correction, RelatedTeaser, Section
from authors.models import Author
from fronts.models import Front, Pick, Zone

_seq = itertools.count(1)


def _n():
    return next(_seq)


def make_user(
    *, username=None, is_staff=False, is_superuser=False, groups=(), permissions=(), **kw
):
    """``permissions`` are "app_label.codename" strings, e.g. "articles.view_article"."""
    user = get_user_model().objects.create_user(
        username=username or f"user{_n()}",
        password=kw.pop("password", "correct horse battery staple"),
        is_staff=is_staff,
        is_superuser=is_superuser,
        **kw,
    )
    if groups:
        from django.contrib.auth.models import Group

        user.groups.set([Group.objects.get(name=name) for name in groups])
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_image(*, name="picture.png", size=(48, 32), colour=(200, 60, 40)):
    """A small PNG drawn with Pillow, ready to assign to an ImageField."""
    picture = Image.new("RGB", size, (240, 240, 235))
    ImageDraw.Draw(picture).ellipse((4, 4, size[0] - 4, size[1] - 4), fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_section(*, name=None, slug=None, **kw):
    n = _n()
    name = name or f"Section {n}"
    return Section.objects.create(name=name, slug=slug or f"section-{n}", **kw)


def make_author(
    *, name=None, slug=None, bio="Covers military, intelligence and geopolitics.", **kw
):
    n = _n()
    return Author.objects.create(
        name=name or f"Author {n}", slug=slug or f"author-{n}", bio=bio, **kw
    )


def make_article(
    *,
    headline=None,
    slug=None,
    status=Article.Status.PUBLISHED,
    publish_at="past",
    unpublish_at=None,
    section=None,
    tags=(),
    authors=(),
    **kw,
):
    """A live story unless told otherwise. ``publish_at`` may be "past", "future" or a datetime.

    ``authors`` holds authors, or ``(author, role)`` pairs for a byline role other than reporter.
    """
    n = _n()
    now = timezone.now()
    if publish_at == "past":
        publish_at = now - timedelta(hours=1, seconds=n)
    elif publish_at == "future":
        publish_at = now + timedelta(hours=1)
    if unpublish_at == "past":
        unpublish_at = now - timedelta(minutes=1)
    elif unpublish_at == "future":
        unpublish_at = now + timedelta(days=1)
    kw.setdefault("dek", f"The dek of story {n}.")
    kw.setdefault("body", f"The body of story {n}.")
    article = Article.objects.create(
        headline=headline or f"Story {n}",
        slug=slug or f"story-{n}",
        status=status,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        section=section,
        **kw,
    )
    if tags:
        article.tags.add(*tags)
    for position, author in enumerate(authors):
        author, role = author if isinstance(author, tuple) else (author, Byline.Role.REPORTER)
        Byline.objects.create(article=article, author=author, role=role, position=position)
    return article


def make_teaser(*, article, target=None, url="", **kw):
    return RelatedTeaser.objects.create(article=article, target=target, url=url, **kw)


def make_correction(*, article, text="An earlier version misstated the date.", **kw):
    kw.setdefault("published_at", timezone.now() - timedelta(minutes=5))
    return Correction.objects.create(article=article, text=text, **kw)


def make_reporter(*, username=None, author_name=None, **kw):
    """A staff user in the Reporter group, with an author profile linked to the login."""
    user = make_user(username=username, is_staff=True, groups=["Reporter"], **kw)
    make_author(name=author_name or f"Reporter {user.username}", user=user)
    return user


def make_editor(*, username=None, **kw):
    user = make_user(username=username, is_staff=True, groups=["Editor"], **kw)
    make_author(name=f"Editor {user.username}", user=user)
    return user


def make_front(*, kind=Front.Kind.HOME, section=None):
    """The home front or the banner (made once; the home front comes with the migrations), or
    a section's front."""
    if kind == Front.Kind.SECTION:
        return Front.objects.get_or_create(kind=kind, section=section or make_section())[0]
    return Front.objects.get_or_create(kind=kind)[0]


def make_zone(*, front=None, **kw):
    return Zone.objects.create(front=front or make_front(), **kw)


def make_pick(*, zone, target=None, url="", **kw):
    if url:
        kw.setdefault("headline", "Elsewhere")
    return Pick.objects.create(zone=zone, target=target, url=url, **kw)


def make_live_story(**kw):
    """A live story running live coverage."""
    kw.setdefault("coverage", Article.Coverage.LIVE)
    kw.setdefault("coverage_started_at", timezone.now() - timedelta(hours=2))
    return make_article(**kw)


def make_entry(*, article, body=None, by=None, **kw):
    """An entry posted through the live services (which keep the story's entry times)."""
    from live.models import Entry
    from live.services import save_entry

    entry = Entry(article=article, body=body or f"Entry {_n()}: what happened just now.", **kw)
    return save_entry(entry=entry, by=by)
