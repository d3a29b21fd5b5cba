"""The server-error handler: a database outage is a 503 ("try again"), anything else a 500.

Django calls ``handler500`` from inside the ``except`` block that caught the error, so the
exception is still in ``sys.exc_info()``. Neither page touches the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# OperationalError covers "connection refused" and "server closed the connection"; InterfaceError
# a connection that died under a running request.
DATABASE_DOWN = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
