"""Fill an empty database with a deterministic, newsroom-shaped archive for the benchmark.

The same ``--articles`` and ``--seed`` always give the same rows. Stories are spread back in time
from a fixed moment, with a few scheduled ahead; tags follow a Zipf law, so the popular ones grow
with the archive as they do on a real site (and a tag page is a real test of its index).

Rows go in by batch, each batch committed whole, so an interrupted seed can ``--resume``. On
PostgreSQL they are streamed with COPY while the loaded tables' secondary indexes, constraints and
triggers are set aside (bench/bulk_load.py), and each story's search vector is worked
out in its INSERT: a story's body is one of a few hundred, whose vectors are computed once. The
schema ends exactly as the migrations left it. Either way the database's statistics are refreshed
at the end (ANALYZE).
"""

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Byline, Correction, RelatedTeaser, Section, TaggedArticle
from authors.models import Author
from bench import bulk_load
from content.markup import excerpt, render_markdown, to_plain_text
from newsroom.pagecache import new_generation

ANCHOR = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
BATCH = 5000
SECTIONS = ["World", "Politics", "Business", "Science", "Culture", "Sport", "Opinion", "Local"]
WORDS = [
    "government",
    "minister",
    "council",
    "harbour",
    "ferry",
    "strike",
    "budget",
    "election",
    "court",
    "ruling",
    "police",
    "report",
    "hospital",
    "school",
    "teachers",
    "union",
    "talks",
    "agreement",
    "deal",
    "market",
    "shares",
    "prices",
    "energy",
    "climate",
    "flood",
    "storm",
    "rescue",
    "crew",
    "investigation",
    "witness",
    "evidence",
    "statement",
    "spokesperson",
    "officials",
    "residents",
    "community",
    "village",
    "city",
    "region",
    "border",
    "talks",
    "summit",
    "leaders",
    "vote",
    "parliament",
    "committee",
    "inquiry",
    "company",
    "workers",
    "factory",
    "jobs",
    "plan",
    "proposal",
    "funding",
    "research",
    "scientists",
    "study",
    "results",
    "data",
    "season",
    "match",
    "final",
    "coach",
    "players",
    "team",
    "goal",
    "victory",
    "defeat",
    "festival",
    "film",
    "music",
    "theatre",
    "museum",
    "exhibition",
    "archive",
    "history",
    "tradition",
    "morning",
    "evening",
    "week",
    "month",
    "year",
    "early",
    "late",
    "new",
    "old",
    "major",
    "minor",
    "local",
    "national",
    "foreign",
    "public",
    "private",
    "senior",
    "former",
    "acting",
    "interim",
    "emergency",
    "said",
    "told",
    "confirmed",
    "denied",
    "warned",
    "announced",
    "expected",
    "reported",
    "agreed",
    "rejected",
    "delayed",
    "opened",
    "closed",
    "reopened",
    "launched",
    "cancelled",
    "approved",
    "blocked",
    "signed",
    "visited",
    "returned",
    "left",
    "arrived",
]
FIRST = [
    "Ann",
    "Ben",
    "Cara",
    "Dev",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jo",
    "Kit",
    "Lena",
    "Max",
    "Nia",
    "Omar",
    "Pia",
    "Raj",
    "Sol",
    "Tom",
    "Uma",
]
LAST = [
    "Adams",
    "Bell",
    "Cho",
    "Diaz",
    "Evans",
    "Fox",
    "Grant",
    "Hale",
    "Iqbal",
    "Jones",
    "Khan",
    "Lee",
    "Moss",
    "Nair",
    "Obi",
    "Park",
]


def sentence(rng, low=8, high=20):
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."


def body_markdown(rng):
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(5)]
    paragraphs.insert(2, f"## {sentence(rng, 3, 6)[:-1]}")
    paragraphs.insert(
        4, f"> {sentence(rng)}\n>\n> <cite>{rng.choice(FIRST)} {rng.choice(LAST)}</cite>"
    )
    paragraphs[1] += f" [Read the report](https://example.org/{rng.randint(1, 999)})."
    return "\n\n".join(paragraphs)


# Each batch's rows, as tuples in the order of these fields (a story also names its body).
STORY_FIELDS = (
    "id",
    "headline",
    "slug",
    "kicker",
    "dek",
    "teaser_text",
    "section_id",
    "status",
    "publish_at",
    "first_published_at",
    "is_featured",
)
BYLINE_FIELDS = ("article_id", "author_id", "position", "publish_at")
TAGGED_FIELDS = ("content_object_id", "tag_id", "publish_at")
TEASER_FIELDS = ("article_id", "target_id", "position")
CORRECTION_FIELDS = ("article_id", "text", "published_at")


@dataclass(frozen=True)
class Setting:
    total: int
    section_ids: list
    author_ids: list
    author_names: dict
    tag_ids: list
    body_count: int


@dataclass
class Batch:
    stories: list = field(default_factory=list)
    bylines: list = field(default_factory=list)
    tagged: list = field(default_factory=list)
    teasers: list = field(default_factory=list)
    corrections: list = field(default_factory=list)

    def related(self):
        return [
            (Byline, BYLINE_FIELDS, self.bylines),
            (TaggedArticle, TAGGED_FIELDS, self.tagged),
            (RelatedTeaser, TEASER_FIELDS, self.teasers),
            (Correction, CORRECTION_FIELDS, self.corrections),
        ]


def make_batch(rng, rows, setting):
    """The stories numbered ``rows`` (from 0, the oldest) and what hangs off them, as tuples."""
    batch = Batch()
    tag_count = len(setting.tag_ids)
    for n in rows:
        pk = n + 1
        count_from_top = setting.total - n
        # Story 1 is the oldest; the newest is a few minutes before the anchor. A handful at the
        # top are scheduled ahead, as on any newsroom's Friday.
        publish_at = ANCHOR - timedelta(minutes=7 * count_from_top)
        if count_from_top <= 3:
            publish_at = ANCHOR + timedelta(days=3650 + count_from_top)
        status = Article.Status.PUBLISHED
        roll = rng.random()
        if roll < 0.02:
            status = Article.Status.DRAFT
        elif roll < 0.03:
            status = Article.Status.WITHDRAWN
        headline = sentence(rng, 5, 11)[:-1]
        body_number = rng.randrange(setting.body_count)
        kicker = rng.choice(["", "", "", "Analysis", "Exclusive", "Live"])
        # A plain sentence: its teaser text (what Article.save derives from the dek) is itself.
        dek = sentence(rng)
        batch.stories.append(
            (
                pk,
                headline,
                f"{slugify(headline)[:150]}-{pk}",
                kicker,
                dek,
                dek,
                rng.choice(setting.section_ids),
                status,
                publish_at,
                publish_at if status != Article.Status.DRAFT else None,
                pk % 500 == 0,
                body_number,
            )
        )
        authors = rng.sample(setting.author_ids, rng.choice([1, 1, 1, 2, 3]))
        batch.bylines += [
            (pk, author, position, publish_at) for position, author in enumerate(authors)
        ]
        # Log-uniform tag choice: the first tags are on a large share of all stories.
        picked = {int(tag_count ** rng.random()) - 1 for _ in range(5)}
        batch.tagged += [(pk, setting.tag_ids[index], publish_at) for index in picked]
        if pk % 5 == 0 and pk > 10:
            targets = rng.sample(range(1, pk), 3)
            batch.teasers += [(pk, target, position) for position, target in enumerate(targets)]
        if pk % 100 == 0:
            batch.corrections.append((pk, sentence(rng), publish_at + timedelta(hours=2)))
    return batch


def new_row_values(model, given):
    """The other columns of ``model`` and what a new row gets in them (defaults, "now")."""
    blank = model()
    return {
        field.column: field.get_db_prep_save(field.pre_save(blank, add=True), connection)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in given
    }


class OrmLoader:
    """Bulk inserts through the ORM (SQLite)."""

    def __init__(self, bodies):
        self.bodies = bodies

    def start(self):
        pass

    def prepare(self, batch):
        stories = []
        for row in batch.stories:
            body, body_html, body_text, body_excerpt = self.bodies[row[-1]]
            values = dict(zip(STORY_FIELDS, row[:-1], strict=True))
            stories.append(
                Article(
                    **values,
                    body=body,
                    body_html=body_html,
                    body_text=body_text,
                    body_excerpt=body_excerpt,
                )
            )
        related = [
            (model, [model(**dict(zip(fields, row, strict=True))) for row in rows])
            for model, fields, rows in batch.related()
        ]
        return stories, related

    def write(self, prepared):
        stories, related = prepared
        Article.objects.bulk_create(stories, batch_size=1000)
        for model, rows in related:
            model.objects.bulk_create(rows, batch_size=2000)

    def finish(self):
        pass


# For the index builds at the end.
MAINTENANCE_WORK_MEM = "SET maintenance_work_mem TO '1GB'"


class PostgresLoader:
    """COPY into the tables, their secondary indexes, constraints and triggers set aside.

    A story's search vector is worked out in its INSERT, as the triggers of migrations 0006 and
    0010 would: the body's part is made once per body, and the headline, dek and byline names part
    (plain words of a known vocabulary) is written out here from each word's lexeme, which
    PostgreSQL gives once.
    """

    tables = [
        model._meta.db_table
        for model in (Article, Byline, TaggedArticle, RelatedTeaser, Correction)
    ]
    staged_columns = (*STORY_FIELDS, "body_number", "heading_vector")

    def __init__(self, bodies, author_names):
        self.bodies = bodies
        self.author_names = author_names

    def start(self):
        with connection.cursor() as cursor:
            # A crash mid-seed loses at most the last batch, which --resume writes again.
            cursor.execute("SET synchronous_commit TO OFF")
            cursor.execute(MAINTENANCE_WORK_MEM)
            bulk_load.set_aside(self.tables)
            cursor.execute("DROP TABLE IF EXISTS seed_bodies, seed_stories")
            cursor.execute(
                "CREATE TEMPORARY TABLE seed_bodies (number integer PRIMARY KEY, body text, "
                "body_html text, body_text text, body_excerpt text, body_vector tsvector)"
            )
            bulk_load.copy_rows(
                cursor,
                "seed_bodies",
                ["number", "body", "body_html", "body_text", "body_excerpt"],
                ((number, *body) for number, body in enumerate(self.bodies)),
            )
            cursor.execute(
                "UPDATE seed_bodies "
                "SET body_vector = setweight(to_tsvector('pg_catalog.english', body), 'C')"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE seed_stories AS SELECT {', '.join(STORY_FIELDS)}, "  # noqa: S608
                "0 AS body_number, NULL::tsvector AS heading_vector "
                "FROM articles_article WITH NO DATA"
            )
            cursor.execute(
                "SELECT word, array_to_string(tsvector_to_array("
                "to_tsvector('pg_catalog.english', word)), '') FROM unnest(%s::text[]) AS word",
                [sorted({*WORDS, *(name.lower() for name in FIRST + LAST)})],
            )
            # Escaped for the tsvector's text form; "" for a stop word.
            self.lexemes = {
                word: lexeme.replace("\\", "\\\\").replace("'", "''")
                for word, lexeme in cursor.fetchall()
            }
        computed = {
            "body": "b.body",
            "body_html": "b.body_html",
            "body_text": "b.body_text",
            "body_excerpt": "b.body_excerpt",
            "search_vector": "s.heading_vector || b.body_vector",
        }
        other = new_row_values(Article, {*STORY_FIELDS, *computed})
        columns = [*STORY_FIELDS, *computed, *other]
        values = [f"s.{name}" for name in STORY_FIELDS] + [*computed.values()] + ["%s"] * len(other)
        self.insert_stories = (
            f"INSERT INTO articles_article ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM seed_stories s "
            "JOIN seed_bodies b ON b.number = s.body_number ORDER BY s.id"
        )
        self.story_params = list(other.values())

    def heading_vector(self, headline, dek, names):
        """The headline's vector weighted A, then the dek's and the byline names' weighted B, as
        text (the names joined by spaces, in byline order).

        Every word is a position (stop words too, without a lexeme); each part's positions follow
        the previous part's last lexeme, as tsvector concatenation shifts them.
        """
        positions = {}
        shift = 0
        for text, weight in ((headline, "A"), (dek, "B"), (names, "B")):
            last = 0
            for number, word in enumerate(text.rstrip(".").lower().split(), 1):
                if lexeme := self.lexemes[word]:
                    positions.setdefault(lexeme, []).append(f"{number + shift}{weight}")
                    last = number
            shift += last
        return " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items())

    def prepare(self, batch):
        names = {}
        for story, author, _position, _publish_at in sorted(
            batch.bylines, key=lambda byline: (byline[0], byline[2])
        ):
            names.setdefault(story, []).append(self.author_names[author])
        stories = [
            (*row, self.heading_vector(row[1], row[4], " ".join(names.get(row[0], []))))
            for row in batch.stories
        ]
        related = []
        for model, fields, rows in batch.related():
            other = new_row_values(model, fields)
            constant = tuple(other.values())
            related.append((model._meta.db_table, [*fields, *other], [r + constant for r in rows]))
        return stories, related

    def write(self, prepared):
        stories, related = prepared
        with connection.cursor() as cursor:
            bulk_load.copy_rows(cursor, "seed_stories", self.staged_columns, stories)
            cursor.execute(self.insert_stories, self.story_params)
            cursor.execute("TRUNCATE seed_stories")
            for table, columns, rows in related:
                bulk_load.copy_rows(cursor, table, columns, rows)

    def finish(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS seed_bodies, seed_stories")
        bulk_load.rebuild(session=[MAINTENANCE_WORK_MEM])


def prepared_batches(loader, seed, total, first, setting):
    """Each batch made and prepared in a thread while the one before is written, so that Python
    works on the next rows while the database stores the last. Yields (stories so far, batch);
    each batch has its own random stream, so a resumed seed makes the same rows."""
    starts = range(first, total, BATCH)

    def make(start):
        rows = range(start, min(start + BATCH, total))
        return rows.stop, loader.prepare(
            make_batch(random.Random(f"{seed}-{start}"), rows, setting)
        )

    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(make, starts[0]) if starts else None
        for start in starts:
            ready = upcoming.result()
            if start + BATCH < total:
                upcoming = pool.submit(make, start + BATCH)
            yield ready


class Command(BaseCommand):
    help = "Seed an empty database with N deterministic benchmark stories."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Continue a seed that was interrupted (each batch is committed whole).",
        )

    def handle(self, *args, articles, seed, resume, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        done = Article.objects.count()
        if done and not resume:
            raise CommandError("The database already has stories; seed an empty one, or --resume.")
        started = time.monotonic()
        rng = random.Random(f"{seed}-setup")
        if done:
            sections, authors = list(Section.objects.all()), list(Author.objects.order_by("pk"))
            tags = list(Tag.objects.order_by("pk"))
        else:
            sections = Section.objects.bulk_create(
                Section(name=name, slug=slugify(name), position=n)
                for n, name in enumerate(SECTIONS)
            )
            authors = self.authors(rng, 50 + articles // 2000)
            tags = Tag.objects.bulk_create(
                Tag(name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}", slug=f"topic-{n}")
                for n in range(200 + articles // 200)
            )
        rng = random.Random(f"{seed}-bodies")
        bodies = [self.body(rng) for _ in range(300)]
        setting = Setting(
            total=articles,
            section_ids=[section.pk for section in sections],
            author_ids=[author.pk for author in authors],
            author_names={author.pk: author.name for author in authors},
            tag_ids=[tag.pk for tag in tags],
            body_count=len(bodies),
        )
        if connection.vendor == "postgresql":
            loader = PostgresLoader(bodies, setting.author_names)
        else:
            loader = OrmLoader(bodies)
        loader.start()
        first = articles if done >= articles else done - done % BATCH
        for stories, prepared in prepared_batches(loader, seed, articles, first, setting):
            with transaction.atomic():
                loader.write(prepared)
            self.stdout.write(f"  {stories:>9,} stories, {time.monotonic() - started:.0f}s")
        loader.finish()
        with connection.cursor() as cursor:
            # Stories are written with their ids, which the id sequence has not handed out.
            for statement in connection.ops.sequence_reset_sql(no_style(), [Article]):
                cursor.execute(statement)
        self.stdout.write(f"  indexes, {time.monotonic() - started:.0f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        new_generation()
        self.stdout.write(f"Seeded {articles:,} stories in {time.monotonic() - started:.0f}s.")

    def authors(self, rng, count):
        return Author.objects.bulk_create(
            Author(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                slug=f"author-{n}",
                job_title=f"{rng.choice(WORDS).capitalize()} correspondent",
                bio=(bio := sentence(rng)),
                bio_html=render_markdown(bio),
            )
            for n in range(count)
        )

    def body(self, rng):
        markdown = body_markdown(rng)
        body_html = render_markdown(markdown)
        body_text = to_plain_text(body_html)
        return markdown, body_html, body_text, excerpt(body_text, 190)
