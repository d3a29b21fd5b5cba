"""The hostile-input corpus and the rules its output must keep (see tests/data/README.md).

``build_corpus()`` puts the payload lines, a few to a story, through every text field a reporter or
editor can fill; ``stored_html_violations()`` and ``page_violations()`` apply the static rules to what
was stored and to what a page sends.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import reversion
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.models import Article, Section
from content.markup import clean_single_line, clean_text
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
    text: str = ""


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

    def handle_data(self, data):
        # Only a script's own text matters here: the JSON-LD a page carries must stay intact.
        if self.elements and self.elements[-1].tag == "script":
            self.elements[-1].text += data

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


# What a reader page's head links to besides its stylesheets: itself and its feeds.
PAGE_OWN_LINKS = {"canonical", "alternate"}


def json_ld_violations(element):
    """A JSON-LD block is data: it must parse whole, so no content closed the element early."""
    if element.attrs.get("type") != "application/ld+json" or not element.in_head:
        return ["<script>"]
    try:
        json.loads(element.text)
    except ValueError:
        return ["<script type='application/ld+json'> that is not JSON"]
    return []


def page_violations(html, *, static_url="/static/", admin=False, admin_scripts=(), own_forms=()):
    """The same rules on a whole page, less what the page itself is built from.

    Pages keep their own head (meta, stylesheet, canonical and feed links, JSON-LD data, scripts
    from the site's static files) and, in the admin, its forms, its icons and the scripts it
    loads from this site. Anything else of that kind came from content.
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
            href = element.attrs.get("href", "")
            own = href.startswith(static_url) or element.attrs.get("rel") in PAGE_OWN_LINKS
            if tag == "link" and not own:
                found.append(f"<link href={href!r}>")
        elif tag == "script" and admin:
            src = element.attrs.get("src", "")
            if not (src.startswith(static_url) or src in admin_scripts):
                found.append(f"<script src={src!r}>")
        elif tag == "script" and element.in_head and "src" in element.attrs:
            # A reader page's own script (the live page's updates) comes from the site's files.
            if not element.attrs["src"].startswith(static_url):
                found.append(f"<script src={element.attrs['src']!r}>")
        elif tag == "script" and "src" not in element.attrs:
            found += json_ld_violations(element)
        elif tag in {"form", "svg"} and admin:
            pass
        elif tag == "form" and element.attrs.get("action") in own_forms:
            pass  # the site's own search box
        elif tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        found += attribute_violations(element)
    return found


# Feed and sitemap elements whose text is HTML a feed reader will render, and those holding a URL.
XML_HTML_ELEMENTS = {"description", "summary", "content", "encoded"}
XML_URL_ELEMENTS = {"link", "loc", "uri"}


def _local_name(tag):
    return tag.rsplit("}", 1)[-1]


def xml_violations(content):
    """A feed or sitemap: well-formed XML (nothing broke out of an element), the HTML it carries
    keeps the stored-HTML rules, and every URL it gives is http(s) or relative."""
    try:
        # The site's own answer in a test, not a stranger's file: no entity expansion to fear.
        root = ElementTree.fromstring(content)  # noqa: S314
    except ElementTree.ParseError as exc:
        return [f"not XML: {exc}"]
    found = []
    for element in root.iter():
        name, text = _local_name(element.tag), element.text or ""
        if name in XML_HTML_ELEMENTS:
            found += stored_html_violations(text)
        elif name in XML_URL_ELEMENTS and unsafe_url(text.strip()):
            found.append(f"<{name}>{text.strip()!r}")
        if unsafe_url(element.attrib.get("href")):
            found.append(f"<{name} href={element.attrib['href']!r}>")
    return found


def json_violations(content):
    """An API answer: JSON whose HTML fields keep the stored-HTML rules and whose URLs are safe.
    Other strings are plain text for the client to escape, as JSON requires of any client."""
    try:
        data = json.loads(content)
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str):
            if key.endswith("_html"):
                found.extend(stored_html_violations(value))
            elif (key == "url" or key.endswith("_url")) and unsafe_url(value):
                found.append(f"{key}={value!r}")

    walk(data)
    return found


def shown_as_text(value):
    """How a one-line field's value appears in a page: cleaned, then escaped by the template."""
    from django.utils.html import escape

    return escape(clean_single_line(value))


def fit(value, limit):
    return value[:limit]


# Payload lines a story carries: every page about a story (its reader page, change form, history,
# diff and revert form) checks this many lines at once, and the slow admin pages stay few. At most
# five, so that every line leads one of the five one-line fields a story's page shows (story_text).
PER_STORY = 5
# Between two lines in a one-line field, and in multi-line text (each line its own Markdown block).
ONE_LINE = " ¦ "
PARAGRAPH = "\n\n"


def chunks(payloads, size=PER_STORY):
    return [payloads[start : start + size] for start in range(0, len(payloads), size)]


def pack(payloads, limit, start=0, separator=ONE_LINE):
    """The lines from number ``start`` on, going round, joined while they fit in ``limit``
    characters (a field's length, as a form would require). The first is always there, cut to
    ``limit`` if it is longer on its own."""
    start %= len(payloads)
    turn = payloads[start:] + payloads[:start]
    value = fit(turn[0], limit)
    for payload in turn[1:]:
        if len(value) + len(separator) + len(payload) <= limit:
            value += separator + payload
    return value


def spread(payloads, limits):
    """One-line fields each filled by ``pack()``, each starting from the next line: a line too
    long to share a short field with the others still leads one of the fields."""
    return {name: pack(payloads, n, start) for start, (name, n) in enumerate(limits)}


def _hero_image():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, format="PNG")
    return default_storage.save("heroes/hostile.png", ContentFile(buffer.getvalue()))


@dataclass
class Corpus:
    # The payload lines each story carries, story by story.
    chunks: list
    articles: list
    authors: list
    sections: list
    # (older, newer) saved versions of each story, once record_history() has run.
    history: list = field(default_factory=list)

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


# A story's one-line text fields and their lengths; its page shows the first five as written.
STORY_LINE_FIELDS = [
    ("headline", 200),
    ("kicker", 60),
    ("hero_caption", 300),
    ("hero_credit", 120),
    ("hero_alt", 250),
    ("seo_title", 120),
    ("seo_description", 300),
]
SHOWN_LINE_FIELDS = STORY_LINE_FIELDS[:5]


def story_text(payloads):
    """A story's text from its lines: the body holds them all, the dek as many as fit, and each
    one-line field as many as fit from a different first line, so with at most five lines every
    line leads one of the fields the page shows."""
    return {
        "body": PARAGRAPH.join(payloads),
        "dek": pack(payloads, 600, separator=PARAGRAPH),
        **spread(payloads, STORY_LINE_FIELDS),
    }


def build_corpus(payloads=PAYLOADS):
    """One story per ``PER_STORY`` payload lines, every text field of it (and of its section,
    author, tag, teasers and correction) filled with those lines, as many as the field's length
    allows (see ``pack()``)."""
    hero = _hero_image()
    now = timezone.now()
    articles, authors, sections = [], [], []
    target = make_article(headline="Teaser target", slug="teaser-target")
    for number, chunk in enumerate(chunks(payloads)):
        section = make_section(
            slug=f"hostile-{number}", **spread(chunk, [("name", 80), ("description", 300)])
        )
        # The bio takes the lines in the other order: a line that swallows what follows it in
        # the body (an unclosed raw-HTML block) cannot hide the same lines in the bio.
        author = make_author(
            slug=f"hostile-{number}",
            bio=fit(clean_text(PARAGRAPH.join(reversed(chunk))), 2000),
            **spread(chunk, [("name", 120), ("job_title", 160)]),
        )
        article = make_article(
            slug=f"hostile-{number}",
            section=section,
            authors=[author],
            tags=[pack(chunk, 100, start=-1)],
            hero_image=hero,
            publish_at=now - timedelta(minutes=10, seconds=number),
            **story_text(chunk),
        )
        excerpt = pack(chunk, 400, start=1, separator=PARAGRAPH)
        make_teaser(article=article, target=target, headline=pack(chunk, 200), excerpt=excerpt)
        make_teaser(
            article=article,
            url=f"https://example.com/?q={pack(chunk, 150, start=2)}",
            headline=pack(chunk, 200, start=1),
            excerpt=excerpt,
            position=1,
        )
        make_correction(article=article, text=fit(clean_text(PARAGRAPH.join(chunk)), 2000))
        articles.append(article)
        authors.append(author)
        sections.append(section)
    return Corpus(chunks=chunks(payloads), articles=articles, authors=authors, sections=sections)


def _save_version(article, byline, *, text, author, comment):
    with reversion.create_revision():
        byline.author = author
        byline.save()
        for name, value in text.items():
            setattr(article, name, value)
        article.save()
        reversion.set_comment(comment)
    return Version.objects.get_for_object(article).order_by("-pk").first()


def record_history(corpus):
    """Two saved versions of every story, for the history, diff and revert pages: the first with
    the next story's lines in every text field and the next story's author on the byline, the
    second as the story was built. Both sides of every diff are hostile."""
    count = len(corpus.articles)
    for number, article in enumerate(corpus.articles):
        following = (number + 1) % count
        byline = article.bylines.get()
        own = {name: getattr(article, name) for name in story_text([""])}
        older = _save_version(
            article,
            byline,
            text=story_text(corpus.chunks[following]),
            author=corpus.authors[following],
            comment=ONE_LINE.join(corpus.chunks[following]),
        )
        newer = _save_version(
            article,
            byline,
            text=own,
            author=corpus.authors[number],
            comment=ONE_LINE.join(corpus.chunks[number]),
        )
        corpus.history.append((older, newer))
    return corpus.history


def delete_corpus():
    from django.contrib.auth import get_user_model
    from reversion.models import Revision
    from taggit.models import Tag

    from authors.models import Author

    Revision.objects.all().delete()
    Article.objects.all().delete()
    Author.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()


def fetch_all(client, urls, *, admin=False):
    from django.urls import reverse

    problems = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            problems[url] = [f"status {response.status_code}"]
            continue
        found = page_violations(
            response.content.decode(),
            admin=admin,
            admin_scripts={reverse("admin:jsi18n")} if admin else (),
            own_forms={reverse("articles:search")},
        )
        if found:
            problems[url] = found
    return problems


def fetch_data(client, urls, check):
    problems = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 404 and "?p=" in url:
            continue  # a sitemap with a single page
        if response.status_code != 200:
            problems[url] = [f"status {response.status_code}"]
        elif "html" in response["Content-Type"]:
            problems[url] = [f"served as {response['Content-Type']}"]
        elif found := check(response.content):
            problems[url] = found
    return problems
