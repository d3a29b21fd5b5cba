"""Liveness and readiness for load balancers and the fault scripts: database and cache, nothing else."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database did not answer.", exc_info=True)
        return False


def _cache_ok():
    # A fresh key each time: with django-redis ignoring connection errors, a dead Redis shows up
    # as a value that does not come back, not as an exception.
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        ok = cache.get(key) == "ok"
        cache.delete(key)
        return ok
    except Exception:  # noqa: BLE001 - any cache backend failure means "cache down"
        logger.warning("Health check: the cache did not answer.", exc_info=True)
        return False


@never_cache
def healthz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    failed = [name for name, ok in checks.items() if not ok]
    body = {"status": "ok" if not failed else "unavailable", "failed": failed}
    body.update({name: "ok" if ok else "failed" for name, ok in checks.items()})
    return JsonResponse(body, status=503 if failed else 200)
