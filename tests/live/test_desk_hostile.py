"""The hostile corpus (tests/data/xss-payloads.txt) posted through the live desk, as a reporter
types it: each entry's body, headline, picture alt text, caption and credit. On the desk, its
older pages, each edit form and each history, nothing is active: the body is sanitised and the
one-line fields are shown as text."""

import pytest
from django.urls import reverse

from live.models import Entry
from tests.factories import make_image
from tests.live.desk_client import desk_url, edit_url, history_url
from tests.security.hostile import (
    PARAGRAPH,
    PAYLOADS,
    chunks,
    fetch_all,
    pack,
    shown_as_text,
    stored_html_violations,
)

pytestmark = pytest.mark.django_db


def test_the_corpus_posted_from_the_desk_is_shown_inert(client, desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(desk.rita)
    posted = []
    for number, chunk in enumerate(chunks(PAYLOADS)):
        fields = {
            "body": PARAGRAPH.join(chunk),
            "headline": pack(chunk, 200),
            "image_alt": pack(chunk, 250, start=1),
            "image_caption": pack(chunk, 300, start=2),
            "image_credit": pack(chunk, 120, start=3),
            "author": desk.rita.author.pk,
            "image": make_image(name=f"corpus-{number}.png"),
        }
        response = client.post(desk_url(desk.story), fields)
        assert response.status_code == 302, response.content.decode()[:2000]
        posted.append(fields)
    entries = list(Entry.objects.filter(article=desk.story).exclude(image="").order_by("pk"))
    assert len(entries) == len(posted) == len(chunks(PAYLOADS))
    for entry in entries:
        assert stored_html_violations(entry.body_html) == [], entry.pk

    pages = [desk_url(desk.story)]
    while True:
        html = client.get(pages[-1]).content.decode()
        older = [line for line in html.split('"') if line.startswith("?before=")]
        if not older:
            break
        pages.append(desk_url(desk.story) + older[0])
    assert len(pages) >= 2
    pages += [edit_url(entry) for entry in entries[::7]]
    pages += [history_url(entry) for entry in entries[::7]]
    assert fetch_all(client, pages, admin=True) == {}

    shown = "".join(client.get(page).content.decode() for page in pages[:3])
    missing = []
    for entry in entries:
        for name in ("headline", "image_caption", "image_credit"):
            value = getattr(entry, name)
            if value and shown_as_text(value) not in shown:
                missing.append((entry.pk, name))
    assert missing == []
    assert reverse("admin:live_entry_changelist") in shown
