"""What a front shows at a moment: each zone's picks in order, then its backfill, with a story
shown once per page.

The rule, top to bottom: a zone shows the picks whose window contains the moment and whose
story is live, in the editor's order, up to its size; then it fills up from its rule, leaving
out every story already shown above and every story a pick shows anywhere on the front. Only
backfill ever gives way: a pick is never displaced, and a story picked twice shows twice.

Whatever the number of zones, it costs two queries: one for every zone's backfill candidates,
and one for the chosen stories. The zones and the picks, with their stories, come from the
fronts' index, kept for the content generation (which ends at every pick's window edge and every
story's publication time), so only which picks show is worked out at each request. Each zone's
share of the candidates is a LIMIT subquery walking a list index (newest overall, in a section,
with a tag, featured), long enough to survive the de-duplication above it, so the cost does not
grow with the archive. The candidates come as ids, each marked with the share that found it:
most are never shown. The chosen stories come as the columns a teaser reads, with their
sections: making each a whole story cost more than the rest of the page's data.

With ``NEWSROOM_FRONT_FAST_PATH`` on (the default) the backfill query is compiled once per
generation and both queries run as PostgreSQL prepared statements (``newsroom/prepared.py``);
off, the same queries are built plain at each request.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace

from django.conf import settings
from django.db import connection

from articles.models import Article, Section
from articles.querysets import NEWEST_FIRST
from articles.views import sections_in_order
from newsroom.pagecache import current_generation, generation_cached
from newsroom.prepared import PreparedQuery, bound, write_in

from .models import Front, Pick, Zone


@dataclass
class Card:
    """One teaser on a front, as the templates draw it."""

    href: str
    headline: str
    kicker: str = ""
    excerpt: str = ""
    picture: object = None
    section: object = None
    date: object = None
    external: bool = False
    # A story running live coverage: labelled "Live", its date its newest entry's time.
    live: bool = False
    article: object = None
    pick: object = None

    def get_absolute_url(self):
        """Where the card links: for a story's card, the story's address (the item list of the
        page's stories reads it from the card rather than working it out again)."""
        return self.href

    @property
    def label(self):
        return self.pick.get_kind_display() if self.pick is not None and self.pick.kind else ""

    @property
    def label_kind(self):
        return self.pick.kind if self.pick is not None else ""


@dataclass
class ShownZone:
    zone: Zone
    cards: list = field(default_factory=list)
    # For a block per section: (section, cards) pairs, in the sections' order.
    blocks: list = field(default_factory=list)

    @property
    def every_card(self):
        return [*self.cards, *(card for _, cards in self.blocks for card in cards)]


def story_card(article, shape=""):
    picture = article.hero_picture_in(shape) if shape else article.hero_picture
    return Card(
        href=article.get_absolute_url(),
        headline=article.headline,
        kicker=article.kicker,
        excerpt=article.teaser_excerpt,
        picture=picture,
        section=article.section,
        date=article.listed_time(),
        live=article.is_live_coverage,
        article=article,
    )


def pick_card(pick, shape=""):
    if pick.target_id:
        card = story_card(pick.target, shape)
        card.headline = pick.display_headline
        if pick.excerpt_text:
            card.excerpt = pick.display_excerpt
    else:
        card = Card(
            href=pick.url, headline=pick.headline, excerpt=pick.display_excerpt, external=True
        )
    if pick.image:
        card.picture = pick.image_picture_in(shape) if shape else pick.image_picture
    card.pick = pick
    return card


class _Candidate(SimpleNamespace):
    """A story the backfill may show: its id, and the number of the share that found it."""


@dataclass
class _Share:
    """One LIMIT subquery of the backfill query: the newest ``limit`` stories of its rule."""

    queryset: object
    limit: int
    number: int = 0  # its place in the query, which marks the rows it found

    def stories(self, found):
        """The ids of this share's stories, newest first (``found``: each share's, by number)."""
        return found.get(self.number, ())


def _shares(zone, live, limit, sections):
    """The shares a zone's backfill is drawn from, in the order it takes their stories; for a
    block per section, one list of shares per section."""
    rule = zone.backfill
    if rule == Zone.Backfill.EVERYTHING:
        stories = live
    elif rule == Zone.Backfill.SECTION:
        stories = live.filter(section_id=zone.backfill_section_id)
    elif rule == Zone.Backfill.TAG:
        stories = live.by_tag(zone.backfill_tag)
    elif rule == Zone.Backfill.EACH_SECTION:
        return [[_Share(live.filter(section=section), limit)] for section in sections]
    else:
        return []
    featured = _Share(stories.filter(is_featured=True), limit)
    if zone.featured == Zone.Featured.ONLY:
        return [featured]
    every = _Share(stories, limit)
    if zone.featured == Zone.Featured.FIRST:
        return [featured, every]
    return [every]


def _backfill_capacity(zone, sections):
    if zone.backfill == Zone.Backfill.EACH_SECTION:
        return zone.size * len(sections)
    return zone.size if zone.backfill else 0


def shown_zones(zones, at):
    """What each of ``zones`` (one front's, in order) shows at ``at``: a list of ShownZone."""
    zones = list(zones)
    if not zones:
        return []
    every_pick = front_index()["picks"]
    picks = {zone.pk: showing(every_pick.get(zone.pk, []), at) for zone in zones}
    picked = {pick.target_id for zone_picks in picks.values() for pick in zone_picks}
    picked.discard(None)
    sections = (
        sections_in_order()
        if any(zone.backfill == Zone.Backfill.EACH_SECTION for zone in zones)
        else []
    )

    zone_shares, rows = backfill(zones, picked, sections, at)
    found = {}
    for row in rows:
        found.setdefault(row.share, []).append(row.pk)

    # Which story goes where, from the candidates' ids; then the chosen stories, whole.
    shown, placed = set(), []
    for zone, shares in zip(zones, zone_shares, strict=True):
        zone_picks = picks.get(zone.pk, [])[: zone.size]
        shown.update(pick.target_id for pick in zone_picks if pick.target_id)
        if zone.backfill == Zone.Backfill.EACH_SECTION:
            blocks = [
                (section, _fill(section_shares, found, shown, zone.size))
                for section, section_shares in zip(sections, shares, strict=True)
            ]
            placed.append((zone, zone_picks, [], [block for block in blocks if block[1]]))
        else:
            filled = _fill(shares, found, shown, zone.size - len(zone_picks))
            placed.append((zone, zone_picks, filled, []))
    stories = chosen_stories(shown - picked)

    result = []
    for zone, zone_picks, filled, blocks in placed:
        shape = zone.picture_shape
        cards = [pick_card(pick, shape) for pick in zone_picks]
        cards += [story_card(stories[pk], shape) for pk in filled]
        blocks = [
            (section, [story_card(stories[pk], shape) for pk in pks]) for section, pks in blocks
        ]
        result.append(ShownZone(zone, cards, blocks))
    return result


def backfill_plan(zones, picked, sections, at):
    """Each zone's shares, and the SQL and parameters of the query of their candidates (None
    when no zone backfills)."""
    live = Article.objects.live(at).exclude(pk__in=picked)
    zone_shares, above = [], 0
    for zone in zones:
        # Enough stories to fill the zone even if every one shown above is among them.
        zone_shares.append(_shares(zone, live, zone.size + above, sections))
        above += _backfill_capacity(zone, sections)
    flat = [share for shares in zone_shares for item in shares for share in _each(item)]
    if not flat:
        return zone_shares, None, ()
    parts, params = [], []
    for number, share in enumerate(flat):
        share.number = number
        part = share.queryset.order_by(*_order(share)).values("pk", "publish_at")[: share.limit]
        sql, part_params = part.query.get_compiler(connection=connection).as_sql()
        # ORM-compiled SQL with bound parameters; the share's number is a literal of the shape.
        part_sql = f"SELECT {number} AS share, pk, publish_at FROM ({sql}) AS candidates_{number}"  # noqa: S608
        parts.append(part_sql)
        params.extend(part_params)
    # Each share's stories, marked with its number, in its own order (a tag's share walks the tag
    # links' copy of publish_at, the same moment): no story is looked up again, and a story two
    # shares found comes twice. Django refuses LIMIT inside a compound query on SQLite, hence
    # the ORM-compiled parts wrapped as derived tables, which both databases accept.
    union = " UNION ALL ".join(parts)
    order = "ORDER BY share, publish_at DESC, pk DESC"
    sql = f"SELECT share, pk FROM ({union}) AS candidates {order}"  # noqa: S608 (as above)
    return zone_shares, sql, tuple(params)


def _run(sql, params, cursor_of):
    with cursor_of.cursor() as cursor:
        cursor.execute(sql, params)
        return [_Candidate(share=share, pk=pk) for share, pk in cursor.fetchall()]


def plain_backfill(zones, picked, sections, at):
    """Each zone's shares and the stories each share found, newest first, by id and share (the
    stories themselves are fetched once chosen)."""
    zone_shares, sql, params = backfill_plan(zones, picked, sections, at)
    return zone_shares, (_run(sql, params, connection) if sql is not None else [])


# The backfill query, compiled once per content generation. Building and compiling its LIMIT
# subqueries (a dozen on a curated home) cost more CPU than running them. Within a generation
# the zones, the sections and (for a given moment's picks) the query's text stay the same; only
# the moment changes, so the query is compiled for a stand-in moment and run with the real one
# in its place. Should the stand-in not be found among the parameters, the plain path runs. Its
# text depends only on the front's shape, so on PostgreSQL it is one prepared statement across
# generations, planned once per connection.
STAND_IN = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
_compiled = {}


@dataclass(frozen=True)
class _Compiled:
    zone_shares: list
    sql: str | None
    params: tuple
    moments: tuple  # where the moment goes among the parameters


def _fast_path():
    return settings.NEWSROOM_FRONT_FAST_PATH


def backfill(zones, picked, sections, at):
    if not _fast_path():
        return plain_backfill(zones, picked, sections, at)
    key = (
        current_generation().token,
        tuple(_zone_key(zone) for zone in zones),
        frozenset(picked),
        tuple(section.pk for section in sections),
    )
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compile(zones, picked, sections)
        if len(_compiled) >= 64:
            _compiled.clear()  # an older generation's, almost all
        _compiled[key] = compiled
    if compiled.sql is None:
        return compiled.zone_shares, []
    if not compiled.moments:
        return plain_backfill(zones, picked, sections, at)
    params = list(compiled.params)
    moment = connection.ops.adapt_datetimefield_value(at)
    for position in compiled.moments:
        params[position] = moment
    # A prepared statement on PostgreSQL: the same text for every request of the generation, and
    # of the next ones while the front keeps its shape.
    return compiled.zone_shares, _run(compiled.sql, params, bound(connection))


def _compile(zones, picked, sections):
    zone_shares, sql, params = backfill_plan(zones, picked, sections, STAND_IN)
    if sql is None:
        return _Compiled(zone_shares, None, (), ())
    stand_in = connection.ops.adapt_datetimefield_value(STAND_IN)
    # The status the live rule asks for, written into the SQL: the prepared statement's one plan
    # then walks the partial indexes on published stories (newsroom.prepared.write_in).
    sql, params = write_in(sql, params, lambda value: isinstance(value, str) and value != stand_in)
    moments = tuple(
        n for n, value in enumerate(params) if type(value) is type(stand_in) and value == stand_in
    )
    return _Compiled(zone_shares, sql, tuple(params), moments)


def _zone_key(zone):
    rule = (zone.backfill, zone.backfill_section_id, zone.backfill_tag_id, zone.featured)
    return (zone.pk, zone.size, *rule)


# What a teaser reads of a story (story_card, the item list, the fronts API), and of its section:
# the chosen stories come as these columns, and each becomes a story with its section and the
# rest deferred, as ``only()`` gives. In the model's order, the order ``from_db`` reads them in.
_TEASER_COLUMNS = {
    "id",
    "headline",
    "slug",
    "kicker",
    "teaser_text",
    "section_id",
    "hero_image",
    "hero_renditions",
    "hero_width",
    "hero_height",
    "hero_alt",
    "publish_at",
    # A story running live coverage carries the "Live" label and its newest entry's time.
    "coverage",
    "entry_times",
    "first_published_at",
    "created_at",
    "is_featured",
}
TEASER_FIELDS = tuple(
    field.attname for field in Article._meta.concrete_fields if field.attname in _TEASER_COLUMNS
)
SECTION_FIELDS = tuple(field.attname for field in Section._meta.concrete_fields)


def teaser_rows(*, ids):
    """The chosen stories' teaser columns and their sections': the question, asked plain or
    prepared."""
    sections = (f"section__{name}" for name in SECTION_FIELDS)
    return Article.objects.filter(pk__in=ids).values_list(*TEASER_FIELDS, *sections)


_teaser_rows = PreparedQuery(teaser_rows)  # one compiled query for each number of stories


def chosen_stories(ids):
    """The stories with these ids, by id, each with its section and its teaser's columns;
    reading another column costs a query.

    Whole stories with their sections joined cost more than the rest of the page's data: most of
    their columns are never read, and Django's iterator turned each row into two instances
    field by field."""
    if not ids:
        return {}
    ids = sorted(ids)
    rows = _teaser_rows.run(ids=ids) if _fast_path() else list(teaser_rows(ids=ids))
    alias, cut, fields = Article.objects.db, len(TEASER_FIELDS), frozenset(TEASER_FIELDS)
    stories, sections = {}, {}
    for row in rows:
        story = Article.from_db(alias, fields, row[:cut])
        if story.section_id is not None:
            # One instance for each section, shared by its stories, as the page reads them only.
            section = sections.get(story.section_id)
            if section is None:
                section = Section.from_db(alias, SECTION_FIELDS, row[cut:])
                sections[story.section_id] = section
            Article.section.field.set_cached_value(story, section)
        stories[story.pk] = story
    return stories


def page_stories(shown):
    """The cards of the stories the zones show (not the external links), in page order: each
    links where its story does."""
    return [card for entry in shown for card in entry.every_card if card.article is not None]


def _each(item):
    return item if isinstance(item, list) else [item]


def _order(share):
    # A tag's share walks the tag links' index (ArticleQuerySet.by_tag orders it so already).
    return share.queryset.query.order_by or NEWEST_FIRST


def _fill(shares, found, shown, wanted):
    """The ids of up to ``wanted`` stories from the shares, in turn, not shown above."""
    filled = []
    for share in shares:
        for pk in share.stories(found):
            if len(filled) >= wanted:
                return filled
            if pk not in shown:
                shown.add(pk)
                filled.append(pk)
    return filled


def front_index():
    """Every front's zones and picks, kept until the content changes (a new generation starts
    with any change to a front or a story, and at every pick's window edge and every story's
    publication time): pages spend no query on finding their front, its picks or the banner."""
    return generation_cached("fronts", _load_index)


def _load_index():
    fronts = {}
    for front in Front.objects.select_related("section"):
        fronts[_key(front.kind, front.section_id)] = []
    for zone in Zone.objects.select_related("front", "backfill_section", "backfill_tag"):
        fronts[_key(zone.front.kind, zone.front.section_id)].append(zone)
    # Each pick with its story, whatever its window: which show is decided at each request.
    picks = {}
    for pick in Pick.objects.for_front():
        picks.setdefault(pick.zone_id, []).append(pick)
    banner = [pick for zone in fronts.get(Front.Kind.BANNER, []) for pick in picks.get(zone.pk, [])]
    return {"fronts": fronts, "picks": picks, "banner": banner}


def _key(kind, section_id=None):
    return f"section-{section_id}" if kind == Front.Kind.SECTION else kind


def front_of(*, kind, section=None):
    """The zones of the home front (``kind="home"``) or a section's, in order; None when there
    is no such front."""
    return front_index()["fronts"].get(_key(kind, section.pk if section else None))


def showing(picks, at):
    """The picks that show at ``at``: in their window, their story live (PickQuerySet.showing,
    for picks in hand)."""
    return [pick for pick in picks if pick.window_state(at) == Pick.State.SHOWING]


def banner_picks(at):
    """The site-wide banner's picks that show at ``at``."""
    return showing(front_index()["banner"], at)
