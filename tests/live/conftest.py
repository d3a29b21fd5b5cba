from types import SimpleNamespace

import pytest

from tests.factories import make_editor, make_entry, make_live_story, make_reporter, make_section


@pytest.fixture
def desk(db):
    """A live story carried by Rita, with one public entry of hers and one scheduled; Otto is a
    reporter not on its byline; Edna an editor."""
    from datetime import timedelta

    from django.utils import timezone

    rita = make_reporter(username="rita", first_name="Rita", last_name="Reporter")
    otto = make_reporter(username="otto", first_name="Otto", last_name="Other")
    edna = make_editor(username="edna", first_name="Edna", last_name="Editor")
    story = make_live_story(
        headline="Storm reaches the coast", section=make_section(), authors=[rita.author]
    )
    public = make_entry(article=story, body="The wind is rising.", by=rita, author=rita.author)
    scheduled = make_entry(
        article=story,
        body="The evening update is due.",
        by=rita,
        author=rita.author,
        publish_at=timezone.now() + timedelta(hours=2),
    )
    return SimpleNamespace(
        rita=rita, otto=otto, edna=edna, story=story, public=public, scheduled=scheduled
    )
