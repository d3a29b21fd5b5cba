"""schema.org ``LiveBlogPosting`` for a live coverage page: the story's ``NewsArticle`` data
(LiveBlogPosting is a kind of Article), its coverage times, and its newest entries as
``liveBlogUpdate``. Registered with the articles' JSON-LD builders as "live_blog"."""

from articles.structured_data import news_article, person
from newsroom.addresses import absolute_url

from .presentation import entry_title


def blog_posting(request, entry):
    data = {
        "@type": "BlogPosting",
        "headline": entry_title(entry),
        "datePublished": entry.publish_at,
        "articleBody": entry.body_text,
        # The newest entries are on the page itself: each is its anchor there (the permalink,
        # a redirect, is for entries on any page of the stream).
        "url": absolute_url(f"{entry.article.get_absolute_url()}#{entry.anchor}"),
    }
    if entry.modified_at > entry.publish_at:
        data["dateModified"] = entry.modified_at
    if entry.author:
        data["author"] = person(request, entry.author)
    return data


def live_blog_posting(request, article, extra):
    """``extra``: the page's corrections and its stream (``live.stream.Stream``)."""
    corrections, stream = extra
    data = news_article(request, article, corrections)
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = article.coverage_started_at or article.publish_at
    if article.coverage_ended_at and not article.is_live_coverage:
        data["coverageEndTime"] = article.coverage_ended_at
    if stream.newest:
        data["dateModified"] = max(stream.newest[0].publish_at, data["dateModified"])
    data["liveBlogUpdate"] = [blog_posting(request, entry) for entry in stream.newest]
    return data
