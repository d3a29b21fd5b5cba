"""The query string's one rule for every URL: no NUL characters, in names or values.

No page, API call or admin search has a use for one, and PostgreSQL refuses it in any text
parameter, so a NUL that reached a filter, a search or an autocomplete would be a 500. It is
refused here, before the page cache and the views, as a 400. What a value means (a slug, a page
number, a cursor) and how long it may be is for the view that reads it.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


class NulFreeQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            NUL in name or any(NUL in value for value in values)
            for name, values in request.GET.lists()
        ):
            raise BadRequest("The query string holds a NUL character.")
        return self.get_response(request)
