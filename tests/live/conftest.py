from types import SimpleNamespace

import pytest

from tests.factories import make_editor, make_reporter, make_section
from tests.live.desk_client import live_story_of


@pytest.fixture
def desk(db):
    """A live story carried by Rita, with one public entry of hers and one scheduled; Otto is a
    reporter not on its byline; Edna an editor."""
    rita = make_reporter(username="rita", first_name="Rita", last_name="Reporter")
    otto = make_reporter(username="otto", first_name="Otto", last_name="Other")
    edna = make_editor(username="edna", first_name="Edna", last_name="Editor")
    story, public, scheduled = live_story_of(
        rita, headline="Storm reaches the coast", section=make_section()
    )
    return SimpleNamespace(
        rita=rita, otto=otto, edna=edna, story=story, public=public, scheduled=scheduled
    )
