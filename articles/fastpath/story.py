"""The story page's questions, prepared.

``articles/story_page.py`` writes each question once, as a function returning a queryset; this
module runs them as prepared queries (``newsroom/prepared.py``). It knows what the plain querysets need
not: which values shape the SQL (the strip's LIMITs, passed as ``fixed``), and how to give the
story its bylines from a prepared query of their own rather than through ``prefetch_related``,
which would build and compile a queryset again on every request.
"""

from newsroom.prepared import PreparedQuery


def give_bylines(article, bylines):
    """Store ``bylines`` where ``prefetch_related("bylines")`` would, so that
    ``article.bylines.all()`` costs no query.

    Django has no public way to hand an object rows read elsewhere as a relation's prefetched
    rows (``prefetch_related_objects`` would run its own, unprepared query). This fills in what
    Django's prefetch leaves behind: the related manager's queryset with its result cache set and
    marked done, under the relation's name. The three private attributes are used here only.
    """
    for byline in bylines:
        byline.article = article
    prefetched = article.bylines.all()
    prefetched._result_cache, prefetched._prefetch_done = bylines, True
    article._prefetched_objects_cache = {"bylines": prefetched}


class PreparedStoryPage:
    """The story page's four questions as prepared queries, each compiled once per shape."""

    def __init__(self, *, story, bylines, curated_teasers, related_fill):
        # The story's bylines are a prepared query of their own (give_bylines), not a prefetch.
        self._story = PreparedQuery(
            lambda *, slug, at: story(slug=slug, at=at).prefetch_related(None)[:1]
        )
        self._bylines = PreparedQuery(bylines)
        self._curated_teasers = PreparedQuery(curated_teasers)
        self._related_fill = PreparedQuery(related_fill)

    def story(self, *, slug, at):
        """The story with this slug and its bylines, or None: two queries."""
        found = self._story.run(slug=slug, at=at)
        if not found:
            return None
        article = found[0]
        give_bylines(article, self._bylines.run(article_id=article.pk))
        return article

    def curated_teasers(self, *, count, **values):
        return self._curated_teasers.run(fixed={"count": count}, **values)

    def related_fill(self, *, room, **values):
        return self._related_fill.run(fixed={"room": room}, **values)
