"""A streaming reader of WordPress export files (WXR 1.0 to 1.2).

The file is parsed with ``iterparse`` through defusedxml, which refuses a DTD outright: a WordPress
export never has one, and a DTD is what entity expansion ("billion laughs") and external entities
need. Each record (an author, a term, an item) is handed out when its element ends and is then
cleared, so memory stays flat whatever the file's size. One element's text is held whole by the
parser, so a single node may not grow past ``max_node_bytes`` of the file: past that the read stops
with an error instead of filling memory.
"""

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

# Far above any real post (a story body is capped well below it), far below a memory problem.
MAX_NODE_BYTES = 32 * 2**20
CHUNK = 64 * 1024

_WP = re.compile(r"^http://wordpress\.org/export/(1\.[0-2])/$")
_EXCERPT = re.compile(r"^http://wordpress\.org/export/1\.[0-2]/excerpt/$")
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message is one line for the user."""


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""


@dataclass
class Author:
    login: str
    display_name: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    description: str = ""


@dataclass
class Term:
    """A category (``kind`` "category") or a tag ("post_tag") declared at the top of the file."""

    kind: str
    term_id: int | None
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class Item:
    post_id: int | None = None
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified_gmt: str = ""
    post_name: str = ""
    post_parent: int = 0
    post_password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    # (domain, nicename, name) in the order the file lists them.
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)


class _Guarded:
    """The file as the parser reads it, stopping when one node grows past the limit."""

    def __init__(self, raw, limit):
        self.raw, self.limit = raw, limit
        self.since_event = 0

    def read(self, size=-1):
        data = self.raw.read(CHUNK if size is None or size < 0 else min(size, CHUNK))
        self.since_event += len(data)
        if self.since_event > self.limit:
            raise WXRError(
                f"refused: one XML node is larger than {self.limit // 2**20} MiB "
                "(no WordPress post is; the file is damaged or hostile)"
            )
        return data


def _name(tag, names):
    """``{namespace}local`` as ``prefix:local`` (``wp:post_id``), cached per tag."""
    known = names.get(tag)
    if known is not None:
        return known
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        if _WP.match(uri):
            prefix = "wp"
        elif _EXCERPT.match(uri):
            prefix = "excerpt"
        else:
            prefix = NAMESPACES.get(uri, "other")
        known = f"{prefix}:{local}"
    else:
        known = tag
    names[tag] = known
    return known


def _int(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _text(element):
    return element.text or ""


def _author(element, names):
    values = {_name(child.tag, names): _text(child).strip() for child in element}
    return Author(
        login=values.get("wp:author_login", ""),
        display_name=values.get("wp:author_display_name", ""),
        email=values.get("wp:author_email", ""),
        first_name=values.get("wp:author_first_name", ""),
        last_name=values.get("wp:author_last_name", ""),
        description=values.get("wp:author_description", ""),
    )


def _term(element, names, kind):
    values = {_name(child.tag, names): _text(child).strip() for child in element}
    if kind == "category":
        return Term(
            kind="category",
            term_id=_int(values.get("wp:term_id")),
            slug=values.get("wp:category_nicename", ""),
            name=values.get("wp:cat_name", ""),
            parent=values.get("wp:category_parent", ""),
            description=values.get("wp:category_description", ""),
        )
    if kind == "post_tag":
        return Term(
            kind="post_tag",
            term_id=_int(values.get("wp:term_id")),
            slug=values.get("wp:tag_slug", ""),
            name=values.get("wp:tag_name", ""),
            description=values.get("wp:tag_description", ""),
        )
    return Term(
        kind=values.get("wp:term_taxonomy", ""),
        term_id=_int(values.get("wp:term_id")),
        slug=values.get("wp:term_slug", ""),
        name=values.get("wp:term_name", ""),
        parent=values.get("wp:term_parent", ""),
        description=values.get("wp:term_description", ""),
    )


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:post_modified_gmt": "post_modified_gmt",
    "wp:post_name": "post_name",
    "wp:post_type": "post_type",
    "wp:status": "status",
    "wp:post_password": "post_password",
    "wp:attachment_url": "attachment_url",
}


def _item(element, names, with_content):
    item = Item()
    for child in element:
        name = _name(child.tag, names)
        if name in _ITEM_FIELDS:
            if with_content or name not in ("content:encoded",):
                setattr(item, _ITEM_FIELDS[name], _text(child).strip())
        elif name == "wp:post_id":
            item.post_id = _int(child.text)
        elif name == "wp:post_parent":
            item.post_parent = _int(child.text) or 0
        elif name == "wp:is_sticky":
            item.is_sticky = (child.text or "").strip() == "1"
        elif name == "category":
            domain = child.get("domain") or "category"
            item.terms.append((domain, child.get("nicename") or "", _text(child).strip()))
        elif name == "wp:postmeta":
            values = {_name(part.tag, names): _text(part) for part in child}
            key = values.get("wp:meta_key", "").strip()
            if key:
                item.meta[key] = values.get("wp:meta_value", "")
    return item


class Reader:
    """``for kind, record in Reader(file)``: kinds "author", "term", "item"; ``channel`` fills
    as the file is read (its fields come before the items in every export)."""

    def __init__(self, file, *, with_content=True, max_node_bytes=MAX_NODE_BYTES):
        self.file, self.with_content, self.limit = file, with_content, max_node_bytes
        self.channel = Channel()

    def __iter__(self):
        guarded = _Guarded(self.file, self.limit)
        names = {}
        depth = 0
        channel = None
        seen_wp = False
        try:
            for event, element in iterparse(
                guarded, events=("start", "end"), forbid_dtd=True, forbid_entities=True
            ):
                guarded.since_event = 0
                if event == "start":
                    depth += 1
                    if depth == 1 and element.tag != "rss":
                        raise WXRError("not a WordPress export: the file is XML but not RSS")
                    if depth == 2 and element.tag == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth != 2 or channel is None:
                    continue
                name = _name(element.tag, names)
                seen_wp = seen_wp or name.startswith("wp:")
                record = self._record(name, element, names)
                element.clear()
                channel.clear()
                if record is not None:
                    yield record
        except ParseError as error:
            line, column = error.position
            if "no element found" in str(error) or "unclosed token" in str(error):
                raise WXRError(
                    f"the file ends early (truncated?) at line {line}, column {column}"
                ) from None
            raise WXRError(f"not well-formed XML at line {line}, column {column}") from None
        except DefusedXmlException as error:
            raise WXRError(
                f"refused: the file declares a DTD or entities ({type(error).__name__}); "
                "WordPress exports have none"
            ) from None
        if not seen_wp:
            raise WXRError("not a WordPress export: no WXR elements in the RSS file")

    def _record(self, name, element, names):
        channel = self.channel
        if name == "item":
            return "item", _item(element, names, self.with_content)
        if name == "wp:author":
            return "author", _author(element, names)
        if name == "wp:category":
            return "term", _term(element, names, "category")
        if name == "wp:tag":
            return "term", _term(element, names, "post_tag")
        if name == "wp:term":
            return "term", _term(element, names, None)
        if name == "title":
            channel.title = _text(element).strip()
        elif name == "link":
            channel.link = _text(element).strip()
        elif name == "wp:base_site_url":
            channel.base_site_url = _text(element).strip()
        elif name == "wp:base_blog_url":
            channel.base_blog_url = _text(element).strip()
        elif name == "wp:wxr_version":
            channel.version = _text(element).strip()
        return None
