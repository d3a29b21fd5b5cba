"""Reader search: PostgreSQL full text where available, a plain substring fallback on SQLite.

Both paths start from ``Article.objects.live()``, so a story that is not live is never found, and
both consider only the newest SEARCH_CANDIDATES matches (see below).
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from .markup import MATCH_END, MATCH_START, clean_single_line, excerpt
from .models import NEWEST_FIRST, Article

# Must match the configuration the search_vector trigger uses (migration 0003).
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_FALLBACK_TERMS = 8
# A search ranks only the newest matches: a newsroom's readers want recent stories, and ranking
# every match of a common word would cost more with every story the archive gains. PostgreSQL
# finds a common word's newest matches by walking the publish_at index and stops at the cap (a
# rare word's few matches come from the full-text index), so the cost stays bounded. 1,000 is
# also every result the pages can show (MAX_NUMBERED_PAGES pages of 20).
SEARCH_CANDIDATES = 1000
_WORD = re.compile(r"\w", re.UNICODE)
_TERM = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')


def clean_query(raw):
    """``(query, was_shortened)``: one line, no control characters, at most MAX_QUERY_LENGTH long.

    A query without a single letter or digit becomes empty: there is nothing to look for.
    """
    text = clean_single_line(raw or "") or ""
    shortened = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH].strip()
    return (text if _WORD.search(text) else ""), shortened


def search_articles(query):
    """Live stories matching ``query``, best first, each with a ``snippet`` of sentinel-marked text."""
    if connection.vendor == "postgresql":
        return _full_text(query)
    return _fallback(query)


def _full_text(query):
    tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    candidates = (
        Article.objects.live()
        .filter(search_vector=tsquery)
        .order_by(*NEWEST_FIRST)
        .values("pk")[:SEARCH_CANDIDATES]
    )
    return _RankedResults(Article.objects.filter(pk__in=candidates), tsquery)


class _RankedResults:
    """The candidates best first, sliced a page at a time, each story with a marked ``snippet``.

    A page's stories are picked by rank in a subquery, and only they get a headline: it is the
    costliest part of a search, and with the headline in the ranking query PostgreSQL would
    compute it for every row a deep page skips (1,000 rows for the fiftieth page).
    """

    def __init__(self, candidates, tsquery):
        self.candidates, self.tsquery = candidates, tsquery

    def ranked(self, queryset):
        return queryset.annotate(rank=SearchRank(F("search_vector"), self.tsquery)).order_by(
            "-rank", "-publish_at", "-id"
        )

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        page = self.ranked(self.candidates).values("pk")[key]
        marks = {"start_sel": MATCH_START, "stop_sel": MATCH_END, "config": SEARCH_CONFIG}
        snippet = SearchHeadline(
            "body", self.tsquery, max_words=35, min_words=15, max_fragments=2, **marks
        )
        stories = Article.objects.filter(pk__in=page).for_listing().defer("search_vector")
        stories = stories.annotate(snippet=snippet)
        return list(self.ranked(stories))


def _terms(query):
    """Words and quoted phrases, each with whether it is excluded (a leading minus)."""
    for match in _TERM.finditer(query):
        negated, text = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
        if text.strip() and _WORD.search(text) and text.lower() != "or":
            yield text.strip(), bool(negated)


def _fallback(query):
    stories = Article.objects.live().for_listing()
    terms = list(_terms(query))[:MAX_FALLBACK_TERMS]
    for text, negated in terms:
        found = Q(headline__icontains=text) | Q(dek__icontains=text) | Q(body__icontains=text)
        stories = stories.exclude(found) if negated else stories.filter(found)
    if not any(not negated for _, negated in terms):
        return Article.objects.none()
    wanted = [text for text, negated in terms if not negated]
    return _SnippetQuerySet(stories.newest_first()[:SEARCH_CANDIDATES], wanted)


class _SnippetQuerySet:
    """Wraps the fallback's queryset so each page's stories get a marked snippet of their summary."""

    def __init__(self, queryset, words):
        self.queryset = queryset
        self.pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        items = self.queryset[key]
        if isinstance(key, slice):
            items = list(items)
            for item in items:
                item.snippet = self.mark(excerpt(item.summary, 240))
        return items

    def mark(self, text):
        return self.pattern.sub(lambda m: f"{MATCH_START}{m[0]}{MATCH_END}", text)
