"""Reading rendered HTML in tests: a tiny element tree and the hostile-markup checks.

Built on the standard library's HTMLParser so the tests need no HTML library of their own.
"""

import re
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    }
)  # fmt: skip


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Descendants by tag and attributes; ``class_`` matches one of the element's classes."""
        wanted_class = attrs.pop("class_", None)
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if wanted_class is not None and wanted_class not in element.classes:
                continue
            if any(element.attrs.get(name) != value for name, value in attrs.items()):
                continue
            found.append(element)
        return found

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def one(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    @property
    def text(self):
        parts = []
        for child in self.children:
            parts.append(child.text if isinstance(child, Element) else child)
        return "".join(parts)

    @property
    def clean_text(self):
        """Visible text with white space folded, as a reader sees it."""
        return " ".join(self.text.split())


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup):
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8")
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


# What a sanitised fragment may never contain.
FORBIDDEN_ELEMENTS = frozenset(
    {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "base", "meta"}
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "cite", "action", "formaction", "xlink:href", "background", "poster", "data"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers drop tabs and newlines anywhere and controls and spaces at the ends; dropping them
# everywhere is stricter still.
_URL_JUNK = re.compile("[\x00-\x20\x7f]")
# As in the URL standard: without this shape before the first colon, the URL is relative.
_SCHEME = re.compile("([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(value):
    """The scheme a browser would see in an attribute value (already HTML-unescaped, as
    HTMLParser hands it over), or "" for a relative URL."""
    match = _SCHEME.match(_URL_JUNK.sub("", value))
    return match.group(1).lower() if match else ""


class _HostileMarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                if scheme and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}> has scheme {scheme!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")


def hostile_markup(fragment):
    """Everything in ``fragment`` that could run script or leak; empty when it is safe."""
    finder = _HostileMarkupFinder()
    finder.feed(fragment)
    finder.close()
    return finder.problems
