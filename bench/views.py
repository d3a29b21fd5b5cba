"""The benchmark's own pages: a baseline with no work of ours, and a request that outlasts a worker."""

import time

from django.http import HttpResponse
from django.views.decorators.cache import never_cache

MAX_SECONDS = 120


def bare(request):
    """The benchmark's baseline: Django's own cost for a request, with no work of ours."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def slow(request):
    """Only the fault scripts use it (NEWSROOM_BENCH_SLOW_URL=1)."""
    try:
        seconds = min(float(request.GET.get("seconds", "1")), MAX_SECONDS)
    except ValueError:
        return HttpResponse("seconds must be a number.\n", status=400, content_type="text/plain")
    time.sleep(max(seconds, 0))
    return HttpResponse(f"slept {seconds:g}s\n", content_type="text/plain")
