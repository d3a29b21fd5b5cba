"""The hostile corpus through live entries, as the updates fragment sends them: every payload
line in an entry's body and at the head of its headline, picture caption, alt text, credit and
correction note; the fragment carries no active content and shows each one-line field as text."""

import pytest
from django.utils.html import escape

from content.markup import clean_single_line, clean_text
from live import updates
from live.presentation import updates_path
from tests.factories import make_entry, make_live_story
from tests.security.hostile import (
    PARAGRAPH,
    PAYLOADS,
    _hero_image,
    chunks,
    fit,
    pack,
    page_violations,
    stored_html_violations,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# An entry's one-line fields and their lengths; with five lines a chunk, each line leads one.
ENTRY_LINE_FIELDS = [
    ("headline", 200),
    ("image_caption", 300),
    ("image_alt", 250),
    ("image_credit", 120),
    ("correction_note", 300),
]


@pytest.fixture
def coverage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    picture = _hero_image()
    story = make_live_story(headline="Hostile live")
    entries = []
    for chunk in chunks(PAYLOADS):
        fields = {
            name: pack(chunk, limit, start=start)
            for start, (name, limit) in enumerate(ENTRY_LINE_FIELDS)
        }
        entries.append(
            make_entry(article=story, body=PARAGRAPH.join(chunk), image=picture, **fields)
        )
    return story, entries


def test_every_line_is_carried_whole_in_a_body_and_leads_a_one_line_field(coverage):
    _, entries = coverage
    assert len(PAYLOADS) > 300
    missing = []
    for chunk, entry in zip(chunks(PAYLOADS), entries, strict=True):
        entry.refresh_from_db()
        for line in chunk:
            leads = any(
                getattr(entry, name).startswith(clean_single_line(fit(line, limit)))
                for name, limit in ENTRY_LINE_FIELDS
            )
            if not (leads and clean_text(line) in entry.body):
                missing.append(line)
    assert missing == []


def test_the_fragment_sends_no_active_content_and_shows_the_fields_as_text(
    coverage, client, monkeypatch
):
    monkeypatch.setattr(updates, "MOST", 10_000)
    story, entries = coverage
    problems = {
        f"body of entry {e.pk}": v for e in entries if (v := stored_html_violations(e.body_html))
    }
    for after in (0, entries[0].pk, entries[len(entries) // 2].pk):
        response = client.get(updates_path(story), {"after": after})
        assert response.status_code == 200
        html = response.content.decode()
        if found := page_violations(html):
            problems[f"fragment after {after}"] = found
    html = client.get(updates_path(story), {"after": 0}).content.decode()
    missing = []
    for entry in entries:
        entry.refresh_from_db()
        assert f'id="{entry.anchor}"' in html
        for name, _ in ENTRY_LINE_FIELDS:
            if escape(getattr(entry, name)) not in html:
                missing.append((entry.pk, name))
    assert problems == {}
    assert missing == []
