import pytest
from django.core.cache.backends.base import BaseCache
from django.test import Client


class ExplodingCache(BaseCache):
    """A cache that fails the test if anything touches it."""

    def __init__(self, location, params):
        super().__init__(params)

    def __getattribute__(self, name):
        if name in {"get", "set", "add", "delete", "get_many", "set_many", "incr", "has_key"}:
            raise AssertionError(f"the 500 page used the cache ({name})")
        return super().__getattribute__(name)


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "tests.test_error_pages.ExplodingCache"}}
    return Client(raise_request_exception=False)


def test_500_page_touches_neither_database_nor_cache(failing_site):
    # No ``db`` fixture: pytest-django makes any database access an error here.
    response = failing_site.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert '<html lang="en">' in html
    assert "A bug in a view" not in html


def test_404_page_is_in_the_site_style(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="masthead"' in html
    assert "/static/css/site.css" in html
