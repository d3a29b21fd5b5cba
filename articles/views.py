from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import patch_cache_control
from taggit.models import Tag

from newsroom.pagecache import generation_cached, reads_query

from . import front_pages, story_formats, story_page
from . import preview as previews
from .models import Article, ArticleRedirect, Correction, Section
from .pagination import BadPage, page_of
from .permissions import can_view_unpublished
from .querysets import live_condition
from .search import clean_query, search_articles
from .sitemaps import (
    SITEMAPS,
    StorySitemap,
    index_entries,
    news_language,
    news_stories,
    story_months,
)

# What paginated pages read: cursors, or page numbers where a list has no cursor order.
PAGE_QUERY = ("before", "after", "page")
# What a story's address reads: a live coverage page's older entries (``?before=<entry id>``).
STORY_QUERY = ("before",)


def paginate(request, queryset):
    try:
        return page_of(request, queryset, per_page=settings.NEWSROOM_PAGE_SIZE)
    except BadPage as exc:
        raise Http404("No such page.") from exc


def sections_in_order():
    return generation_cached("sections", lambda: list(Section.objects.all()))


@reads_query()
def home(request):
    curated = front_pages.view_for("home")
    response = curated(request) if curated else None
    return response or automatic_home(request)


def automatic_home(request):
    """The home page with no front: the newest featured story, the newest, then by section."""
    live = Article.objects.live().for_listing().newest_first()
    recent = list(live[:13])
    lead = live.filter(is_featured=True).first() or (recent[0] if recent else None)
    latest = [article for article in recent if article != lead][:12]
    # A story shows once per page: the section blocks go on from the stories shown above them.
    shown = [article.pk for article in (lead, *latest) if article is not None]
    blocks = list(live.latest_per_section(sections_in_order(), per_section=4, exclude=shown))
    context = {
        "lead": lead,
        "latest": latest,
        "section_blocks": blocks,
        "page_stories": [article for article in (lead, *latest, *blocks) if article is not None],
    }
    return render(request, "articles/home.html", context)


def follow_old_address(request):
    """A live story's former address answers with a 301 to where it lives now."""
    moved = ArticleRedirect.objects.filter(
        live_condition(prefix="article__"), old_path=request.path
    ).select_related("article")
    moved = moved.first()
    if moved is None:
        raise Http404("No such story.")
    return redirect(moved.article, permanent=True)


@reads_query(*STORY_QUERY)
def article_detail(request, year, month, day, slug):
    now = timezone.now()
    article = story_page.story_for_page(slug=slug, at=now)
    if article is None:
        return follow_old_address(request)
    is_live = article.is_live(now)
    if not is_live and not can_view_unpublished(request.user, article):
        raise Http404("No such story.")
    if is_live and request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    drawn_by = story_formats.view_for(article)
    if drawn_by is None and STORY_QUERY[0] in request.GET:
        # Only a format's page reads the query: a plain story answers at its own address, and
        # the page cache (which stores 200s only) keeps no copy of it under another.
        return redirect(article)
    context = {
        "article": article,
        "is_live": is_live,
        "teasers": story_page.related_strip(article, now),
        "corrections": article.public_corrections(now),
    }
    if drawn_by is not None:
        response = drawn_by(request, context, now)
    else:
        response = render(request, "articles/article_detail.html", context)
    if not is_live:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response


@reads_query(*PAGE_QUERY)
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    curated = front_pages.view_for("section")
    response = curated(request, section) if curated else None
    if response is not None:
        return response
    page = paginate(request, section.articles.live().for_listing().newest_first())
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


@reads_query(*PAGE_QUERY)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.live().for_listing().by_tag(tag))
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


@reads_query()
def preview(request, token):
    return previews.share_link_response(request, token)


@reads_query(*PAGE_QUERY)
def corrections(request):
    page = paginate(request, Correction.objects.public().for_listing())
    return render(request, "articles/correction_list.html", {"page": page})


@reads_query()
def feed_index(request):
    # The sections come from the cached list the navigation uses: no query of its own.
    return render(request, "articles/feed_index.html", {"sections": sections_in_order()})


@reads_query("q", *PAGE_QUERY)
def search(request):
    query, shortened = clean_query(request.GET.get("q", ""))
    page = paginate(request, search_articles(query)) if query else None
    context = {"query": query, "shortened": shortened, "page": page, "asked": "q" in request.GET}
    return render(request, "articles/search.html", context)


@sitemap_views.x_robots_tag
@reads_query()
def sitemap_index(request):
    context = {"sitemaps": index_entries(request)}
    return TemplateResponse(request, "sitemap_index.xml", context, content_type="application/xml")


@reads_query("p")
def story_sitemap(request, month):
    # Exactly the months the index lists answer; an empty one (its stories withdrawn since) is
    # an empty list rather than an error, for a crawler reading an index it fetched earlier.
    if month not in story_months():
        raise Http404("No story sitemap for that month.")
    return sitemap_views.sitemap(request, {"stories": StorySitemap(month)}, section="stories")


@reads_query("p")
def section_sitemap(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


@reads_query()
def news_sitemap(request):
    context = {"stories": news_stories(), "language": news_language()}
    return render(request, "articles/news_sitemap.xml", context, content_type="application/xml")


@reads_query()
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")
