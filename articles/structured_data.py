"""schema.org JSON-LD for search engines, built as plain dicts and escaped for a script element.

Each builder takes ``(request, obj, extra)`` so the ``json_ld`` template tag can call any of them.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from taggit.models import Tag

from content.markup import to_plain_text
from newsroom.addresses import absolute_url
from newsroom.reversing import reverse

from .models import Article, Section

# The characters that could end the script element or open a comment inside it, as JSON escapes.
# Inside JSON strings ``\u003C`` means the same as ``<``, so the data is unchanged.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe: no '<', '>' or '&' is left in the text, so nothing can close the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute_url(reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(settings.NEWSROOM_SITE_LOGO)),
        },
    }


def person(request, author):
    data = {"@type": "Person", "name": author.name}
    if author.is_active:
        data["url"] = absolute_url(author.get_absolute_url())
    if author.job_title:
        data["jobTitle"] = author.job_title
    return data


def canonical(request, article):
    return article.canonical_url or absolute_url(article.get_absolute_url())


def news_article(request, article, corrections=None):
    picture = article.hero_picture
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.seo_description or article.summary,
        "url": canonical(request, article),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical(request, article)},
        "datePublished": article.first_published_at or article.publish_at,
        "dateModified": article.updated_at or article.first_published_at or article.publish_at,
        "author": [person(request, byline.author) for byline in article.bylines.all()],
        "publisher": publisher(request),
        "inLanguage": settings.LANGUAGE_CODE,
        "keywords": [tag.name for tag in article.tag_list],
    }
    if picture:
        data["image"] = [absolute_url(picture.largest_jpeg_url)]
    if article.section_id:
        data["articleSection"] = article.section.name
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at,
            }
            for correction in corrections
        ]
    return data


def breadcrumbs(request, obj, extra=None):
    trail = [(settings.NEWSROOM_SITE_NAME, reverse("articles:home"))]
    if isinstance(obj, Article):
        if obj.section_id:
            trail.append((obj.section.name, obj.section.get_absolute_url()))
        trail.append((obj.headline, obj.get_absolute_url()))
    elif isinstance(obj, Section):
        trail.append((obj.name, obj.get_absolute_url()))
    elif isinstance(obj, Tag):
        trail.append((obj.name, reverse("articles:tag", kwargs={"slug": obj.slug})))
    elif obj is not None:
        trail.append((obj.name, obj.get_absolute_url()))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def profile_page(request, author, extra=None):
    person_data = person(request, author)
    bio = to_plain_text(author.bio_html)
    if bio:
        person_data["description"] = bio
    picture = author.photo_picture
    if picture:
        person_data["image"] = absolute_url(picture.largest_jpeg_url)
    same_as = [url for url in [author.website, *(author.social_links or [])] if url]
    if same_as:
        person_data["sameAs"] = same_as
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": absolute_url(author.get_absolute_url()),
        "mainEntity": person_data,
    }


def website(request, obj=None, extra=None):
    search = absolute_url(reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute_url(reverse("articles:home")),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_terms}}"},
            "query-input": "required name=search_terms",
        },
    }


def item_list(request, stories, extra=None):
    """The stories a page of teasers shows (the home page), each once, in the page's order: what
    search engines read as the page's list of articles."""
    urls = dict.fromkeys(absolute_url(story.get_absolute_url()) for story in stories)
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": url}
            for position, url in enumerate(urls, start=1)
        ],
    }


BUILDERS = {
    "article": news_article,
    "breadcrumbs": breadcrumbs,
    "item_list": item_list,
    "profile": profile_page,
    "website": website,
}


def register(kind, builder):
    """An app above articles adds a builder for its pages (from its ``AppConfig.ready()``)."""
    BUILDERS[kind] = builder
