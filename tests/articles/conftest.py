from types import SimpleNamespace

import pytest

from tests.articles.admin.admin_world import build_admin_world
from tests.factories import make_editor, make_reporter, make_section


@pytest.fixture
def newsroom(db):
    """Two reporters, an editor and a section: the cast of the workflow tests."""
    return SimpleNamespace(
        reporter=make_reporter(username="rita", first_name="Rita", last_name="Reporter"),
        other_reporter=make_reporter(username="otto", first_name="Otto", last_name="Other"),
        editor=make_editor(username="edna", first_name="Edna", last_name="Editor"),
        second_editor=make_editor(username="eric", first_name="Eric", last_name="Second"),
        section=make_section(name="World"),
    )


@pytest.fixture
def admin_world(newsroom):
    """The cast plus an object for every argument an admin URL takes (see admin_world.py)."""
    return build_admin_world(newsroom)


@pytest.fixture(params=["fast", "plain"])
def story_path(request, settings):
    """Each story-page test on both paths of articles/story_page.py: the prepared queries and the
    plain querysets they are built from (NEWSROOM_STORY_FAST_PATH)."""
    settings.NEWSROOM_STORY_FAST_PATH = request.param == "fast"
    return request.param
