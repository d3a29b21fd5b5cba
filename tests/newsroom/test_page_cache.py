import secrets
import socket
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from articles.services import publish_article
from newsroom.pagecache import STATE_KEY
from tests.cache_checks import hit
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_section,
    make_teaser,
    make_user,
)

HOME = "/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, so that on_commit hooks fire."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def test_second_anonymous_get_is_served_from_cache_with_no_queries(
    client, db, django_assert_num_queries
):
    article = make_article(headline="Harbour reopens", tags=["Ports"], authors=[make_author()])
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200 and not hit(first)
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert hit(second)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["X-Frame-Options"] == "DENY"


def test_head_is_answered_from_the_get_entry_without_a_body(client, db, django_assert_num_queries):
    make_article(headline="Harbour reopens")
    full = client.get(HOME)
    with django_assert_num_queries(0):
        head = client.head(HOME)
    assert hit(head)
    assert head.content == b""
    assert int(head["Content-Length"]) == len(full.content)


def cached_files(settings):
    return sum(1 for _ in Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache"))


def test_made_up_query_parameters_all_hit_the_one_entry(client, db, settings):
    make_article()
    assert not hit(client.get(HOME))
    stored = cached_files(settings)
    for _ in range(300):
        assert hit(client.get(f"{HOME}?q{secrets.token_hex(6)}={secrets.token_hex(4)}"))
    assert cached_files(settings) == stored


def test_a_tracking_parameter_hits_the_entry_and_never_reaches_the_page(client, db):
    section = make_section(name="World")
    for n in range(25):  # more than a page, so the page links to the next one
        make_article(headline=f"Story {n}", section=section)
    first = client.get(section.get_absolute_url() + "?utm_source=newsletter")
    assert not hit(first)
    assert b"utm_source" not in first.content and b"newsletter" not in first.content
    assert hit(client.get(section.get_absolute_url()))
    assert hit(client.get(section.get_absolute_url() + "?utm_source=x&fbclid=y"))


def test_parameters_a_page_reads_get_entries_of_their_own_in_any_order(client, db):
    for n in range(25):  # more than a page of results
        make_article(headline=f"Harbour strike, day {n}", body="The harbour strike goes on.")
    one = client.get("/search/?q=harbour")
    assert not hit(one) and b"Harbour strike" in one.content
    assert hit(client.get("/search/?utm_source=x&q=harbour"))
    other = client.get("/search/?q=nothing-like-it")
    assert not hit(other) and b"Harbour strike" not in other.content
    second = client.get("/search/?q=harbour&page=2")
    assert second.status_code == 200 and not hit(second)
    assert hit(client.get("/search/?page=2&q=harbour"))
    assert hit(client.get("/search/?page=2&utm_medium=y&q=harbour"))


def test_an_address_whose_view_declares_nothing_is_not_cached_with_a_query(client, db):
    # The admin's login page declares no parameters it reads; it is never stored anyway,
    # and with a query string the cache does not even look for it.
    from newsroom.pagecache import declared_query

    request = RequestFactory().get(reverse("admin:login") + "?next=/admin/")
    assert declared_query(request) is None
    assert declared_query(RequestFactory().get("/no/such/address/?x=1")) is None
    assert declared_query(RequestFactory().get(HOME + "?x=1")) == frozenset()


def test_every_allowed_host_and_port_shares_one_entry(client, db):
    make_article()
    assert not hit(client.get(HOME))
    assert hit(client.get(HOME, headers={"host": "127.0.0.1:9999"}))
    assert hit(client.get(HOME, headers={"host": "localhost:1234"}))
    assert client.get(HOME, headers={"host": "evil.example"}).status_code == 400


def test_matching_etag_gets_304(client, db):
    make_article()
    etag = client.get(HOME)["ETag"]
    response = client.get(HOME, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert hit(response)  # a 304 answered from the cache says so, as a 200 does
    assert client.get(HOME, headers={"if-none-match": '"other"'}).status_code == 200


def test_etag_from_the_first_render_also_gets_304(client, db):
    make_article()
    etag = client.get(HOME + "?a=1")["ETag"]
    cache.clear()  # the next request renders again, and still recognises the same bytes
    assert client.get(HOME + "?a=1", headers={"if-none-match": etag}).status_code == 304


def test_if_modified_since_gets_304(client, db):
    make_article()
    last_modified = client.get(HOME)["Last-Modified"]
    response = client.get(HOME, headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_cache_control_is_public_and_bounded_by_the_next_scheduled_event(client, db, settings):
    settings.NEWSROOM_HTTP_MAX_AGE = 300
    settings.NEWSROOM_HTTP_S_MAXAGE = 600
    make_article()
    assert client.get(HOME)["Cache-Control"] == "public, max-age=300, s-maxage=600"
    cache.clear()
    make_article(publish_at=timezone.now() + timedelta(seconds=90))
    directives = dict(
        part.strip().partition("=")[::2] for part in client.get(HOME)["Cache-Control"].split(",")
    )
    assert "public" in directives
    assert 85 <= int(directives["max-age"]) <= 90
    assert 85 <= int(directives["s-maxage"]) <= 90


# Every kind of change that readers can see, each applied as a committed transaction.
def edit_headline(article, **_):
    article.headline = "Harbour closes again"
    article.save()
    return "Harbour closes again"


def publish_a_new_story(article, **_):
    # Ready for the publish checklist: a section and a byline whose author has a bio.
    draft = make_article(
        headline="Breaking: dam bursts",
        status=Article.Status.DRAFT,
        section=article.section,
        authors=[make_author()],
    )
    publish_article(article=draft)
    return "Breaking: dam bursts"


def withdraw(article, **_):
    article.status = Article.Status.WITHDRAWN
    article.save()
    return None


def add_correction(article, **_):
    make_correction(article=article, text="An earlier version misnamed the harbour.")
    return "misnamed the harbour"


def add_teaser(article, other, **_):
    make_teaser(article=article, target=other, headline="Read also: the ferry strike")
    return "Read also: the ferry strike"


def rename_section(article, **_):
    article.section.name = "Coast and Sea"
    article.section.save()
    return "Coast and Sea"


def rename_author(article, **_):
    author = article.bylines.get().author
    author.name = "Ann Smythe-Jones"
    author.save()
    return "Ann Smythe-Jones"


def add_byline(article, **_):
    Byline.objects.create(article=article, author=make_author(name="Bo Second"), position=1)
    return "Bo Second"


def remove_byline(article, **_):
    article.bylines.get().delete()
    return None


def add_tag(article, **_):
    article.tags.add("Shipwrecks")
    return "Shipwrecks"


def remove_tag(article, **_):
    article.tags.remove("Ports")
    return None


def rename_tag(article, **_):
    tag = article.tags.get(name="Ports")
    tag.name = "Harbours and ports"
    tag.save()
    return "Harbours and ports"


CHANGES = [
    edit_headline,
    publish_a_new_story,
    withdraw,
    add_correction,
    add_teaser,
    rename_section,
    rename_author,
    add_byline,
    remove_byline,
    add_tag,
    remove_tag,
    rename_tag,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_every_kind_of_change_is_seen_at_once(client, db, committed, change):
    section = make_section(name="Coast")
    article = make_article(
        headline="Harbour reopens", section=section, tags=["Ports"], authors=[make_author()]
    )
    other = make_article(headline="Ferry strike")
    story = article.get_absolute_url()
    pages = [HOME, story, reverse("articles:section", args=[section.slug])]
    before = {url: client.get(url) for url in pages}
    assert all(hit(client.get(url)) for url in pages)

    expected = committed(lambda: change(article=article, other=other))

    after = {url: client.get(url) for url in pages}
    assert not any(hit(response) for response in after.values())
    assert any(after[url].content != before[url].content for url in pages)
    if change is withdraw:
        assert after[story].status_code == 404
    else:
        assert expected is None or any(expected.encode() in after[url].content for url in pages)


def test_deleting_a_story_is_seen_at_once(client, db, committed):
    article = make_article(headline="Harbour reopens")
    assert b"Harbour reopens" in client.get(HOME).content
    committed(article.delete)
    assert b"Harbour reopens" not in client.get(HOME).content


def test_scheduled_story_appears_on_time_without_any_write(client, db):
    make_article(headline="Old news")
    publish_at = timezone.now() + timedelta(minutes=10)
    make_article(headline="Embargoed budget", publish_at=publish_at)
    assert b"Embargoed budget" not in client.get(HOME).content
    with time_machine.travel(publish_at - timedelta(seconds=2), tick=False):
        assert hit(client.get(HOME))
    with time_machine.travel(publish_at, tick=False):
        response = client.get(HOME)
    assert not hit(response)
    assert b"Embargoed budget" in response.content


def test_expiring_story_disappears_on_time(client, db):
    unpublish_at = timezone.now() + timedelta(minutes=5)
    article = make_article(headline="Flash sale", unpublish_at=unpublish_at)
    assert client.get(article.get_absolute_url()).status_code == 200
    with time_machine.travel(unpublish_at + timedelta(seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert b"Flash sale" not in client.get(HOME).content


def test_teaser_window_bounds_the_story_page(client, db):
    article = make_article(headline="Harbour reopens")
    target = make_article(headline="Ferry strike")
    starts_at = timezone.now() + timedelta(minutes=3)
    make_teaser(article=article, target=target, headline="Strike news", starts_at=starts_at)
    assert b"Strike news" not in client.get(article.get_absolute_url()).content
    with time_machine.travel(starts_at + timedelta(seconds=1), tick=False):
        assert b"Strike news" in client.get(article.get_absolute_url()).content
    ends_at = starts_at + timedelta(minutes=3)
    with time_machine.travel(ends_at - timedelta(seconds=1), tick=False):
        client.get(article.get_absolute_url())
    article.teasers.update(ends_at=ends_at)  # no signal: the window still bounds the page
    cache.clear()
    with time_machine.travel(ends_at - timedelta(seconds=1), tick=False):
        assert b"Strike news" in client.get(article.get_absolute_url()).content
    with time_machine.travel(ends_at, tick=False):
        assert b"Strike news" not in client.get(article.get_absolute_url()).content


def test_correction_written_ahead_appears_on_time(client, db):
    article = make_article(headline="Harbour reopens")
    published_at = timezone.now() + timedelta(minutes=2)
    make_correction(article=article, text="The harbour is in Leith.", published_at=published_at)
    assert b"in Leith" not in client.get(article.get_absolute_url()).content
    with time_machine.travel(published_at, tick=False):
        assert b"in Leith" in client.get(article.get_absolute_url()).content


def test_page_is_not_kept_past_the_server_lifetime(client, db, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    make_article()
    client.get(HOME)
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        assert not hit(client.get(HOME))


def test_staff_pages_are_never_cached(client, db, django_assert_num_queries):
    make_article(headline="Harbour reopens")
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    first = client.get(HOME)
    second = client.get(HOME)
    assert not hit(first) and not hit(second)
    assert "public" not in second.get("Cache-Control", "")
    client.logout()
    client.cookies.clear()
    client.get(HOME)
    assert hit(client.get(HOME))


def test_staff_preview_is_private_and_not_stored(client, db):
    draft = make_article(headline="Secret draft", status=Article.Status.DRAFT)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "private" in preview["Cache-Control"] and "no-store" in preview["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_any_session_cookie_bypasses_the_cache(client, db, settings):
    make_article()
    client.get(HOME)
    assert hit(client.get(HOME))
    client.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    assert not hit(client.get(HOME))


def test_responses_with_a_csrf_form_or_a_cookie_are_not_stored(client, db):
    login = reverse("admin:login")
    first = client.get(login)
    assert first.status_code == 200 and "Cookie" in first["Vary"]
    client.cookies.clear()
    assert not hit(client.get(login))


def test_compressed_responses_are_not_stored(client, db, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]
    make_article(body="A long body. " * 200)
    client.get(HOME, headers={"accept-encoding": "gzip"})
    plain = client.get(HOME)
    assert not hit(plain)
    assert "Content-Encoding" not in plain


def test_not_found_pages_are_not_stored(client, db):
    assert client.get("/tags/nothing-here/").status_code == 404
    assert not hit(client.get("/tags/nothing-here/"))


def test_generation_is_shared_by_workers_through_the_cache_folder(client, db, committed, settings):
    other_worker = FileBasedCache(settings.CACHES["default"]["LOCATION"], {})
    article = make_article()
    client.get(HOME)
    before = other_worker.get(STATE_KEY)
    committed(lambda: edit_headline(article))
    after = other_worker.get(STATE_KEY)
    assert before is not None and after is not None
    assert after.token != before.token


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_redis_outage_is_a_miss_not_an_error(client, db, settings, committed):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    article = make_article(headline="Harbour reopens", section=make_section(name="Coast"))
    for _ in range(2):
        response = client.get(HOME)
        assert response.status_code == 200 and not hit(response)
        assert b"Harbour reopens" in response.content and b"Coast" in response.content
    committed(lambda: edit_headline(article))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_page_over_the_size_limit_is_served_but_never_stored(client, db, settings, caplog):
    # The WordPress Liveblog's entries cache fell over past memcached's 1 MiB item limit; here a
    # page over NEWSROOM_PAGE_CACHE_MAX_BYTES is sent as made and kept by neither cache.
    from newsroom import pagecache

    article = make_article(body="Harbour news. " * 400)
    size = len(client.get(article.get_absolute_url()).content)
    assert hit(client.get(article.get_absolute_url()))
    settings.NEWSROOM_PAGE_CACHE_MAX_BYTES = size - 1
    bigger = make_article(body="Harbour news. " * 400)
    stored = cached_files(settings)
    first = client.get(bigger.get_absolute_url())
    assert first.status_code == 200 and first["ETag"]
    assert "not cached" in caplog.text
    second = client.get(bigger.get_absolute_url())
    assert not hit(second) and second.content == first.content
    assert (
        client.get(bigger.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    assert cached_files(settings) == stored
    assert not any(
        isinstance(value, pagecache.CachedPage) and value.content == first.content
        for value, _, _ in pagecache.recent._entries.values()
    )
    settings.NEWSROOM_PAGE_CACHE_MAX_BYTES = len(first.content)
    client.get(bigger.get_absolute_url())
    assert hit(client.get(bigger.get_absolute_url()))


def test_the_default_size_limit_is_memcacheds_item_size():
    from django.conf import settings

    assert settings.NEWSROOM_PAGE_CACHE_MAX_BYTES == 2**20


def test_recent_entries_are_bounded_by_count_and_size_oldest_read_dropped_first():
    from newsroom.pagecache import Recent

    recent, now, later = Recent(max_entries=3, max_bytes=100), 0, 60
    for key in "abc":
        recent.put(key, key.upper(), expires=later, size=10)
    assert recent.get("a", now) == "A"  # now the most recently read
    recent.put("d", "D", expires=later, size=10)
    assert [recent.get(k, now) for k in "abcd"] == ["A", None, "C", "D"]
    recent.put("big", "B", expires=later, size=85)  # over the size bound with the others
    assert recent.get("big", now) == "B"
    assert recent.get("a", now) is None and recent.get("c", now) is None
    recent.put("huge", "H", expires=later, size=101)  # larger than the whole bound: never kept
    assert recent.get("huge", now) is None and recent.get("big", now) == "B"


def test_recent_entry_ends_at_its_deadline_and_a_new_store_replaces_it():
    from newsroom.pagecache import Recent

    recent = Recent(max_entries=3, max_bytes=100)
    recent.put("page", "old", expires=60, size=40)
    assert recent.get("page", 59) == "old"
    assert recent.get("page", 60) is None
    recent.put("page", "old", expires=60, size=40)
    recent.put("page", "new", expires=120, size=40)
    assert recent.get("page", 61) == "new"
    recent.put("other", "O", expires=120, size=60)  # the replaced entry's size was given back
    assert recent.get("page", 61) == "new" and recent.get("other", 61) == "O"


def test_pages_keep_being_served_from_the_cache_lifetime_after_lifetime(client, db, settings):
    """A long-lived worker keeps hitting after a page's lifetime has passed: the process's own
    copy ends with the page, and the fresh copy stored next replaces it."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    article = make_article(headline="Harbour reopens", section=make_section(name="Coast"))
    start = timezone.now()
    for lifetime in range(4):
        with time_machine.travel(start + timedelta(seconds=61 * lifetime), tick=False):
            for path in (HOME, article.get_absolute_url()):
                assert not hit(client.get(path)), f"lifetime {lifetime}: stored again"
                assert all(hit(client.get(path)) for _ in range(3)), f"lifetime {lifetime}"


def test_a_fragment_is_not_kept_past_the_lifetime(client, db, settings):
    from newsroom.pagecache import generation_cached

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    make_article()
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert generation_cached("count", compute) == 1
        assert generation_cached("count", compute) == 1
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert generation_cached("count", compute) == 2
        assert generation_cached("count", compute) == 2
