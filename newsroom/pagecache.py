"""The full-page cache for anonymous readers, and the content generation that keeps it exact.

Every cached page is stored under the current *content generation*: a random token kept in the
shared cache (a file cache shared by the workers of one machine, or Redis shared by every instance).
Any committed change to published content replaces the token, so every worker and every instance
stops finding the old pages at once; nothing has to be purged key by key.

A page can also change with no write at all, when a scheduled moment passes (a story's publish_at or
unpublish_at, a teaser's window, a correction's publication time). The generation therefore carries
the time of the next such event; no page outlives it, and the first request after it starts a new
generation.

The project knows no app: each app registers its public models (``register_public_model``) and
its providers of scheduled moments (``register_schedule``) from its ``AppConfig.ready()``.

The middleware sits before sessions and authentication, so a hit reads two cache entries and
touches neither the database nor a template. Each process also keeps the pages and fragments it
read last (``recent``): their keys name the generation, so the token, read from the shared cache on
every request, is all that decides whether one is still current.
"""

import contextlib
import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import http_date

from .reversing import reverse

logger = logging.getLogger(__name__)

STATE_KEY = "content-generation"
READ_METHODS = ("GET", "HEAD")
# Response headers that make a page personal; such a page is never stored.
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}


@dataclass(frozen=True)
class Generation:
    token: str
    # Epoch seconds of the next scheduled change to what readers see, or None if nothing is scheduled.
    next_event: float | None

    def expired(self, now):
        return self.next_event is not None and self.next_event <= now

    def lifetime(self, now, ceiling):
        """Seconds a page made now may be kept: at most ``ceiling``, never past the next event."""
        if self.next_event is None:
            return ceiling
        return max(0, min(ceiling, int(self.next_event - now)))


# What public pages are made of, as the apps declare it from AppConfig.ready(): the models whose
# committed save or delete starts a new generation, and the providers of the moments at which a
# page changes with no write (each takes the present moment, returns datetimes or None).
_public_models = {}
_schedules = []
SIGNALS = (post_save, post_delete, m2m_changed)


def register_public_model(model):
    """A committed save, delete or many-to-many change of ``model`` starts a new generation.

    QuerySet.update() and bulk_create() send no signals: code that uses them on a public model
    calls ``content_changed()`` itself.
    """
    label = model._meta.label
    _public_models[label] = model
    for signal in SIGNALS:
        signal.connect(content_changed, sender=model, dispatch_uid=f"pagecache-{label}")


def unregister_public_model(model):
    label = model._meta.label
    for signal in SIGNALS:
        signal.disconnect(sender=model, dispatch_uid=f"pagecache-{label}")
    _public_models.pop(label, None)


def public_models():
    return tuple(_public_models.values())


def register_schedule(provider):
    """``provider(at)`` gives the future moments at which a public page changes by itself."""
    if provider not in _schedules:
        _schedules.append(provider)


def unregister_schedule(provider):
    _schedules.remove(provider)


def next_scheduled_event(at):
    """The earliest future moment at which a public page would change without anyone saving."""
    moments = [moment for provider in _schedules for moment in provider(at) if moment is not None]
    return min(moments).timestamp() if moments else None


def new_generation():
    """Start a new generation: every page cached so far is no longer found."""
    generation = Generation(
        token=secrets.token_hex(8),
        next_event=next_scheduled_event(datetime.fromtimestamp(time.time(), tz=UTC)),
    )
    cache.set(STATE_KEY, generation, timeout=None)
    return generation


def current_generation():
    now = time.time()
    generation = cache.get(STATE_KEY)
    if generation is None or generation.expired(now):
        generation = new_generation()
    return generation


def content_changed(**kwargs):
    """Signal receiver: after the transaction commits, start a new generation."""
    if getattr(_batch, "depth", 0):
        _batch.changed = True
        return
    transaction.on_commit(new_generation, robust=True)


# A bulk job in one thread (an import) saves thousands of rows, each of which would start a
# generation of its own, with its queries for the next scheduled event and a write to the shared
# cache: ``one_generation`` makes them one, started when the job (or a part of it) ends.
_batch = threading.local()


@contextlib.contextmanager
def one_generation():
    """Within this block, committed changes start no generation each; if anything changed, one
    new generation starts when the block ends, even if it ends with an error. Pages keep what
    they showed until then: for bulk jobs, which end the block every so often."""
    _batch.depth = getattr(_batch, "depth", 0) + 1
    try:
        yield
    finally:
        _batch.depth -= 1
        if not _batch.depth and getattr(_batch, "changed", False):
            _batch.changed = False
            transaction.on_commit(new_generation, robust=True)


class Recent:
    """The entries of the shared cache this process read or wrote last, up to a count and a size.

    Only for keys that name the content generation, so an entry never changes while its
    generation lasts. Each entry keeps the deadline it has in the shared cache: past it the
    entry is gone here too, as it is there, and the next store under its key replaces it. It
    saves reading and unpickling a page from the file cache or Redis on every hit.
    """

    def __init__(self, max_entries=256, max_bytes=16 * 2**20):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries, self._bytes = OrderedDict(), 0
        self._lock = threading.Lock()

    def get(self, key, now):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, _, expires = entry
            if expires <= now:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key, value, *, expires, size=0):
        with self._lock:
            if key in self._entries:
                self._drop(key)
            if size > self.max_bytes:
                return
            self._entries[key] = (value, size, expires)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped, _) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def _drop(self, key):
        _, size, _ = self._entries.pop(key)
        self._bytes -= size


recent = Recent()


def generation_cached(name, compute):
    """``compute()``, kept until the content changes; for small lists shared by many pages."""
    generation = current_generation()
    key = f"fragment:{generation.token}:{name}"
    now = time.time()
    value = recent.get(key, now)
    if value is None:
        # Stored with its deadline, so that a process reading it keeps it no longer than the
        # shared cache does.
        stored = cache.get(key)
        if stored is None or stored[0] <= now:
            lifetime = generation.lifetime(now, settings.NEWSROOM_PAGE_CACHE_SECONDS)
            stored = (now + lifetime, compute())
            cache.set(key, stored, timeout=lifetime)
        expires, value = stored
        recent.put(key, value, expires=expires)
    return value


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple
    content: bytes
    etag: str
    last_modified: float
    expires: float


def is_cacheable_request(request):
    return (
        settings.NEWSROOM_PAGE_CACHE
        and request.method in READ_METHODS
        # A session means a signed-in or otherwise remembered visitor: their page is their own.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        # The health check probes the database and the cache itself; it must not fail, or be
        # answered, by the page cache's own use of them.
        and request.path != reverse("healthz")
    )


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The key does not name an encoding: a compressed body would be replayed to every client.
    if response.has_header("Content-Encoding"):
        return False
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & PRIVATE_DIRECTIVES:
        return False
    # A page that varies on the cookie (a session or CSRF token was used) is someone's own page.
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= {"accept-encoding"}


def reads_query(*names):
    """Declare the query parameters a reader view reads: they alone name its page in the cache.

    The page cache gives the view only these (any others are dropped before it runs), so the
    page made for ``?page=2&utm_source=x`` is exactly the page for ``?page=2``, and made-up
    parameters cannot fill the cache with copies of one page. A view that declares nothing is
    not cached when the address has a query string: it might read anything. The declaration
    also marks a reader view, which answers only GET, HEAD and OPTIONS (``newsroom.methods``).
    """

    def declare(view):
        view.page_cache_query = frozenset(names)
        return view

    return declare


def declared_query(request):
    """The query parameters the view at this address declared, or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_query", None)


def keep_declared_query(request, names):
    """Leave the request only the declared parameters; return them in a canonical order."""
    kept = QueryDict(mutable=True)
    for name in sorted(names.intersection(request.GET)):
        kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    return query


def page_key(request, generation, query):
    # HEAD and GET share an entry: the key names the page, not the method. The host is not part
    # of it: a page's absolute addresses come from NEWSROOM_SITE_URL, never from the Host header,
    # so every allowed host (and any port on it) would get the same bytes.
    address = f"{request.scheme}:{request.path}?{query}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page:{generation.token}:{digest}"


def add_freshness(response, generation, now):
    """Cache-Control a browser and a CDN can honour, never reaching past the next event."""
    patch_cache_control(
        response,
        public=True,
        max_age=generation.lifetime(now, settings.NEWSROOM_HTTP_MAX_AGE),
        s_maxage=generation.lifetime(now, settings.NEWSROOM_HTTP_S_MAXAGE),
    )


def fits(content):
    """A page over NEWSROOM_PAGE_CACHE_MAX_BYTES is served as made, never stored: neither the
    shared cache nor this process holds it, so a backend's own item limit is never reached."""
    if len(content) <= settings.NEWSROOM_PAGE_CACHE_MAX_BYTES:
        return True
    logger.warning(
        "Page of %d bytes not cached: over NEWSROOM_PAGE_CACHE_MAX_BYTES (%d).",
        len(content),
        settings.NEWSROOM_PAGE_CACHE_MAX_BYTES,
    )
    return False


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        # Refuses a host that is not allowed, as rendering the page would.
        request.get_host()
        query = ""
        if request.META.get("QUERY_STRING"):
            names = declared_query(request)
            if names is None:
                return self.get_response(request)
            query = keep_declared_query(request, names)
        now = time.time()
        generation = current_generation()
        key = page_key(request, generation, query)
        page = recent.get(key, now)
        if page is None:
            page = cache.get(key)
            if page is not None:
                recent.put(key, page, expires=page.expires, size=len(page.content))
        if page is not None and page.expires > now:
            return self.replay(request, page, generation, now)
        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(response):
            return self.store(request, response, key, generation, now)
        return response

    def store(self, request, response, key, generation, now):
        lifetime = generation.lifetime(now, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        etag = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
        add_freshness(response, generation, now)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(now)
        if lifetime >= 1 and fits(response.content):
            page = CachedPage(
                status=response.status_code,
                headers=tuple(response.items()),
                content=response.content,
                etag=etag,
                last_modified=now,
                expires=now + lifetime,
            )
            cache.set(key, page, timeout=lifetime)
            recent.put(key, page, expires=page.expires, size=len(page.content))
        return get_conditional_response(
            request, etag=etag, last_modified=int(now), response=response
        )

    def replay(self, request, page, generation, now):
        content = b"" if request.method == "HEAD" else page.content
        response = HttpResponse(content, status=page.status)
        for name, value in page.headers:
            response[name] = value
        # The stored Cache-Control counted from the time of storing; recount from now.
        del response["Cache-Control"]
        add_freshness(response, generation, now)
        response = get_conditional_response(
            request, etag=page.etag, last_modified=int(page.last_modified), response=response
        )
        # After the conditional answer, so that a 304 from the cache says so too.
        response["X-Page-Cache"] = "hit"
        return response
