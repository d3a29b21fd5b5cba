"""A WordPress post's content as the Markdown of a story's body.

Classic-editor HTML gets its paragraphs back (WordPress adds them at display time, ``wpautop``);
Gutenberg's block comments go and their content stays; the shortcodes WordPress itself ships
(``[caption]``, ``[gallery]``, ``[embed]``) become figures, the gallery's pictures and links; a
bare URL on its own line (an oEmbed) becomes a link. What is left is turned into Markdown by
markdownify. Scripts, styles and frames never reach it. The Markdown then takes the normal way
of every body (``content.markup``): nothing here decides what HTML a reader gets.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery\b([^\]]*?)/?\]", re.IGNORECASE)
_EMBED = re.compile(r"\[embed\b([^\]]*)\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
_SHORTCODE = re.compile(r"\[([a-zA-Z][\w-]*)(?:\s[^\[\]]*)?/?\]")
_BARE_URL = re.compile(r"^[ \t]*(?:<p>)?[ \t]*(https?://[^\s<>\"']+)[ \t]*(?:</p>)?[ \t]*$", re.M)
_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|dl|blockquote|figure|table|thead|tbody|tr|pre|hr|address|"
    r"section|article|aside|iframe|form|script|style|noscript|object|video|audio)\b",
    re.IGNORECASE,
)
# Never converted, not even to their text.
_DROPPED = ("script", "style", "noscript", "template", "object", "embed", "applet", "svg", "math",
            "form", "input", "button", "select", "textarea", "link", "meta", "base")  # fmt: skip
KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", "embed"}


@dataclass
class Converted:
    markdown: str
    unknown_shortcodes: Counter = field(default_factory=Counter)


def attributes(text):
    found = {}
    for match in _ATTRIBUTE.finditer(text or ""):
        name, *values = match.groups()
        found[name.lower()] = next((v for v in values if v is not None), "")
    return found


def plain_text(fragment):
    """A title, caption or excerpt written as HTML, as the words it shows."""
    text = BeautifulSoup(fragment or "", "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _figure(src, alt, caption):
    parts = [f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">']
    if caption:
        parts.append(f"<figcaption>{html.escape(caption)}</figcaption>")
    return f"\n\n<figure>{''.join(parts)}</figure>\n\n"


def _caption(match):
    attrs = attributes(match.group(2))
    soup = BeautifulSoup(match.group(3), "html.parser")
    image = soup.find("img")
    if image is None:
        return match.group(3)
    src, alt = image.get("src", ""), image.get("alt", "")
    wrapper = image.parent if image.parent is not None and image.parent.name == "a" else image
    wrapper.extract()
    caption = attrs.get("caption") or plain_text(str(soup))
    return _figure(src, alt, caption)


def _gallery(match, gallery_images):
    attrs = attributes(match.group(1))
    ids = [int(part) for part in re.split(r"[,\s]+", attrs.get("ids", "")) if part.isdigit()]
    figures = [_figure(src, alt, caption) for src, alt, caption in gallery_images(ids)]
    return "".join(figures)


def _embed(match):
    url = (attributes(match.group(1)).get("src") or match.group(2)).strip()
    return _link_paragraph(url) if url.startswith(("http://", "https://")) else ""


def _link_paragraph(url):
    escaped = html.escape(url)
    return f'\n\n<p><a href="{escaped}">{escaped}</a></p>\n\n'


def autop(text):
    """WordPress's paragraphs for classic-editor content: a blank line ends a paragraph, a
    single line break is a ``<br>``; blocks that are already HTML blocks are left as they are."""
    chunks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


class _Converter(MarkdownConverter):
    def convert_figure(self, el, text, parent_tags):
        # A figure stays a figure (raw HTML, which the sanitiser allows), with its caption.
        images = el.find_all("img")
        if not images:
            return f"\n\n{text.strip()}\n\n"
        caption = el.find("figcaption")
        caption = caption.get_text(" ").strip() if caption else ""
        return "".join(
            _figure(image.get("src", ""), image.get("alt", ""), caption if i == 0 else "")
            for i, image in enumerate(images)
        )


def to_markdown(content, *, rewrite_url=None, gallery_images=None):
    """``content`` (a post's ``content:encoded``) as Markdown.

    ``rewrite_url(url)`` gives the new address of a picture (or None to keep it);
    ``gallery_images(ids)`` gives (src, alt, caption) for a gallery's attachment ids (all of the
    post's pictures when ``ids`` is empty).
    """
    content = content or ""
    is_blocks = "<!-- wp:" in content
    text = _BLOCK_COMMENT.sub("", content)
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(lambda m: _gallery(m, gallery_images or (lambda ids: [])), text)
    text = _EMBED.sub(_embed, text)
    unknown = Counter(
        m.group(1).lower()
        for m in _SHORTCODE.finditer(text)
        if m.group(1).lower() not in KNOWN_SHORTCODES
    )
    text = _BARE_URL.sub(lambda m: _link_paragraph(m.group(1)), text)
    if not is_blocks:
        text = autop(text)
    soup = BeautifulSoup(text, "html.parser")
    for element in soup.find_all(_DROPPED):
        if not element.decomposed:  # not inside one dropped before it
            element.decompose()
    for frame in soup.find_all(["iframe", "video", "audio"]):
        if frame.decomposed:
            continue
        src = frame.get("src") or ""
        if src.startswith("//"):
            src = "https:" + src
        if src.startswith(("http://", "https://")):
            link = soup.new_tag("a", href=src)
            link.string = src
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
        else:
            frame.decompose()
    if rewrite_url is not None:
        for image in soup.find_all("img"):
            new = rewrite_url(image.get("src") or "")
            if new:
                image["src"] = new
            for name in ("srcset", "sizes"):
                if name in image.attrs:
                    del image[name]
        for link in soup.find_all("a", href=True):
            new = rewrite_url(link["href"], linked=True)
            if new:
                link["href"] = new
    markdown = _Converter(heading_style="ATX", bullets="-", escape_misc=False).convert_soup(soup)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return Converted(markdown=markdown if markdown.strip() else "", unknown_shortcodes=unknown)
