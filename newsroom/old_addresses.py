"""Addresses the site used to have under another system, answered with a 301.

The project knows no app: an app that remembers old addresses (an importer, say) registers a
resolver from its ``AppConfig.ready()`` with ``register_resolver``. A resolver takes the request
and gives the address to send the reader to, or None.

``OldAddressMiddleware`` asks the resolvers in two cases only, so an ordinary page pays nothing:

- a read (GET or HEAD) whose answer is a 404: the path may be one a reader's old link names;
- a read whose query string carries one of the names a resolver declared (``query_names``), such
  as a ``?p=123`` address of a post. These are asked before the page is made, because the path
  (often ``/``) is a page of this site, and before the page cache, which drops query parameters
  its view does not read.

It sits before the page cache: a redirect is never stored as a page, and a hit costs it nothing
but one look at the query string.
"""

from django.http import HttpResponsePermanentRedirect

READ_METHODS = ("GET", "HEAD")

_resolvers = []
_query_names = set()


def register_resolver(resolver, *, query_names=()):
    """``resolver(request)`` returns the address to answer with a 301, or None."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    _query_names.update(query_names)


def unregister_resolver(resolver, *, query_names=()):
    if resolver in _resolvers:
        _resolvers.remove(resolver)
    _query_names.difference_update(query_names)


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
        if (
            _query_names
            and request.META.get("QUERY_STRING")
            and _query_names.intersection(request.GET)
        ):
            target = resolve_old_address(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = resolve_old_address(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
