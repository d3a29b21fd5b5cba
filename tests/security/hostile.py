"""The hostile-input corpus and the rules its output must keep (see tests/data/README.md).

``build_corpus()`` puts every payload line through every text field a reporter or editor can fill;
``stored_html_violations()`` and ``page_violations()`` apply the static rules to what was stored and
to what a page sends.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from articles.markup import clean_single_line, clean_text
from articles.models import Article, Section
from tests.factories import make_article, make_author, make_correction, make_section, make_teaser

PAYLOAD_FILE = Path(__file__).resolve().parents[1] / "data" / "xss-payloads.txt"
PAYLOADS = [line for line in PAYLOAD_FILE.read_text(encoding="utf-8").split("\n") if line.strip()]

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "form",
    "svg", "math", "style", "link", "template", "noscript", "xmp", "plaintext", "isindex",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "poster", "background", "data"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(value):
    """The scheme a browser would see: control characters, tabs and newlines removed first."""
    match = _SCHEME.match(_URL_JUNK.sub("", value or ""))
    return match.group(1).lower() if match else None


def unsafe_url(value):
    scheme = url_scheme(value)
    return scheme is not None and scheme not in SAFE_SCHEMES


@dataclass
class Element:
    tag: str
    attrs: dict
    in_head: bool


@dataclass
class _Collector(HTMLParser):
    elements: list = field(default_factory=list)
    in_head: bool = False

    def __post_init__(self):
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        self.elements.append(Element(tag, dict(attrs), self.in_head))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def parse(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def attribute_violations(element):
    found = []
    for name, value in element.attrs.items():
        if name.startswith("on") or name == "style" or name == "srcdoc":
            found.append(f"<{element.tag} {name}=…>")
        elif name in URL_ATTRIBUTES and unsafe_url(value):
            found.append(f"<{element.tag} {name}={value!r}>")
    return found


def stored_html_violations(html):
    """The rules for sanitised HTML as stored: no active element, handler, style or bad URL."""
    found = []
    for element in parse(html):
        if element.tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{element.tag}>")
        found += attribute_violations(element)
    return found


# The admin draws its icons as inline SVG: one sprite sheet and three theme-toggle icons.
ADMIN_OWN_SVGS = 4


def page_violations(html, *, static_url="/static/", admin=False, admin_scripts=()):
    """The same rules on a whole page, less what the page itself is built from.

    Pages keep their own head (meta, stylesheet links) and, in the admin, its forms, its icons and
    the scripts it loads from this site. Anything else of that kind came from content.
    """
    found = []
    elements = parse(html)
    if admin:
        svgs = sum(element.tag == "svg" for element in elements)
        if svgs > ADMIN_OWN_SVGS:
            found.append(f"{svgs} <svg> elements")
    for element in elements:
        tag = element.tag
        if tag in {"meta", "link"} and element.in_head:
            if tag == "link" and not element.attrs.get("href", "").startswith(static_url):
                found.append(f"<link href={element.attrs.get('href')!r}>")
        elif tag == "script" and admin:
            src = element.attrs.get("src", "")
            if not (src.startswith(static_url) or src in admin_scripts):
                found.append(f"<script src={src!r}>")
        elif tag in {"form", "svg"} and admin:
            pass
        elif tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        found += attribute_violations(element)
    return found


def shown_as_text(value):
    """How a one-line field's value appears in a page: cleaned, then escaped by the template."""
    from django.utils.html import escape

    return escape(clean_single_line(value))


def fit(value, limit):
    return value[:limit]


def _hero_image():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, format="PNG")
    return default_storage.save("heroes/hostile.png", ContentFile(buffer.getvalue()))


@dataclass
class Corpus:
    articles: list
    authors: list
    sections: list

    def reader_urls(self):
        from django.urls import reverse

        urls = [reverse("articles:home")]
        for article in self.articles:
            urls.append(article.get_absolute_url())
        for section in self.sections:
            urls.append(section.get_absolute_url())
        for author in self.authors:
            urls.append(author.get_absolute_url())
        for article in self.articles:
            urls += [reverse("articles:tag", args=[tag.slug]) for tag in article.tags.all()]
        return urls


def build_corpus(payloads=PAYLOADS):
    """One story per payload line, every field of it (and of its section, author, tag, teaser and
    correction) filled with that line, cut to the field's length as a form would require."""
    hero = _hero_image()
    now = timezone.now()
    articles, authors, sections = [], [], []
    target = make_article(headline="Teaser target", slug="teaser-target")
    for number, payload in enumerate(payloads):
        section = make_section(
            name=fit(payload, 80), slug=f"hostile-{number}", description=fit(payload, 300)
        )
        author = make_author(
            name=fit(payload, 120),
            slug=f"hostile-{number}",
            job_title=fit(payload, 160),
            bio=fit(clean_text(payload), 2000),
        )
        article = make_article(
            headline=fit(payload, 200),
            slug=f"hostile-{number}",
            kicker=fit(payload, 60),
            dek=fit(payload, 600),
            body=payload,
            section=section,
            authors=[author],
            tags=[fit(payload, 100)],
            hero_image=hero,
            hero_caption=fit(payload, 300),
            hero_credit=fit(payload, 120),
            hero_alt=fit(payload, 250),
            seo_title=fit(payload, 120),
            seo_description=fit(payload, 300),
            publish_at=now - timedelta(minutes=10, seconds=number),
        )
        make_teaser(
            article=article, target=target, headline=fit(payload, 200), excerpt=fit(payload, 400)
        )
        make_teaser(
            article=article,
            url=f"https://example.com/?q={payload[:150]}",
            headline=fit(payload, 200),
            excerpt=fit(payload, 400),
            position=1,
        )
        make_correction(article=article, text=fit(clean_text(payload), 2000))
        articles.append(article)
        authors.append(author)
        sections.append(section)
    return Corpus(articles=articles, authors=authors, sections=sections)


def delete_corpus():
    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from authors.models import Author

    Article.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()
