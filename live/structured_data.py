"""schema.org ``LiveBlogPosting`` for a live coverage page: the story's ``NewsArticle`` data
(LiveBlogPosting is a kind of Article), its coverage times, and its newest entries as
``liveBlogUpdate``. Registered with the articles' JSON-LD builders as "live_blog"."""

from articles.structured_data import news_article, person

from .presentation import entry_title, entry_url


def blog_posting(request, entry):
    data = {
        "@type": "BlogPosting",
        "headline": entry_title(entry),
        "datePublished": entry.publish_at,
        "articleBody": entry.body_text,
        "url": entry_url(entry),
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
