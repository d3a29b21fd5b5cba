"""Reader views answer GET and HEAD, and OPTIONS with the methods they allow; anything else is a 405.

A reader view is one that declares what it reads (``newsroom.pagecache.reads_query``): the pages,
feeds, sitemaps and the read-only API. The admin, the login and the health check keep their own
rules. Listed before the CSRF middleware, so a POST to a reader page is told the method is wrong,
not that its token is missing.
"""

from django.http import HttpResponse, HttpResponseNotAllowed

READER_METHODS = ("GET", "HEAD", "OPTIONS")


def is_reader_view(view):
    return getattr(view, "page_cache_query", None) is not None


class ReaderMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_reader_view(view_func) or request.method in ("GET", "HEAD"):
            return None
        if request.method == "OPTIONS":
            response = HttpResponse(headers={"Allow": ", ".join(READER_METHODS)})
            response["Content-Length"] = "0"
            return response
        return HttpResponseNotAllowed(READER_METHODS)
