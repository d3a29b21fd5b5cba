"""The hostile corpus as a live story's entries: five lines to an entry, whole in its body and
spread over its headline, picture caption, credit, alt text and correction note."""

from live.models import ENTRY_MAX_LENGTH
from tests.factories import make_author, make_entry, make_live_story
from tests.security.hostile import PARAGRAPH, PAYLOADS, _hero_image, chunks, fit, spread

ENTRY_LINE_FIELDS = [
    ("headline", 200),
    ("image_caption", 300),
    ("image_credit", 120),
    ("image_alt", 250),
    ("correction_note", 300),
]


def build_hostile_live_story(payloads=PAYLOADS):
    picture = _hero_image()
    story = make_live_story(headline="Hostile live coverage", slug="hostile-live")
    author = make_author(name=fit(payloads[0], 120), slug="hostile-live-author")
    entries = []
    for number, chunk in enumerate(chunks(payloads)):
        entries.append(
            make_entry(
                article=story,
                body=fit(PARAGRAPH.join(chunk), ENTRY_MAX_LENGTH),
                author=author,
                image=picture,
                is_key_event=number % 3 == 0,
                is_pinned=number == 0,
                **spread(chunk, ENTRY_LINE_FIELDS),
            )
        )
    return story, entries
