"""The demo's live story, for ``manage.py load_demo`` (registered with ``articles.demo_steps``):
a storm reaching the coast, covered minute by minute by two reporters, with a pinned entry,
several key events and one entry scheduled for later today. Times are offsets from the moment
the demo is loaded.

The story and its entries are made on the first run only, through the live services; after that
they are the desk's, and a second run leaves them alone.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from articles.management import demo_content as demo
from articles.models import Article, Byline, Section
from articles.services import publish_article
from authors.models import Author

from . import services
from .models import Entry

SLUG = "storm-ardra-west-coast-live"
REPORTERS = ("jonah-abernethy", "maren-okafor")


@dataclass(frozen=True)
class EntryData:
    minutes_ago: int
    by: str  # the author's slug
    body: str
    headline: str = ""
    key_event: bool = False
    pinned: bool = False


JONAH, MAREN = REPORTERS
ENTRIES = [
    EntryData(
        175,
        JONAH,
        "Good morning. The weather service has raised its warning for the west coast to red, "
        "the highest level, from 10:00 today. We will follow Storm Ardra here as it arrives.",
        headline="Red warning for the west coast",
        key_event=True,
    ),
    EntryData(
        168,
        JONAH,
        "The warning covers the coast from Carrow to the Outer Islands and some twenty "
        "kilometres inland. Gusts of 130 km/h are expected on exposed headlands.",
    ),
    EntryData(
        160,
        MAREN,
        "I am at the harbour in Port Halvard. The fishing fleet came in overnight; the harbour "
        "master says every berth is taken and boats are tied two deep along the east quay.",
    ),
    EntryData(
        151,
        JONAH,
        "Schools in the three coastal districts will stay closed today, the education "
        "authority says. Parents are asked to keep children indoors until the warning ends.",
        headline="Coastal schools closed",
        key_event=True,
    ),
    EntryData(
        144,
        MAREN,
        "The ferry company has cancelled every crossing to the Outer Islands until tomorrow "
        "morning. Islanders stranded on the mainland are being offered rooms in Carrow.",
    ),
    EntryData(
        137,
        JONAH,
        "What makes Ardra unusual, a forecaster told us, is its speed: it deepened by 30 "
        "hectopascals in a day, which meteorologists call a *weather bomb*.",
    ),
    EntryData(
        129,
        MAREN,
        "The rail operator is running a reduced timetable on the coast line, with trains "
        "limited to 60 km/h. Expect the last services to leave around noon.",
    ),
    EntryData(
        121,
        JONAH,
        "Advice from the emergency services, in short:\n\n"
        "- stay away from sea fronts and cliff paths;\n"
        "- do not drive unless you must;\n"
        "- charge phones and keep a torch to hand;\n"
        "- call the emergency number only if life is at risk.",
        headline="What to do during the storm",
        pinned=True,
    ),
    EntryData(
        113,
        MAREN,
        "The first heavy squall has just crossed the harbour. Spray is coming over the outer "
        "wall and the coastguard has closed the promenade.",
    ),
    EntryData(
        106,
        JONAH,
        "The weather station on the headland north of Carrow recorded a gust of 118 km/h a few "
        "minutes ago, the strongest so far.",
    ),
    EntryData(
        98,
        MAREN,
        "Power is out in parts of Port Halvard, including the streets around the market. The "
        "grid company says about 4,000 homes are affected.",
        headline="First power cuts",
        key_event=True,
    ),
    EntryData(
        91,
        JONAH,
        "The coast road between Carrow and Saltmere is closed after a tree came down across both "
        "lanes. Nobody was hurt, police say.",
    ),
    EntryData(
        84,
        MAREN,
        "The lifeboat station has launched to a yacht dragging its anchor in the bay. The two "
        "people aboard have been taken off safely and the yacht left to the storm.",
    ),
    EntryData(
        77,
        JONAH,
        "Some numbers for scale: the sea is running at 9 metres beyond the harbour mouth, the "
        "buoy offshore reports, about three times an ordinary winter swell.",
    ),
    EntryData(
        70,
        MAREN,
        "The grid company now counts 21,000 homes without power along the coast. Crews are "
        "waiting for the wind to drop before they climb.",
        headline="21,000 homes without power",
        key_event=True,
    ),
    EntryData(
        63,
        JONAH,
        "A reader in Saltmere writes that the river behind her house has risen a metre in two "
        "hours. The flood service has issued warnings for the lower Saltmere valley.",
    ),
    EntryData(
        56,
        MAREN,
        "The harbour master tells me the east quay is holding. \u201cWe had worse in the winter "
        "of the big tide,\u201d he says, \u201cbut not by much.\u201d",
    ),
    EntryData(
        49,
        JONAH,
        "The flood service has raised its warning for the lower Saltmere valley to severe. "
        "About 300 households are being asked to leave; the sports hall is open as a shelter.",
        headline="Saltmere homes evacuated",
        key_event=True,
    ),
    EntryData(
        42,
        MAREN,
        "The regional hospital says it is running normally on its own generators and has "
        "treated a handful of people for minor injuries from falling debris.",
    ),
    EntryData(
        35,
        JONAH,
        "The centre of the storm is now just off the Outer Islands, the weather service says, "
        "and should cross the coast north of Carrow within the hour.",
    ),
    EntryData(
        28,
        MAREN,
        "The wind here has swung round to the north-west, which the fishermen on the quay say "
        "is the sign the worst is passing.",
    ),
    EntryData(
        21,
        JONAH,
        "Storm Ardra made landfall north of Carrow at 12:40, the weather service confirms, with "
        "a gust of 131 km/h recorded at the headland station.",
        headline="Ardra makes landfall",
        key_event=True,
    ),
    EntryData(
        14,
        MAREN,
        "Trains on the coast line have stopped for the afternoon; the operator will inspect the "
        "track before running again tomorrow.",
    ),
    EntryData(
        7,
        JONAH,
        "The weather service expects the red warning to be lowered to amber by early evening, "
        "though gusts of 90 km/h remain possible until midnight.",
    ),
    EntryData(
        2,
        MAREN,
        "Crews are out on the coast road clearing fallen trees. The grid company says the first "
        "homes should have power back within the next few hours.",
    ),
]
# Posted ahead of time by the desk, for later today.
SCHEDULED = EntryData(
    -90,
    JONAH,
    "The weather service's evening update is due now: we will post what it says about "
    "tomorrow's clean-up and the amber warning here.",
    headline="Evening update from the weather service",
)

STORY = {
    "kicker": "Storm Ardra",
    "headline": "Storm Ardra reaches the west coast: live",
    "dek": "A red warning, closed schools and power cuts as the fastest-deepening storm in years "
    "comes ashore. Our reporters on the coast follow it as it happens.",
    "body": "Storm Ardra is crossing the west coast today, with a red warning in force from "
    "Carrow to the Outer Islands. Schools are closed, ferries cancelled and trains slowed.\n\n"
    "The latest from our reporters is below, newest first.",
    "hero_alt": "An abstract picture in storm grey and sea blue",
    "hero_caption": "The storm's path crosses the coast north of Carrow.",
    "hero_credit": demo.HERO_CREDIT,
}


def _later_today(now, wanted):
    """``wanted`` if it is still today (local time), else a minute before midnight."""
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    moment = min(now + wanted, midnight - timedelta(minutes=1))
    return moment if moment > now else now + (midnight - local) / 2


def load_live_story(*, now, stories):
    if Article.objects.filter(slug=SLUG).exists():
        return None
    authors = {author.slug: author for author in Author.objects.filter(slug__in=REPORTERS)}
    if len(authors) < len(REPORTERS):
        return None
    section = Section.objects.filter(slug="world").first()
    article = Article.objects.create(slug=SLUG, section=section, **STORY)
    for position, slug in enumerate(REPORTERS):
        Byline.objects.create(
            article=article, author=authors[slug], role=Byline.Role.REPORTER, position=position
        )
    picture = ContentFile(demo.draw_hero(SLUG, ("charcoal", "storm grey")), name=f"{SLUG}.jpg")
    article.hero_image.save(picture.name, picture, save=False)
    started = now - timedelta(hours=3)
    publish_article(article=article, at=started)
    article.coverage_started_at = started
    users = {author.slug: author.user for author in authors.values()}
    services.start_coverage(article=article, by=None)
    for data in [*ENTRIES, SCHEDULED]:
        if data.minutes_ago < 0:
            at = _later_today(now, timedelta(minutes=-data.minutes_ago))
        else:
            at = now - timedelta(minutes=data.minutes_ago)
        entry = Entry(
            article=article,
            author=authors[data.by],
            headline=data.headline,
            body=data.body,
            is_key_event=data.key_event,
            is_pinned=data.pinned,
            publish_at=at,
        )
        services.save_entry(entry=entry, by=users[data.by])
    scheduled = timezone.localtime(_later_today(now, timedelta(minutes=-SCHEDULED.minutes_ago)))
    return (
        f"Live coverage: “{article.headline}” with {len(ENTRIES) + 1} entries "
        f"(one scheduled for {scheduled:%H:%M})."
    )
