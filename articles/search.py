"""Reader search: PostgreSQL full text where available, a plain substring fallback on SQLite.

Both paths start from ``Article.objects.live()``, so a story that is not live is never found, and
both consider only the newest SEARCH_CANDIDATES matches (see below). Both find a story by its
headline, dek, body and the names on its bylines, and give each result a ``snippet``: a passage of
the body as readers read it (``body_text``, the rendered body as plain text, never Markdown), with
the matched words between the MATCH_START and MATCH_END sentinels, which the template's
``highlight`` filter turns into ``<mark>`` after escaping the text.

Bylines' names: on PostgreSQL they are part of each story's search vector, kept current by
triggers when bylines change or an author is renamed (migration 0010), so a name is matched by
the same indexed look-up as any word and the search stays one query. The fallback looks them up
through the bylines, in a subquery of its one query.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from content.markup import MATCH_END, MATCH_START, clean_single_line, excerpt

from .models import Article, Byline
from .querysets import NEWEST_FIRST

# Must match the configuration the search_vector trigger uses (migrations 0006 and 0010).
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_FALLBACK_TERMS = 8
# A search ranks only the newest matches: a newsroom's readers want recent stories, and ranking
# every match of a common word would cost more with every story the archive gains. PostgreSQL
# finds a common word's newest matches by walking the publish_at index and stops at the cap (a
# rare word's few matches come from the full-text index), so the cost stays bounded. 1,000 is
# also every result the pages can show (MAX_NUMBERED_PAGES pages of 20).
SEARCH_CANDIDATES = 1000
# About two lines of a result: the fallback's passage, in characters.
PASSAGE_LENGTH = 240
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
        # ts_headline writes the plain text back with only the two sentinels added; the
        # template escapes it all before turning the sentinels into <mark>.
        snippet = SearchHeadline(
            "body_text", self.tsquery, max_words=35, min_words=15, max_fragments=2, **marks
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
    terms = list(_terms(query))[:MAX_FALLBACK_TERMS]
    wanted = [text for text, negated in terms if not negated]
    if not wanted:
        return Article.objects.none()
    # As for_listing(), but keeping the plain-text body that passages are cut from.
    stories = Article.objects.live().select_related("section").defer("body", "body_html")
    for text, negated in terms:
        named = Byline.objects.filter(author__name__icontains=text).values("article_id")
        found = (
            Q(headline__icontains=text)
            | Q(dek__icontains=text)
            | Q(body_text__icontains=text)
            | Q(pk__in=named)
        )
        stories = stories.exclude(found) if negated else stories.filter(found)
    return _PassageQuerySet(stories.newest_first()[:SEARCH_CANDIDATES], wanted)


class _PassageQuerySet:
    """Wraps the fallback's queryset so each page's stories get a marked passage of their body."""

    def __init__(self, queryset, words):
        self.queryset = queryset
        # Longest first, so that a word is marked whole when a shorter one is part of it.
        alternatives = sorted(words, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(w) for w in alternatives), re.IGNORECASE)

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        items = self.queryset[key]
        if isinstance(key, slice):
            items = list(items)
            for item in items:
                item.snippet = self.mark(self.passage(item.body_text))
        return items

    def passage(self, text):
        """The body's opening, or, when its first match comes later, the text around that match,
        cut at word boundaries."""
        match = self.pattern.search(text)
        if match is None or match.end() <= PASSAGE_LENGTH:
            return excerpt(text, PASSAGE_LENGTH)
        # About a third of the passage before the match, from the start of a word (unless the
        # words there are absurdly long).
        cut = max(match.start() - PASSAGE_LENGTH // 3, 0)
        space = text.rfind(" ", max(cut - PASSAGE_LENGTH // 3, 0), cut)
        start = space + 1 if space >= 0 else cut
        return ("…" if start else "") + excerpt(text[start:], PASSAGE_LENGTH)

    def mark(self, text):
        return self.pattern.sub(lambda m: f"{MATCH_START}{m[0]}{MATCH_END}", text)
