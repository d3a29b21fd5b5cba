# Gunicorn configuration. Every value can be overridden by an environment variable so that the
# Dockerfile, a process manager or the benchmark can tune it without editing this file.
import gc
import multiprocessing
import os

os.environ.setdefault("DJANGO_ENV", "production")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
wsgi_app = "newsroom.wsgi:application"


def warm_up():
    """Import and build, in the master, what every worker would otherwise build on its first
    requests: the URLconf's index and the compiled reader templates."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (builds the index)
    environment = engines["jinja2"].env
    for name in environment.list_templates():
        environment.get_template(name)


def pre_fork(server, worker):
    # The app is loaded (preload_app), so what exists now lives as long as the workers. Frozen,
    # it is left out of the garbage collector's full passes, which then scan only what requests
    # leave behind: on the story page they took about 60 ms each, and set its slowest requests,
    # and take under 10 ms frozen. The pages also stay shared between the workers, where the
    # collector's writes would copy them.
    warm_up()
    gc.freeze()
