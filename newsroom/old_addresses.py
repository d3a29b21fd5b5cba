"""Addresses the site used to have under another system, answered with a 301.

The project knows no app: an app that remembers old addresses (an importer, say) registers a
resolver from its ``AppConfig.ready()`` with ``register_resolver``. A resolver takes the request
and gives the address to send the reader to, or None.

``OldAddressMiddleware`` asks the resolvers in two cases only, so an ordinary page pays nothing:

- a read (GET or HEAD) whose answer is a 404: the path may be one a reader's old link names;
- a read whose query string carries one of the names a resolver declared (``query_names``), such
  as a ``?p=123`` address of a post, where the page at that path does not read that parameter
  itself (``reads_query``: a sitemap's ``?p=2`` is its own). These are asked before the page is
  made, because the path (often ``/``) is a page of this site, and before the page cache, which
  drops query parameters its view does not read.

It sits before the page cache: a redirect is never stored as a page, and a hit costs it nothing
but one look at the query string.
"""

from django.http import HttpResponsePermanentRedirect

from .pagecache import declared_query

READ_METHODS = ("GET", "HEAD")

# Each resolver with the query parameter names it declared, in the order of registration.
_resolvers = {}
_query_names = frozenset()


def register_resolver(resolver, *, query_names=()):
    """``resolver(request)`` returns the address to answer with a 301, or None."""
    global _query_names
    _resolvers[resolver] = frozenset(query_names)
    _query_names = frozenset().union(*_resolvers.values())


def unregister_resolver(resolver):
    global _query_names
    _resolvers.pop(resolver, None)
    _query_names = frozenset().union(*_resolvers.values())


def resolve_old_address(request):
    for resolver in _resolvers:
        target = resolver(request)
        if target:
            return target
    return None


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_METHODS or not _resolvers:
            return self.get_response(request)
        if self.foreign_query(request):
            target = resolve_old_address(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = resolve_old_address(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response

    @staticmethod
    def foreign_query(request):
        """Whether the query names an old address: a registered name the page does not read."""
        if not _query_names or not request.META.get("QUERY_STRING"):
            return False
        names = _query_names.intersection(request.GET)
        if not names:
            return False
        return bool(names - (declared_query(request) or frozenset()))
