"""The registry of old-address resolvers and its middleware: asked on a 404, or for a query
parameter the page does not read itself; never otherwise."""

import pytest

from newsroom import old_addresses

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    calls = []

    def resolver(request):
        calls.append(request.get_full_path())
        return "/moved/" if request.GET.get("old") == "1" or request.path == "/gone/" else None

    old_addresses.register_resolver(resolver, query_names=("old", "p"))
    yield calls
    old_addresses.unregister_resolver(resolver)


def test_a_404_asks_the_resolvers(client, asked):
    response = client.get("/gone/")
    assert response.status_code == 301
    assert response["Location"] == "/moved/"
    assert client.get("/never/").status_code == 404
    assert asked == ["/gone/", "/never/"]


def test_a_foreign_query_parameter_is_asked_before_the_page(client, asked):
    response = client.get("/?old=1")
    assert response.status_code == 301
    assert client.get("/?old=2").status_code == 200
    assert asked == ["/?old=1", "/?old=2"]


def test_an_ordinary_page_asks_nothing(client, asked):
    assert client.get("/").status_code == 200
    assert client.get("/?utm_source=x").status_code == 200
    assert asked == []


def test_a_parameter_the_page_reads_is_its_own(client, asked):
    # The sitemaps read ?p= (their page number).
    from tests.factories import make_section

    make_section()
    response = client.get("/sitemap-sections.xml?p=1")
    assert response.status_code == 200, response.status_code
    assert asked == []


def test_writes_are_never_redirected(client, asked):
    assert client.post("/gone/").status_code in (403, 404, 405)
    assert asked == []
