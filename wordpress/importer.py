"""Import a WordPress export (WXR) into stories, authors, sections and tags.

Two passes over the file, each streaming: the first reads what posts refer to (authors, terms,
attachments, guest authors) and checks the whole file, so that a damaged file is refused before
anything is written; the second writes one story per transaction. Every story is written with
``articles.services.save_story``, which keeps the bylines' and tag links' copies, old addresses
and the page cache right. Each mapping decision is described in docs/import-wordpress.md.
"""

import hashlib
import itertools
import json
import logging
import posixpath
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, ArticleRedirect, Byline, Section
from articles.services import StoryAction, announce, save_story
from authors.models import Author
from content.images import normalise
from content.markup import excerpt
from newsroom import pagecache

from . import wxr
from .convert import plain_text, to_markdown
from .models import ArchiveRedirect, ImportedAuthor, ImportedPost
from .old_links import story_query_path

STATUS_MAP = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
    "private": Article.Status.DRAFT,
}
SKIPPED_STATUSES = {
    "trash": "in the trash",
    "auto-draft": "an automatic draft",
    "inherit": "a revision",
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
STORED_EXTENSIONS = ("jpg", "png", "webp")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_TAG_SLUG = re.compile(r"^[-\w]+$")
_CREDIT = re.compile(r's:6:"credit";s:\d+:"([^"]*)"')
_NO_DATE = "0000-00-00 00:00:00"
MAX_REDIRECT_PATH = 300
# Stories written between two new generations of the page cache.
GENERATION_EVERY = 500
HEADLINE_MAX = 200
logger = logging.getLogger(__name__)
DEK_MAX = 600


class ImportRefused(Exception):
    """Nothing could be imported; the message is one line for the user."""


@dataclass
class Options:
    uploads: Path | None = None
    dry_run: bool = False
    section_from: str = "category"
    pages: bool = False
    resume: bool = False
    category_base: str = "category"
    tag_base: str = "tag"
    max_node_bytes: int = field(default_factory=lambda: wxr.MAX_NODE_BYTES)


@dataclass
class Attachment:
    path: str
    url: str
    link: str
    alt: str
    caption: str
    credit: str
    parent: int


@dataclass
class Index:
    """What the first pass learns: everything a post can refer to, but no post content."""

    channel: wxr.Channel = None
    authors: dict = field(default_factory=dict)
    guest_authors: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    category_ids: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)
    attachments: dict = field(default_factory=dict)
    by_parent: dict = field(default_factory=lambda: defaultdict(list))
    to_import: int = 0
    items: Counter = field(default_factory=Counter)


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    missing_files: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    redirects: Counter = field(default_factory=Counter)
    dry_run: bool = False
    seconds: float = 0.0

    def warn(self, post_id, message):
        self.warnings.append({"post": post_id, "message": message})

    def as_dict(self):
        return {
            "dry_run": self.dry_run,
            "counts": dict(sorted(self.counts.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "unknown_shortcodes": dict(sorted(self.unknown_shortcodes.items())),
            "missing_files": self.missing_files,
            "warnings": self.warnings,
            "redirects": dict(sorted(self.redirects.items())),
            "seconds": round(self.seconds, 2),
        }

    def lines(self):
        yield "Dry run: nothing was written." if self.dry_run else "Import finished."
        for title, counter in (
            ("Imported", self.counts),
            ("Skipped", self.skipped),
            ("Redirects", self.redirects),
            ("Unknown shortcodes (kept as text)", self.unknown_shortcodes),
        ):
            if counter:
                yield f"{title}:"
                for key, value in sorted(counter.items()):
                    yield f"  {key}: {value}"
        if self.missing_files:
            yield f"Missing files: {len(self.missing_files)}"
            for missing in self.missing_files[:50]:
                yield f"  post {missing['post']}: {missing['file']}"
        if self.warnings:
            yield f"Warnings: {len(self.warnings)}"
            for warning in self.warnings[:50]:
                yield f"  post {warning['post']}: {warning['message']}"

    def to_json(self):
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def site_key(channel):
    """The site a post id belongs to: its base address, without scheme or trailing slash."""
    address = channel.base_blog_url or channel.link or channel.base_site_url
    parts = urlsplit(address)
    return f"{parts.netloc}{parts.path}".rstrip("/").lower()


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def usable_path(path):
    """An old address worth remembering: one a request can have (no control characters, which
    no database text column takes either) and not longer than a redirect holds."""
    return bool(path) and len(path) <= MAX_REDIRECT_PATH and not _CONTROL.search(path)


def old_path(url):
    """A WordPress address as the path a request for it has (decoded, as Django gives it)."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    if parts.query:
        path = f"{path}?{unquote(parts.query)}"
    return path if usable_path(path) else ""


def parse_gmt(value):
    value = (value or "").strip()
    if not value or value == _NO_DATE:
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def parse_local(value):
    value = (value or "").strip()
    if not value or value == _NO_DATE:
        return None
    moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def uploads_path(url):
    """The path of a file under ``wp-content/uploads`` named by ``url``, or None."""
    path = unquote(urlsplit(url or "").path)
    marker = "/wp-content/uploads/"
    if marker not in path:
        return None
    return path.split(marker, 1)[1].lstrip("/")


class Importer:
    def __init__(self, path, options=None, *, progress=None):
        self.path = Path(path)
        self.options = options or Options()
        self.report = Report(dry_run=self.options.dry_run)
        self.progress = progress
        self.index = Index()
        self.site = ""
        self.author_map = {}
        self.sections = {}
        self.tags = {}
        self.archives_done = set()
        self.stored_images = {}

    # The two passes.

    def run(self):
        started = time.monotonic()
        self.scan()
        if self.options.dry_run:
            with transaction.atomic():
                self.write()
                transaction.set_rollback(True)
        else:
            self.write()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _reader(self, *, with_content):
        try:
            file = self.path.open("rb")
        except OSError as error:
            raise ImportRefused(f"cannot open {self.path}: {error.strerror}") from None
        return file, wxr.Reader(
            file, with_content=with_content, max_node_bytes=self.options.max_node_bytes
        )

    def scan(self):
        index = self.index
        file, reader = self._reader(with_content=False)
        try:
            for kind, record in reader:
                if kind == "author":
                    index.authors[record.login] = record
                elif kind == "term":
                    self._index_term(record)
                else:
                    self._index_item(record)
        except wxr.WXRError as error:
            raise ImportRefused(f"{self.path.name}: {error}") from None
        finally:
            file.close()
        index.channel = reader.channel
        self.site = site_key(reader.channel)
        if not self.site:
            raise ImportRefused(f"{self.path.name}: not a WordPress export: no site address")

    def _index_term(self, term):
        if term.kind == "category":
            self.index.categories[term.slug] = term
            if term.term_id is not None:
                self.index.category_ids[term.term_id] = term.slug
        elif term.kind == "post_tag":
            self.index.tags[term.slug] = term

    def _index_item(self, item):
        index = self.index
        index.items[item.post_type] += 1
        if item.post_type == "attachment":
            meta = item.meta
            path = meta.get("_wp_attached_file", "").strip() or uploads_path(item.attachment_url)
            credit = meta.get("_media_credit", "").strip()
            if not credit:
                found = _CREDIT.search(meta.get("_wp_attachment_metadata", ""))
                credit = found.group(1) if found else ""
            index.attachments[item.post_id] = Attachment(
                path=path or "",
                url=item.attachment_url,
                link=item.link,
                alt=meta.get("_wp_attachment_image_alt", "").strip(),
                caption=plain_text(item.excerpt),
                credit=credit,
                parent=item.post_parent,
            )
            if item.post_parent:
                index.by_parent[item.post_parent].append(item.post_id)
        elif item.post_type == "guest-author":
            meta = item.meta
            login = meta.get("cap-user_login", "").strip() or item.post_name
            index.guest_authors[login] = wxr.Author(
                login=login,
                display_name=meta.get("cap-display_name", "").strip() or plain_text(item.title),
                email=meta.get("cap-user_email", "").strip(),
                description=meta.get("cap-description", "").strip(),
            )
        elif self._wanted(item):
            index.to_import += 1

    def _wanted(self, item):
        return item.post_type == "post" or (item.post_type == "page" and self.options.pages)

    def write(self):
        for author in [*self.index.authors.values(), *self.index.guest_authors.values()]:
            with transaction.atomic():
                self._author(author)
        self.known = {
            row["wp_id"]: row
            for row in ImportedPost.objects.filter(site=self.site).values(
                "wp_id", "article_id", "content_hash", "hero_source"
            )
        }
        file, reader = self._reader(with_content=True)
        items = self._posts_in(reader)
        done = 0
        try:
            while chunk := list(itertools.islice(items, GENERATION_EVERY)):
                # Readers see the import's stories every so many, and the page cache does its
                # work once for them rather than after each row.
                with pagecache.one_generation():
                    for item in chunk:
                        self._post(item)
                        done += 1
                        if self.progress is not None:
                            self.progress(done, self.index.to_import)
        finally:
            file.close()

    def _posts_in(self, reader):
        for kind, item in reader:
            if kind != "item":
                continue
            if self._wanted(item):
                yield item
            elif item.post_type not in ("attachment", "guest-author"):
                self.report.skipped[f"post type {item.post_type or 'unknown'}"] += 1

    # Authors.

    def _author(self, record, *, update=True):
        login = record.login.strip()
        if not login:
            return None
        link = ImportedAuthor.objects.filter(site=self.site, login=login).select_related("author")
        link = link.first()
        name = plain_text(record.display_name) or " ".join(
            part for part in (record.first_name, record.last_name) if part
        )
        name = (name or login)[:120]
        if link is not None and not update:
            author = link.author
        elif link is not None:
            author = link.author
            changed = author.name != name or (
                record.description and author.bio != record.description
            )
            if changed:
                author.name = name
                if record.description:
                    author.bio = record.description[:2000]
                author.save()
                self.report.counts["authors updated"] += 1
        else:
            slug = slugify(login)[:120] or slugify(name)[:120] or "author"
            author = Author.objects.filter(slug=slug).first()
            if author is None:
                author = Author(name=name, slug=self._free_slug(Author, slug, 120))
                author.bio = record.description[:2000]
                if "@" in record.email and len(record.email) <= 254:
                    author.email = record.email
                author.save()
                self.report.counts["authors created"] += 1
            else:
                self.report.counts["authors matched to existing"] += 1
            ImportedAuthor.objects.create(site=self.site, login=login, author=author)
        self._keep(self.author_map, login, author)
        return author

    def _byline_author(self, login, name=""):
        author = self.author_map.get(login)
        if author is None:
            author = self._author(wxr.Author(login=login, display_name=name or login), update=False)
        return author

    @staticmethod
    def _free_slug(model, slug, limit, *, keep=None):
        candidate, n = slug, 1
        while model.objects.filter(slug=candidate).exclude(pk=keep).exists():
            n += 1
            suffix = f"-{n}"
            candidate = slug[: limit - len(suffix)] + suffix
        return candidate

    # Terms.

    def _section(self, slug, report_post):
        term = self.index.categories.get(slug)
        name = plain_text(term.name) if term else slug
        section_slug = slugify(unquote(slug))[:80] or slugify(name)[:80]
        if not section_slug:
            section_slug = f"category-{term.term_id if term and term.term_id else 'x'}"
        if section_slug in self.sections:
            return self.sections[section_slug]
        section = Section.objects.filter(slug=section_slug).first()
        if section is None:
            section = Section(slug=section_slug, name=(name or section_slug)[:80])
            if term and term.description:
                section.description = plain_text(term.description)[:300]
            section.save()
            self.report.counts["sections created"] += 1
        self._archive(self._category_paths(slug), section=section)
        self._keep(self.sections, section_slug, section)
        return section

    def _tag(self, slug, name):
        slug = unquote(slug or "").strip().lower()
        name = plain_text(name) or slug
        if not name:
            return None
        if (slug, name) in self.tags:
            return self.tags[slug, name]
        tag = Tag.objects.filter(slug=slug).first() if slug else None
        tag = tag or Tag.objects.filter(name__iexact=name[:100]).first()
        if tag is None:
            tag = Tag(name=name[:100])
            if slug and _TAG_SLUG.match(slug):
                tag.slug = slug[:100]
            tag.save()
            self.report.counts["tags created"] += 1
        self._keep(self.tags, (slug, name), tag)
        return tag

    @staticmethod
    def _keep(memo, key, row):
        """Remember ``row`` for later stories once it is committed (a rolled-back story's new
        tag or section must not be handed to the next)."""
        transaction.on_commit(lambda: memo.__setitem__(key, row))

    def _category_paths(self, slug):
        base = self._base_path()
        chain, seen = [slug], {slug}
        term = self.index.categories.get(slug)
        while term and term.parent and term.parent not in seen:
            chain.insert(0, term.parent)
            seen.add(term.parent)
            term = self.index.categories.get(term.parent)
        paths = [f"{base}{self.options.category_base}/{unquote('/'.join(chain))}/"]
        if len(chain) > 1:
            paths.append(f"{base}{self.options.category_base}/{unquote(slug)}/")
        term = self.index.categories.get(slug)
        if term and term.term_id:
            paths.append(story_query_path(base, "cat", term.term_id))
        return paths

    def _tag_paths(self, slug):
        base = self._base_path()
        return [
            f"{base}{self.options.tag_base}/{unquote(slug)}/",
            story_query_path(base, "tag", unquote(slug)),
        ]

    def _archive(self, paths, *, section=None, tag=None):
        for path in paths:
            key = (path, "section" if section else "tag")
            if key in self.archives_done or not usable_path(path):
                continue
            self.archives_done.add(key)
            existing = ArchiveRedirect.objects.filter(old_path=path).first()
            if existing is not None and (section is None and existing.section_id):
                continue  # A category that is a section somewhere stays the section's.
            if existing is None or (existing.section_id, existing.tag_id) != (
                section and section.pk,
                tag and tag.pk,
            ):
                ArchiveRedirect.objects.update_or_create(
                    old_path=path, defaults={"site": self.site, "section": section, "tag": tag}
                )
                self.report.redirects["section archives" if section else "tag archives"] += 1

    def _base_path(self):
        channel = self.index.channel
        path = urlsplit(channel.base_blog_url or channel.link or channel.base_site_url).path
        return (unquote(path).rstrip("/") or "") + "/"

    # Pictures.

    def _upload_file(self, relative):
        if self.options.uploads is None or not relative:
            return None
        root = self.options.uploads.resolve()
        candidate = (root / relative).resolve()
        if root not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    def _stored_image(self, relative, post_id):
        """The site's address of an upload, stored once (re-encoded), or None if it is missing."""
        if relative in self.stored_images:
            return self.stored_images[relative]
        url = None
        extension = relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
        source = self._upload_file(relative) if extension in IMAGE_EXTENSIONS else None
        used = relative
        if source is None and extension in IMAGE_EXTENSIONS:
            # A resized copy WordPress made ("-300x200") may be absent: the original serves.
            used = _SIZE_SUFFIX.sub("", relative)
            source = self._upload_file(used)
        if source is None:
            self.report.missing_files.append({"post": post_id, "file": relative})
            self.report.warn(post_id, f"missing upload {relative}")
        else:
            directory = posixpath.dirname(used)
            stem = slugify(posixpath.basename(used).rsplit(".", 1)[0])[:50] or "image"
            names = [
                f"wordpress/{directory}/{stem}.{ext}".replace("//", "/")
                for ext in STORED_EXTENSIONS
            ]
            stored = next((name for name in names if default_storage.exists(name)), None)
            if stored is None and not self.options.dry_run:
                picture = self._normalised(source, post_id)
                if picture is not None:
                    target = f"wordpress/{directory}/{stem}.{picture.name.rsplit('.', 1)[-1]}"
                    stored = default_storage.save(target.replace("//", "/"), picture)
                    self.report.counts["pictures stored"] += 1
            elif stored is None:
                stored = names[0]
            url = default_storage.url(stored) if stored else None
        self.stored_images[relative] = url
        return url

    def _normalised(self, source, post_id):
        try:
            upload = SimpleUploadedFile(source.name, source.read_bytes())
            return normalise(upload)
        except forms.ValidationError as error:
            self.report.warn(post_id, f"{source.name}: {' '.join(error.messages)}")
            return None

    def _rewrite(self, post_id):
        def rewrite(url, linked=False):
            relative = uploads_path(url)
            if relative is None:
                return None
            extension = relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
            if linked and extension not in IMAGE_EXTENSIONS:
                return None
            return self._stored_image(relative, post_id)

        return rewrite

    def _gallery(self, item):
        def images(ids):
            ids = ids or self.index.by_parent.get(item.post_id, [])
            found = []
            for attachment_id in ids:
                attachment = self.index.attachments.get(attachment_id)
                if attachment is None:
                    self.report.warn(
                        item.post_id, f"gallery picture {attachment_id} is not in the file"
                    )
                    continue
                found.append((attachment.url, attachment.alt, attachment.caption))
            return found

        return images

    # Posts.

    def _post(self, item):
        report = self.report
        post_id = item.post_id
        if post_id is None:
            report.skipped["no post id"] += 1
            return
        if item.status in SKIPPED_STATUSES:
            report.skipped[f"{item.post_type} {SKIPPED_STATUSES[item.status]}"] += 1
            return
        if item.status not in STATUS_MAP:
            report.skipped[f"status {item.status or 'unknown'}"] += 1
            report.warn(post_id, f"unknown status {item.status!r}: skipped")
            return
        known = self.known.get(post_id)
        if known is not None and self.options.resume:
            report.counts["posts already imported"] += 1
            return
        try:
            story = self._story_values(item)
        except ValueError as error:
            report.skipped["invalid date"] += 1
            report.warn(post_id, f"invalid date ({error}): skipped")
            return
        except Exception as error:
            # Content no converter could read is this post's problem, not the whole import's.
            logger.exception("WordPress post %s could not be converted", post_id)
            report.skipped["content could not be converted"] += 1
            report.warn(
                post_id, f"content could not be converted ({type(error).__name__}): skipped"
            )
            return
        digest = hashlib.sha256(json.dumps(story, sort_keys=True, default=str).encode()).hexdigest()
        if known is not None and known["content_hash"] == digest:
            report.counts["posts unchanged"] += 1
            return
        with transaction.atomic():
            self._write_story(item, story, digest, known)
        report.counts["posts updated" if known else "posts created"] += 1

    def _story_values(self, item):
        """Everything the story is made from, as plain values (their digest decides a re-run)."""
        notes = []
        status = STATUS_MAP[item.status]
        if item.status == "private":
            notes.append("Private on WordPress: imported as a draft, never published openly.")
        if item.post_password:
            status = Article.Status.DRAFT
            notes.append(
                "Password-protected on WordPress: imported as a draft, never published openly."
            )
        publish_at = None
        if status == Article.Status.PUBLISHED:
            publish_at = parse_gmt(item.post_date_gmt) or parse_local(item.post_date)
            if publish_at is None:
                raise ValueError("no publication date")
        else:
            # Checked all the same: a draft with a broken date is a damaged record.
            parse_gmt(item.post_date_gmt) or parse_local(item.post_date)
        converted = to_markdown(
            item.content,
            rewrite_url=self._rewrite(item.post_id),
            gallery_images=self._gallery(item),
        )
        self.report.unknown_shortcodes.update(converted.unknown_shortcodes)
        for name in converted.unknown_shortcodes:
            self.report.warn(item.post_id, f"unknown shortcode [{name}] kept as text")
        body = converted.markdown
        if len(body) > settings.NEWSROOM_BODY_MAX_LENGTH:
            body = body[: settings.NEWSROOM_BODY_MAX_LENGTH]
            notes.append("The body was longer than a story may be and was cut.")
            self.report.warn(item.post_id, "body cut to the longest a story may be")
        categories = [(slug, name) for domain, slug, name in item.terms if domain == "category"]
        section, tags = None, []
        if categories and self.options.section_from == "category":
            primary = self.index.category_ids.get(
                int(item.meta.get("_yoast_wpseo_primary_category", "0").strip() or 0)
                if item.meta.get("_yoast_wpseo_primary_category", "").strip().isdigit()
                else 0
            )
            slugs = [slug for slug, _ in categories]
            section = primary if primary in slugs else slugs[0]
            tags = [(slug, name, "category") for slug, name in categories if slug != section]
        else:
            tags = [(slug, name, "category") for slug, name in categories]
        tags += [
            (slug, name, "post_tag") for domain, slug, name in item.terms if domain == "post_tag"
        ]
        coauthors = [
            (slug.removeprefix("cap-"), name)
            for domain, slug, name in item.terms
            if domain == "author"
        ]
        bylines = coauthors or ([(item.creator, "")] if item.creator else [])
        hero = None
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            attachment = self.index.attachments.get(int(thumbnail))
            if attachment is None:
                self.report.warn(item.post_id, f"featured image {thumbnail} is not in the file")
            else:
                hero = {
                    "path": attachment.path,
                    "alt": attachment.alt,
                    "caption": attachment.caption,
                    "credit": attachment.credit,
                    # A file that turns up later makes the post "changed" for the next run.
                    "present": self._upload_file(attachment.path) is not None,
                }
        slug = slugify(unquote(item.post_name))[:200] or slugify(plain_text(item.title))[:200]
        attachments = [
            self.index.attachments[i].link
            for i in self.index.by_parent.get(item.post_id, [])
            if self.index.attachments[i].link
        ]
        return {
            "headline": (plain_text(item.title) or f"Untitled ({item.post_id})")[:HEADLINE_MAX],
            "slug": slug or f"post-{item.post_id}",
            "dek": excerpt(plain_text(item.excerpt), DEK_MAX),
            "body": body,
            "status": str(status),
            "wp_status": item.status,
            "publish_at": publish_at.isoformat() if publish_at else None,
            "featured": item.is_sticky,
            "section": section,
            "tags": tags,
            "bylines": bylines,
            "hero": hero,
            "link": item.link,
            "attachment_links": attachments,
            "post_type": item.post_type,
            "note": " ".join(notes),
        }

    def _write_story(self, item, story, digest, known):
        report = self.report
        article = Article() if known is None else Article.objects.get(pk=known["article_id"])
        article.headline = story["headline"]
        if article.pk is None or slugify(unquote(item.post_name)) != article.slug:
            article.slug = self._free_slug(Article, story["slug"], 200, keep=article.pk)
        article.dek = story["dek"]
        article.body = story["body"]
        article.status = story["status"]
        article.publish_at = (
            datetime.fromisoformat(story["publish_at"]) if story["publish_at"] else None
        )
        article.is_featured = story["featured"]
        article.section = (
            self._section(story["section"], item.post_id) if story["section"] else None
        )
        hero = story["hero"]
        hero_source = known["hero_source"] if known else ""
        if hero is None:
            if article.hero_image:
                article.hero_image = None
            hero_source = ""
        else:
            article.hero_alt = hero["alt"][:250]
            article.hero_caption = hero["caption"][:300]
            article.hero_credit = hero["credit"][:120]
            if hero["path"] != hero_source or not article.hero_image:
                source = self._upload_file(hero["path"])
                if source is None:
                    report.missing_files.append({"post": item.post_id, "file": hero["path"]})
                    report.warn(item.post_id, f"missing featured image {hero['path']}")
                    hero_source = ""
                elif not self.options.dry_run:
                    picture = self._normalised(source, item.post_id)
                    if picture is not None:
                        article.hero_image = picture
                        hero_source = hero["path"]
                        report.counts["heroes"] += 1
        save_story(article=article)
        self._bylines(article, story)
        tags = []
        for slug, name, kind in story["tags"]:
            tag = self._tag(slug, name if kind == "post_tag" else self._category_name(slug, name))
            if tag is None:
                continue
            tags.append(tag)
            paths = self._category_paths(slug) if kind == "category" else self._tag_paths(slug)
            self._archive(paths, tag=tag)
        article.tags.set(tags, clear=False)
        if story["status"] == Article.Status.PUBLISHED:
            self._story_redirects(article, item, story)
        ImportedPost.objects.update_or_create(
            site=self.site,
            wp_id=item.post_id,
            defaults={
                "article": article,
                "post_type": item.post_type,
                "wp_status": item.status,
                "original_url": item.link[:500],
                "content_hash": digest,
                "hero_source": hero_source,
                "note": story["note"],
            },
        )
        announce(article=article, action=StoryAction.SAVED)

    def _category_name(self, slug, name):
        term = self.index.categories.get(slug)
        return name or (term.name if term else slug)

    def _bylines(self, article, story):
        authors = []
        for login, name in story["bylines"]:
            author = self._byline_author(login, name)
            if author is not None and author not in authors:
                authors.append(author)
        published = story["status"] == Article.Status.PUBLISHED
        existing = {byline.author_id: byline for byline in article.bylines.all()}
        article.bylines.exclude(author__in=authors).delete()
        for position, author in enumerate(authors):
            byline = existing.get(author.pk) or Byline(article=article, author=author)
            changed = byline.pk is None or byline.position != position
            byline.position = position
            if published and byline.bio_snapshot != author.bio_html:
                byline.bio_snapshot = author.bio_html
                changed = True
            if changed:
                byline.save()

    def _story_redirects(self, article, item, story):
        base = self._base_path()
        paths = [old_path(item.link), story_query_path(base, "p", item.post_id)]
        if item.post_type == "page":
            paths.append(story_query_path(base, "page_id", item.post_id))
        paths += [old_path(link) for link in story["attachment_links"]]
        for attachment_id in self.index.by_parent.get(item.post_id, []):
            paths.append(story_query_path(base, "attachment_id", attachment_id))
        current = article.get_absolute_url()
        for path in paths:
            if not usable_path(path) or path == current:
                continue
            existing = ArticleRedirect.objects.filter(old_path=path).first()
            if existing is not None and existing.article_id == article.pk:
                continue
            ArticleRedirect.remember(old_path=path, article=article)
            self.report.redirects["story addresses"] += 1
