"""A stand-in for a live story's reader page, for the updates script's browser test: the stream
container exactly as the reader page draws it (and its script), the entries drawn with the
``entry`` macro, and the rest of the project's URLs behind it. Only the test's URLconf routes it.
"""

from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils import timezone

from articles.models import Article
from live.models import Entry
from live.updates import poll_seconds, updates_url
from newsroom.pagecache import reads_query

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ article.headline }}</title></head>
<body><main><h1>{{ article.headline }}</h1>
<section class="live-stream" id="live-stream" data-updates-url="{{ updates_url }}" data-after="{{ newest_entry_id or 0 }}" data-poll-seconds="{{ poll_seconds }}" data-ended="{{ 'true' if ended else 'false' }}" aria-label="Latest updates">
<div class="live-stream__new" aria-live="polite"></div>
{% for item in entries %}{{ entry(item) }}{% endfor %}
</section></main>
<script src="{{ static('js/live-updates.js') }}" defer></script>
</body></html>"""


@reads_query()
def live_page(request, slug):
    now = timezone.now()
    article = Article.objects.live(now).exclude(coverage="").filter(slug=slug).first()
    if article is None:
        raise Http404
    entries = list(Entry.objects.filter(article=article).public(now).stream())
    template = engines["jinja2"].from_string('{% from "live/_entry.html" import entry %}' + PAGE)
    html = template.render(
        {
            "article": article,
            "entries": entries,
            "updates_url": updates_url(article),
            "newest_entry_id": entries[0].pk if entries else 0,
            "poll_seconds": poll_seconds(article),
            "ended": article.coverage == Article.Coverage.ENDED,
        }
    )
    return HttpResponse(html)


urlpatterns = [
    path("live-stand-in/<slug:slug>/", live_page, name="live_stand_in"),
    path("", include("newsroom.urls")),
]
