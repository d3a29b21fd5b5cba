"""The benchmark driver: seed if needed, measure every reader page, print a table, write JSON.

    python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench --articles 100000

The server is gunicorn with one sync worker pinned to CPU 0; wrk runs pinned to CPU 1. Each page
runs for --duration seconds at each connection count. Two servers run one after the other, from the
same code and database: one with the page cache off (every request renders) and one with it on
(the cached story page). The cached server keeps a page only --page-lifetime seconds (3 by
default), so each of its runs outlives several lifetimes: its hit ratio (responses with
X-Page-Cache: hit, counted by bench/hits.lua) shows whether hits continue after a page has had to
be stored again. Every figure is also given as a ratio to the two baselines measured in the
same run: a bare Django view (present only with NEWSROOM_BENCH=1) and a static file of the story
page's size served by whitenoise. Queries and SQL time are measured in-process with the page cache
off. Everything started here is stopped here.

``home`` is the home page as the fronts' data migration makes it (today's automatic home page);
``home_curated`` is the same address while the home front is the curated one of
bench/home_front.py, put in place for that page's runs only. ``--pages`` measures only the pages
named (with the baselines and the story page they are taken from), and skips the uploads.
"""

import argparse
import contextlib
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import uploads  # bench/uploads.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
STATIC_NAME = "bench/story-copy.html"
HITS_SCRIPT = ROOT / "bench" / "hits.lua"
LIST_PAGES = (
    "home",
    "home_curated",
    "section",
    "tag",
    "tag_deep",
    "tag_middling",
    "author",
    "search",
    "feed",
    "sitemap",
)
SQL_SAMPLES = 15


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(args, cache_dir, page_cache, page_lifetime=None):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        NEWSROOM_BENCH="1",
        NEWSROOM_CACHE_DIR=str(cache_dir),
        NEWSROOM_PAGE_CACHE="1" if page_cache else "0",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG="/dev/null",
    )
    if page_lifetime is not None:
        env["NEWSROOM_PAGE_CACHE_SECONDS"] = str(page_lifetime)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env, *command):
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pick_pages():
    """The address of each page, from the seeded data; pages this build lacks are left out."""
    from django.db.models import Count
    from django.urls import Resolver404, resolve
    from taggit.models import Tag

    from articles.models import Article
    from articles.pagination import make_cursor
    from authors.models import Author

    live = Article.objects.live().newest_first()
    with_bylines = live.filter(bylines__isnull=False)
    # The usual story: no curated teasers, so its strip is filled with related stories (4 queries).
    story = with_bylines.filter(teasers__isnull=True).first() or live.first()
    curated = with_bylines.filter(teasers__isnull=False).first() or story
    tag = Tag.objects.get(slug="topic-0")
    tagged = live.filter(tags=tag)
    deep = tagged[int(tagged.count() * 0.8)]
    # A tag of middling size: a few in a thousand stories, more than a page's worth.
    sizes = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).filter(n__gt=40)
    middling = sizes.order_by("n", "slug")[sizes.count() // 2] if sizes.exists() else tag
    pages = {
        "bare": "/bench/bare/",
        "story": story.get_absolute_url(),
        "story_curated": curated.get_absolute_url(),
        "home": "/",
        "home_curated": "/",
        "section": story.section.get_absolute_url(),
        "tag": f"/tags/{tag.slug}/",
        "tag_deep": f"/tags/{tag.slug}/?before={make_cursor(deep)}",
        "tag_middling": f"/tags/{middling.slug}/",
        "author": Author.objects.order_by("slug").first().get_absolute_url(),
    }
    candidates = {
        "search": ["/search/?q=harbour+strike"],
        "feed": ["/feeds/", "/feeds/latest/", "/feeds/rss/", "/feeds/atom/", "/feed/"],
        "sitemap": ["/sitemap.xml"],
    }
    for name, paths in candidates.items():
        for path in paths:
            try:
                resolve(path.split("?")[0])
            except Resolver404:
                continue
            pages[name] = path
            break
    return pages


# The baselines and what they are taken from: measured whatever --pages says.
BASELINES = ("bare", "story", "static", "story_cached")


def page_state(name):
    """What a page needs the database to hold while it is measured (the curated home front)."""
    if name != "home_curated":
        return contextlib.nullcontext()
    from taggit.models import Tag

    from articles.models import Section
    from bench.home_front import curated_home

    sections = list(Section.objects.order_by("position", "name")[:4])
    return curated_home(sections=sections, tag=Tag.objects.get(slug="topic-1"))


class SQLTimer:
    """Counts queries and their wall time with a precise clock (the debug log rounds to 1 ms)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def timed_get(client, path):
    from django.db import connection

    timer = SQLTimer()
    with connection.execute_wrapper(timer):
        response = client.get(path)
    return response, timer


def database_work(client, path):
    """Work the database does for one page, independent of how busy the machine is: buffers
    touched on PostgreSQL (EXPLAIN ANALYZE BUFFERS of each query), virtual-machine steps on SQLite."""
    from django.db import connection

    if connection.vendor == "sqlite":
        steps = [0]

        def count():
            steps[0] += 100
            return 0

        connection.ensure_connection()
        connection.connection.set_progress_handler(count, 100)
        try:
            client.get(path)
        finally:
            connection.connection.set_progress_handler(None, 100)
        return {"unit": "sqlite vm steps", "amount": steps[0]}
    queries = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(path)
    blocks = 0
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]["Plan"]
            blocks += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return {"unit": "postgresql buffers", "amount": blocks}


def measure_page(client, path):
    client.get(path)
    samples, totals = [], []
    for _ in range(SQL_SAMPLES):
        started = time.perf_counter()
        response, timer = timed_get(client, path)
        totals.append((time.perf_counter() - started) * 1000)
        samples.append(timer.seconds * 1000)
    return {
        "path": path,
        "status": response.status_code,
        "queries": timer.count,
        "sql_ms": round(statistics.median(samples), 3),
        "db_work": database_work(client, path),
        # The whole request in-process (Django's test client, no HTTP): CPU cost per page.
        "in_process_ms": round(statistics.median(totals), 3),
        "html_bytes": len(response.content),
        "gzip_bytes": len(gzip.compress(response.content, 6)),
    }


def measure_in_process(pages):
    """Queries, SQL time and bytes of each page, rendered with the page cache off."""
    from django.conf import settings
    from django.test import Client

    settings.NEWSROOM_PAGE_CACHE = False
    client = Client()
    figures = {}
    for name, path in pages.items():
        with page_state(name):
            figures[name] = measure_page(client, path)
    settings.NEWSROOM_PAGE_CACHE = True
    client.get(pages["story"])
    response, timer = timed_get(client, pages["story"])
    started = time.perf_counter()
    for _ in range(SQL_SAMPLES):
        client.get(pages["story"])
    figures["story_cached"] = {
        **figures["story"],
        "in_process_ms": round((time.perf_counter() - started) * 1000 / SQL_SAMPLES, 3),
        "queries": timer.count,
        "sql_ms": round(timer.seconds * 1000, 3),
        "cache_hit": response.headers.get("X-Page-Cache") == "hit",
    }
    return figures


@contextlib.contextmanager
def gunicorn(env, port):
    command = ["taskset", "-c", "0", str(GUNICORN), "-c", "gunicorn.conf.py"]
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss_mib(master):
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return round(max(sizes), 1) if sizes else None


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, connections, duration, count_hits=False):
    script = ["--script", str(HITS_SCRIPT)] if count_hits else []
    out = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency",
         "--timeout", "5s", *script, url],
        capture_output=True, text=True, check=True, timeout=duration + 30,
    ).stdout  # fmt: skip
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    hits = {}
    if count_hits:
        counted, answered = map(int, re.search(r"page cache hits: (\d+) of (\d+)", out).groups())
        hits = {"hits": counted, "hit_ratio": round(counted / answered, 4) if answered else 0.0}
    return {
        **hits,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": round(to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)), 3),
        "p99_ms": round(to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)), 3),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load(port, pages, connection_counts, duration, count_hits=False):
    results = {}
    for name, path in pages.items():
        url = f"http://127.0.0.1:{port}{path}"
        with page_state(name):
            urllib.request.urlopen(url, timeout=5).read()  # warm: the cached page is stored here
            results[name] = {f"c{c}": wrk(url, c, duration, count_hits) for c in connection_counts}
    return results


def ratios(report, connection_counts):
    for page in report["pages"].values():
        for c in connection_counts:
            run = page.get("load", {}).get(f"c{c}")
            if not run:
                continue
            for base in ("bare", "static"):
                base_run = report["pages"][base]["load"][f"c{c}"]
                run[f"vs_{base}"] = round(run["rps"] / base_run["rps"], 3)


def targets(report):
    pages = report["pages"]
    story, cached = pages["story"], pages["story_cached"]
    c1 = "c1"
    lists = [pages[name] for name in LIST_PAGES if name in pages]
    curated_home = {}
    if "home_curated" in pages:
        home = pages["home_curated"]
        curated_home = {
            "curated home uncached >= 10% of bare view rps (c1)": home["load"][c1]["vs_bare"]
            >= 0.10,
            "curated home <= 4 queries uncached": home["queries"] <= 4,
        }
    return {
        **curated_home,
        "uncached story >= 15% of bare view rps (c1)": story["load"][c1]["vs_bare"] >= 0.15,
        "cached story >= 90% of static file rps (c1)": cached["load"][c1]["vs_static"] >= 0.9,
        "story <= 4 queries uncached": story["queries"] <= 4,
        "list pages <= 6 queries": all(page["queries"] <= 6 for page in lists),
        "cache hit = 0 queries": cached["queries"] == 0 and cached.get("cache_hit", False),
        "cached story hit ratio >= 99% over several page lifetimes": all(
            run["hit_ratio"] >= 0.99 for run in cached["load"].values()
        ),
        "uncached story p99 < 10 ms (c1)": story["load"][c1]["p99_ms"] < 10,
        "worker memory < 100 MiB": max(report["worker_rss_mib"].values()) < 100,
    }


def print_table(report, connection_counts):
    head = f"{'page':<13}{'q':>3}{'sql ms':>8}{'cpu ms':>8}{'bytes':>8}{'gzip':>7}"
    for c in connection_counts:
        head += f"  {'rps c' + str(c):>9}{'p50':>7}{'p99':>7}{'/bare':>6}{'/stat':>6}"
    print(head)
    for name, page in report["pages"].items():
        cpu = page.get("in_process_ms")
        line = f"{name:<13}{page['queries']:>3}{page['sql_ms']:>8.2f}"
        line += f"{cpu:>8.2f}" if cpu is not None else f"{'-':>8}"
        line += f"{page['html_bytes']:>8}{page['gzip_bytes']:>7}"
        for c in connection_counts:
            run = page["load"][f"c{c}"]
            line += (
                f"  {run['rps']:>9.0f}{run['p50_ms']:>7.2f}{run['p99_ms']:>7.2f}"
                f"{run['vs_bare']:>6.2f}{run['vs_static']:>6.2f}"
            )
        print(line)
    ratios_seen = {
        c: run["hit_ratio"] for c, run in report["pages"]["story_cached"]["load"].items()
    }
    print(
        f"cached story hit ratio over {report['duration_s']} s "
        f"(page lifetime {report['page_lifetime_s']} s): {ratios_seen}"
    )
    print(f"worker RSS after the runs (MiB): {report['worker_rss_mib']}")
    for target, met in report["targets"].items():
        print(f"{'met ' if met else 'MISS'}  {target}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--articles", type=int, help="seed this many stories if the database is empty"
    )
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--page-lifetime",
        type=int,
        default=3,
        help="NEWSROOM_PAGE_CACHE_SECONDS of the cached server; each run must outlive it",
    )
    parser.add_argument("--connections", default="1,8")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--pages",
        default="",
        help="only these pages (comma-separated), with the baselines; no uploads",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("taskset"):
        sys.exit("The benchmark needs wrk and taskset (apt-get install wrk util-linux).")
    connection_counts = [int(c) for c in args.connections.split(",")]
    if not 1 <= args.page_lifetime < args.duration:
        sys.exit("--page-lifetime must be at least 1 and shorter than --duration.")
    cache_dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-cache-"))
    try:
        env = server_env(args, cache_dir, page_cache=False)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        setup_django(env)
        from articles.models import Article

        if not Article.objects.exists():
            if not args.articles:
                sys.exit("The database is empty: pass --articles N to seed it.")
            manage(env, "seed_bench", "--articles", str(args.articles))
        stories = Article.objects.count()
        from bench.home_front import restore_migrated_home

        # As the migration makes it, whatever an interrupted run left.
        restore_migrated_home()
        pages = pick_pages()
        if args.pages:
            wanted = {*args.pages.split(","), *BASELINES}
            pages = {name: path for name, path in pages.items() if name in wanted}
        figures = measure_in_process(pages)
        upload_figures = {} if args.pages else uploads.measure_uploads()

        from django.conf import settings

        static_file = Path(settings.STATIC_ROOT) / STATIC_NAME
        static_file.parent.mkdir(parents=True, exist_ok=True)
        from django.test import Client

        static_file.write_bytes(Client().get(pages["story"]).content)
        figures["static"] = {
            "path": f"{settings.STATIC_URL}{STATIC_NAME}",
            "status": 200,
            "queries": 0,
            "sql_ms": 0.0,
            "in_process_ms": None,
            "html_bytes": static_file.stat().st_size,
            "gzip_bytes": len(gzip.compress(static_file.read_bytes(), 6)),
        }
        if not figures["static"]["path"].startswith("/"):
            figures["static"]["path"] = "/" + figures["static"]["path"]

        uncached = {name: figures[name]["path"] for name in pages}
        uncached["static"] = figures["static"]["path"]
        rss = {}
        port = free_port()
        with gunicorn(server_env(args, cache_dir, page_cache=False), port) as server:
            loads = load(port, uncached, connection_counts, args.duration)
            rss["page cache off"] = worker_rss_mib(server)
        port = free_port()
        cached = {
            "bare": "/bench/bare/",
            "static": uncached["static"],
            "story_cached": pages["story"],
        }
        cached_env = server_env(args, cache_dir, page_cache=True, page_lifetime=args.page_lifetime)
        with gunicorn(cached_env, port) as server:
            # Every page of this run under the hit-counting script, so its overhead is shared.
            cached_loads = load(port, cached, connection_counts, args.duration, count_hits=True)
            rss["page cache on"] = worker_rss_mib(server)
        # The cached story is compared with the baselines of its own server run.
        for name in ("bare", "static"):
            cached_loads[f"{name}_cached_run"] = cached_loads.pop(name)
        report = {
            "label": args.label,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "stories": stories,
            "duration_s": args.duration,
            "page_lifetime_s": args.page_lifetime,
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average_at_end": os.getloadavg(),
            },
            "pages": {},
            "uploads": upload_figures,
            "worker_rss_mib": rss,
            "requests_per_server": {
                "page cache off": sum(
                    r["requests"] for page in loads.values() for r in page.values()
                ),
                "page cache on": sum(
                    r["requests"] for page in cached_loads.values() for r in page.values()
                ),
            },
        }
        for name, page in figures.items():
            report["pages"][name] = {**page, "load": loads.get(name) or cached_loads.get(name, {})}
        for c in connection_counts:
            key = f"c{c}"
            for name in ("bare", "static"):
                base = cached_loads[f"{name}_cached_run"][key]["rps"]
                run = report["pages"]["story_cached"]["load"][key]
                run[f"vs_{name}"] = round(run["rps"] / base, 3)
        saved = report["pages"].pop("story_cached")
        ratios(report, connection_counts)
        report["pages"]["story_cached"] = saved
        report["baselines_in_cached_run"] = {
            name: cached_loads[f"{name}_cached_run"] for name in ("bare", "static")
        }
        report["targets"] = targets(report)
        print_table(report, connection_counts)
        if upload_figures:
            uploads.print_uploads(upload_figures)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        name = args.label or f"{report['database']}-{stories}"
        (out / f"{name}.json").write_text(json.dumps(report, indent=2))
        print(f"wrote {out / (name + '.json')}")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
