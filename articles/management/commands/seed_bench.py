"""Fill an empty database with a deterministic, newsroom-shaped archive for the benchmark.

The same ``--articles`` and ``--seed`` always give the same rows. Stories are spread back in time
from a fixed moment, with a few scheduled ahead; tags follow a Zipf law, so the popular ones grow
with the archive as they do on a real site (and a tag page is a real test of its index). Rows go in
with large bulk inserts; the database's statistics are refreshed at the end (ANALYZE).
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.markup import excerpt, render_markdown, to_plain_text
from articles.models import Article, Byline, Correction, RelatedTeaser, Section
from authors.models import Author
from newsroom.cache import new_generation

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
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def body_markdown(rng):
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(5)]
    paragraphs.insert(2, f"## {sentence(rng, 3, 6)[:-1]}")
    paragraphs.insert(
        4, f"> {sentence(rng)}\n>\n> <cite>{rng.choice(FIRST)} {rng.choice(LAST)}</cite>"
    )
    paragraphs[1] += f" [Read the report](https://example.org/{rng.randint(1, 999)})."
    return "\n\n".join(paragraphs)


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
        if connection.vendor == "postgresql":
            # Bulk loading: a crash mid-seed loses at most the last batch, which is fine here.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        # Each batch has its own random stream, so an interrupted seed resumes with the same rows.
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
        content_type = ContentType.objects.get_for_model(Article)
        first = articles if done >= articles else done - done % BATCH
        for start in range(first, articles, BATCH):
            rng = random.Random(f"{seed}-{start}")
            with transaction.atomic():
                rows = range(start, min(start + BATCH, articles))
                self.batch(rng, rows, articles, sections, authors, tags, bodies, content_type)
            self.stdout.write(f"  {rows.stop:>9,} stories, {time.monotonic() - started:.0f}s")
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
        return markdown, body_html, excerpt(to_plain_text(body_html), 190)

    def batch(self, rng, rows, total, sections, authors, tags, bodies, content_type):
        stories, bylines, tagged, teasers, corrections = [], [], [], [], []
        for n in rows:
            pk = n + 1
            count_from_top = total - n
            # Story 1 is the oldest; the newest is a few minutes before the anchor. A handful at
            # the top are scheduled ahead, as on any newsroom's Friday.
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
            body, body_html, body_excerpt = rng.choice(bodies)
            stories.append(
                Article(
                    pk=pk,
                    headline=headline,
                    slug=f"{slugify(headline)[:150]}-{pk}",
                    kicker=rng.choice(["", "", "", "Analysis", "Exclusive", "Live"]),
                    dek=sentence(rng),
                    body=body,
                    body_html=body_html,
                    body_excerpt=body_excerpt,
                    section=rng.choice(sections),
                    status=status,
                    publish_at=publish_at,
                    first_published_at=publish_at if status != Article.Status.DRAFT else None,
                    is_featured=pk % 500 == 0,
                )
            )
            for position, author in enumerate(rng.sample(authors, rng.choice([1, 1, 1, 2, 3]))):
                bylines.append(Byline(article_id=pk, author=author, position=position))
            # Log-uniform tag choice: the first tags are on a large share of all stories.
            picked = {int(len(tags) ** rng.random()) - 1 for _ in range(5)}
            tagged.extend(
                TaggedItem(content_type=content_type, object_id=pk, tag=tags[index])
                for index in picked
            )
            if pk % 5 == 0 and pk > 10:
                for position, target in enumerate(rng.sample(range(1, pk), 3)):
                    teasers.append(
                        RelatedTeaser(article_id=pk, target_id=target, position=position)
                    )
            if pk % 100 == 0:
                corrections.append(
                    Correction(
                        article_id=pk,
                        text=sentence(rng),
                        published_at=publish_at + timedelta(hours=2),
                    )
                )
        Article.objects.bulk_create(stories, batch_size=1000)
        for model, rows in (
            (Byline, bylines),
            (TaggedItem, tagged),
            (RelatedTeaser, teasers),
            (Correction, corrections),
        ):
            model.objects.bulk_create(rows, batch_size=2000)
