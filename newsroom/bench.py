"""A view only the fault scripts use (NEWSROOM_BENCH_SLOW_URL=1): a request that outlasts a worker."""

import time

from django.http import HttpResponse
from django.views.decorators.cache import never_cache

MAX_SECONDS = 120


@never_cache
def slow(request):
    try:
        seconds = min(float(request.GET.get("seconds", "1")), MAX_SECONDS)
    except ValueError:
        return HttpResponse("seconds must be a number.\n", status=400, content_type="text/plain")
    time.sleep(max(seconds, 0))
    return HttpResponse(f"slept {seconds:g}s\n", content_type="text/plain")
