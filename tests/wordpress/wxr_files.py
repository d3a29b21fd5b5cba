"""WordPress export files built by the tests: a site, its authors and terms, and items."""

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

SITE = "https://old.example"
# What XML 1.0 cannot carry at all, escaped or not: a file with it is not XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_chars(text):
    return _NOT_XML.sub("", text or "")


def escape(text):
    return _escape(xml_chars(text))


def cdata(text):
    return "<![CDATA[" + xml_chars(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Post:
    post_id: int
    title: str = "A post"
    slug: str = ""
    content: str = "<p>Some words.</p>"
    excerpt: str = ""
    status: str = "publish"
    post_type: str = "post"
    date: str = "2020-05-03 10:00:00"
    date_gmt: str = "2020-05-03 08:00:00"
    creator: str = "jane"
    link: str = ""
    sticky: bool = False
    password: str = ""
    parent: int = 0
    attachment_url: str = ""
    # (domain, nicename, name)
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def xml(self, version):
        slug = self.slug or f"post-{self.post_id}"
        link = self.link or f"{SITE}/{self.date[:4]}/{self.date[5:7]}/{slug}/"
        terms = "".join(
            f"<category domain={quoteattr(domain)} nicename={quoteattr(xml_chars(nicename))}>{cdata(name)}</category>"
            for domain, nicename, name in self.terms
        )
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
            for k, v in self.meta.items()
        )
        sticky = f"<wp:is_sticky>{int(self.sticky)}</wp:is_sticky>" if version != "1.0" else ""
        attachment = (
            f"<wp:attachment_url>{escape(self.attachment_url)}</wp:attachment_url>"
            if self.attachment_url
            else ""
        )
        return f"""
<item>
  <title>{escape(self.title)}</title>
  <link>{escape(link)}</link>
  <pubDate>Sun, 03 May 2020 08:00:00 +0000</pubDate>
  <dc:creator>{cdata(self.creator)}</dc:creator>
  <guid isPermaLink="false">{SITE}/?p={self.post_id}</guid>
  <description></description>
  <content:encoded>{cdata(self.content)}</content:encoded>
  <excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>
  <wp:post_id>{self.post_id}</wp:post_id>
  <wp:post_date>{cdata(self.date)}</wp:post_date>
  <wp:post_date_gmt>{cdata(self.date_gmt)}</wp:post_date_gmt>
  <wp:comment_status>{cdata("open")}</wp:comment_status>
  <wp:post_name>{cdata(slug)}</wp:post_name>
  <wp:status>{cdata(self.status)}</wp:status>
  <wp:post_parent>{self.parent}</wp:post_parent>
  <wp:menu_order>0</wp:menu_order>
  <wp:post_type>{cdata(self.post_type)}</wp:post_type>
  <wp:post_password>{cdata(self.password)}</wp:post_password>
  {sticky}{attachment}{terms}{meta}
</item>"""


@dataclass
class Export:
    version: str = "1.2"
    site: str = SITE
    authors: list = field(default_factory=list)  # (login, display name, email, description)
    categories: list = field(default_factory=list)  # (term_id, nicename, parent, name)
    tags: list = field(default_factory=list)  # (term_id, slug, name)
    items: list = field(default_factory=list)

    def xml(self):
        v = self.version
        authors = "".join(
            f"""<wp:author><wp:author_id>{i + 1}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>
<wp:author_email>{cdata(email)}</wp:author_email><wp:author_display_name>{cdata(name)}</wp:author_display_name>
<wp:author_first_name>{cdata("")}</wp:author_first_name><wp:author_last_name>{cdata("")}</wp:author_last_name>
{f"<wp:author_description>{cdata(bio)}</wp:author_description>" if bio else ""}</wp:author>"""
            for i, (login, name, email, bio) in enumerate(self.authors)
            if v != "1.0"
        )
        categories = "".join(
            f"""<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(nicename)}</wp:category_nicename>
<wp:category_parent>{cdata(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"""
            for term_id, nicename, parent, name in self.categories
        )
        tags = "".join(
            f"""<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug><wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"""
            for term_id, slug, name in self.tags
        )
        items = "".join(item.xml(v) for item in self.items)
        return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{v}/">
<channel>
  <title>Old site</title>
  <link>{self.site}</link>
  <description>Just another WordPress site</description>
  <language>en-GB</language>
  <wp:wxr_version>{v}</wp:wxr_version>
  <wp:base_site_url>{self.site}</wp:base_site_url>
  <wp:base_blog_url>{self.site}</wp:base_blog_url>
  {authors}{categories}{tags}{items}
</channel>
</rss>
"""

    def write(self, path):
        path.write_text(self.xml(), encoding="utf-8")
        return path


def attachment(post_id, path, *, parent=0, alt="", caption="", credit=""):
    meta = {"_wp_attached_file": path}
    if alt:
        meta["_wp_attachment_image_alt"] = alt
    if credit:
        meta["_media_credit"] = credit
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Post(
        post_id,
        title=name,
        slug=name,
        content="",
        excerpt=caption,
        status="inherit",
        post_type="attachment",
        parent=parent,
        attachment_url=f"{SITE}/wp-content/uploads/{path}",
        link=f"{SITE}/2020/05/post-{parent}/{name}/" if parent else f"{SITE}/{name}/",
        meta=meta,
    )


def guest_author(post_id, login, name, bio=""):
    return Post(
        post_id,
        title=name,
        slug=f"cap-{login}",
        content="",
        post_type="guest-author",
        meta={"cap-user_login": login, "cap-display_name": name, "cap-description": bio},
    )
