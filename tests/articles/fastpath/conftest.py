import pytest


@pytest.fixture(autouse=True)
def _fast_path(settings):
    """These tests are about the fast path itself, whatever the environment chose."""
    settings.NEWSROOM_STORY_FAST_PATH = True
