"""Markdown -> HTML -> sanitiser: the only source of HTML that templates may mark safe.

Rendering happens when a story or bio is saved; the result is stored and reads never run Markdown or
the sanitiser. Python-Markdown's ``attr_list`` and ``md_in_html`` extensions are deliberately absent:
they let an author attach attributes (event handlers among them) to any element.
"""

import html
import logging
import multiprocessing
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bleach
import markdown
from bleach.html5lib_shim import Filter

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
        "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark",
        "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip

# Classes Python-Markdown's footnotes extension writes; any other class is dropped.
ALLOWED_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref"})
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _allow_attribute(tag, name, value):
    if name in {"href", "title"} and tag == "a":
        return True
    if tag == "img":
        return name in {"src", "alt", "title", "width", "height"}
    if name == "cite":
        return tag in {"blockquote", "q", "del", "ins"}
    if name == "id":
        return tag in HEADINGS or tag in {"li", "sup", "div"}
    if name == "class":
        return all(part in ALLOWED_CLASSES for part in value.split())
    if name == "title":
        return tag == "abbr"
    if name == "start":
        return tag == "ol"
    if name in {"colspan", "rowspan"}:
        return tag in {"td", "th"}
    return False


def _leaves_the_site(href):
    try:
        return bool(urlsplit(href).netloc) or href.startswith("//")
    except ValueError:
        # A malformed host ("http://[^1]") makes urlsplit raise; it is certainly not this site.
        return True


class _LinkFilter(Filter):
    """Adds ``rel="noopener"`` to links that leave the site and lazy loading to images."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"}:
                attrs = token["data"]
                if token["name"] == "a":
                    if _leaves_the_site(attrs.get((None, "href"), "")):
                        attrs[(None, "rel")] = "noopener"
                elif token["name"] == "img":
                    attrs[(None, "loading")] = "lazy"
                    attrs[(None, "decoding")] = "async"
            yield token


logger = logging.getLogger(__name__)

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkFilter],
)

# C0 controls other than tab, newline and carriage return, plus the code points XML 1.0 forbids.
_MULTILINE_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SINGLE_LINE_JUNK = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")
_SPACE_RUN = re.compile(r"\s+")
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def clean_text(value):
    """Multi-line text as stored: no control characters that would break an XML feed."""
    if not value:
        return value
    return _MULTILINE_JUNK.sub("", value).replace("\r\n", "\n")


def clean_single_line(value):
    """A headline, caption or name: controls become spaces, runs of white space fold to one."""
    if not value:
        return value
    return _SPACE_RUN.sub(" ", _SINGLE_LINE_JUNK.sub(" ", value)).strip()


# Python-Markdown scans ahead from every "[" for its closing "]", so thousands of unclosed or deeply
# nested brackets cost quadratic time (8,000 "[" took 17 s, 8,000 "![" 52 s). Past this many
# brackets, the ones that cannot start a link (unclosed, or nested deeper than any real link) are
# escaped first; ordinary copy never reaches the threshold and is left exactly as written.
BRACKET_THRESHOLD = 1000
MAX_BRACKET_DEPTH = 8


def _defuse_brackets(source):
    if source.count("[") <= BRACKET_THRESHOLD:
        return source
    # Pair brackets as a parser would, then count depth over the paired ones only, so a crowd of
    # unclosed brackets does not push a real link below the depth limit.
    open_at, closes = [], {}
    parens_open, unclosed_parens = [], set()
    escaped = False
    for index, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            open_at.append(index)
        elif char == "]" and open_at:
            closes[open_at.pop()] = index
        elif char == "(":
            parens_open.append(index)
        elif char == ")" and parens_open:
            parens_open.pop()
    unclosed_parens.update(parens_open)
    defused = set(open_at)
    # "[text](" whose "(" never closes would send the link parser to the end of the text each time.
    defused.update(start for start, end in closes.items() if end + 1 in unclosed_parens)
    depth, ends = 0, []
    for start in sorted(closes):
        while ends and ends[-1] < start:
            ends.pop()
            depth -= 1
        if depth >= MAX_BRACKET_DEPTH:
            defused.add(start)
        ends.append(closes[start])
        depth += 1
    chars = list(source)
    for index in defused:
        chars[index] = "\\["
    return "".join(chars)


# The sanitiser's HTML5 parser is quadratic in nesting depth (10,000 unclosed <div> took 15 s).
# Markup nested deeper than this is kept as text; lists and quotes a few hundred deep still render.
MAX_HTML_DEPTH = 1000
_VOID_ELEMENTS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"})


class _DepthMeter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID_ELEMENTS:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag not in _VOID_ELEMENTS:
            self.depth = max(self.depth - 1, 0)


def _too_deep(rendered):
    meter = _DepthMeter()
    try:
        meter.feed(rendered)
        meter.close()
    except AssertionError:
        # Python 3.11's parser gives up on some malformed declarations ("<![^1]") in raw HTML;
        # what cannot be measured is kept as text.
        return True
    return meter.deepest > MAX_HTML_DEPTH


def _markdown_to_html(source):
    md = markdown.Markdown(
        extensions=["tables", "footnotes", "toc", "smarty", "fenced_code", "sane_lists"],
        output_format="html",
    )
    # The headline is the page's only h1: a body heading written with one # joins the ## ones at h2.
    return _H1.sub(r"<\1h2", md.convert(source))


# Python-Markdown and the sanitiser have quadratic corners that no cheap scan of the source rules
# out: "*a" x 100,000 took 80 s, 50,000 "# h" lines or 66,000 one-letter paragraphs minutes. Only a
# long body can reach them, so a body past RENDER_IN_CHILD_ABOVE characters is rendered in a forked
# child with a deadline; if the child has not answered by then it is killed and the body is kept
# as text, as one nested too deep is, and the fallback is logged. The deadline leaves room for a
# real story at the length cap, which takes about 1.5 s (timings in bench/RELIABILITY.md); shorter
# stories render in the process itself.
RENDER_IN_CHILD_ABOVE = 20_000
RENDER_DEADLINE_SECONDS = 4.0


def render_markdown(source):
    """Markdown source -> sanitised HTML, safe to store and to mark safe in templates."""
    source = clean_text(source or "")
    if not source.strip():
        return ""
    if len(source) > RENDER_IN_CHILD_ABOVE:
        return _render_with_deadline(source)
    return _render(source)


def _as_text(source):
    return f"<pre>{html.escape(source)}</pre>"


def _render_with_deadline(source):
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_into, args=(source, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(RENDER_DEADLINE_SECONDS):
            return receiver.recv()
    except EOFError:
        pass  # the child died without an answer
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    logger.warning(
        "A body of %d characters took too long to render; it is kept as text.", len(source)
    )
    # Escaped text needs no sanitiser, which would take seconds over a body of markers.
    return _as_text(source)


def _render_into(source, sender):
    sender.send(_render(source))
    sender.close()


def _render(source):
    as_text = _as_text(source)
    try:
        rendered = _markdown_to_html(_defuse_brackets(source))
    except RecursionError:
        # Lists or quotes nested hundreds deep exhaust Python's stack: keep the text, as text.
        rendered = as_text
    if _too_deep(rendered):
        rendered = as_text
    # The sanitiser decodes character references, so "&#1;" in the source would come back as a
    # control character that no XML feed can carry: clean the output as well as the input.
    return clean_text(_cleaner.clean(rendered))


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def to_plain_text(rendered_html):
    """Visible text of sanitised HTML, with entities decoded and white space folded."""
    # A line break separates words as a space does; stripped, it would join them.
    text = bleach.clean(_LINE_BREAK.sub(" ", rendered_html or ""), tags=set(), strip=True)
    return _SPACE_RUN.sub(" ", clean_text(html.unescape(text))).strip()


def has_words(rendered_html):
    """Whether sanitised HTML says anything in words: a letter or a digit readers can see.

    Markup alone (an empty paragraph, a rule, line breaks, a picture even with its alt text)
    and punctuation or invisible characters (zero-width spaces) are no text to read.
    """
    return any(character.isalnum() for character in to_plain_text(rendered_html))


def excerpt(text, limit=160):
    """Cut plain text at a word boundary to at most ``limit`` characters, adding an ellipsis."""
    text = _SPACE_RUN.sub(" ", text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


# Block syntax a one-paragraph text must keep literally: a dek that starts "#MeToo" or "2024. A year"
# is not a heading or a list.
_BLOCK_PROCESSORS_OFF = (
    "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote", "reference",
)  # fmt: skip


def inline_plain_text(source):
    """A short text (a dek, a teaser excerpt) as plain words: inline Markdown and HTML tags dropped.

    Emphasis, links and code spans keep their words and lose their markers; tags are stripped. Used
    at save time to derive teaser text, so reads never run Markdown.
    """
    source = clean_text(source or "")
    if not source.strip():
        return ""
    md = markdown.Markdown(output_format="html")
    for name in _BLOCK_PROCESSORS_OFF:
        md.parser.blockprocessors.deregister(name)
    return to_plain_text(md.convert(source))


# Sentinels that mark search matches in plain text. Both are control characters, which
# ``clean_text`` and ``clean_single_line`` strip from every stored field, so stored text can never
# contain them and a reader's query cannot forge a highlight.
MATCH_START = "\x02"
MATCH_END = "\x03"


def highlight(text):
    """Plain text with sentinel-marked matches -> escaped HTML with ``<mark>`` elements."""
    escaped = html.escape(text or "", quote=True)
    opened = False
    parts = []
    for char in escaped:
        if char == MATCH_START and not opened:
            parts.append("<mark>")
            opened = True
        elif char == MATCH_END and opened:
            parts.append("</mark>")
            opened = False
        elif char not in (MATCH_START, MATCH_END):
            parts.append(char)
    if opened:
        parts.append("</mark>")
    return "".join(parts)
