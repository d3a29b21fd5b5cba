"""Live coverage's benchmark: a live story of 10,000 entries, its page and its updates fragment,
and a crowd of readers' open pages polling the fragment while reporters post.

    python bench/live.py --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench

1. Seeds (once) a live story with ``--entries`` entries, bulk-created, each entry's HTML rendered
   through the one Markdown pipeline once per distinct text.
2. In-process, page cache off: queries, SQL ms, DB work, CPU ms and bytes of the story's page and
   of three fragments: nothing new (what nearly every poll asks), ten new, and from the start (the
   most one fragment carries). And a fragment hit with the page cache on: 0 queries.
3. wrk (pinned to CPU 1) against gunicorn (one sync worker pinned to CPU 0) at 1 and 8
   connections, page cache off, then on (the hits).
4. Polling: ``--readers`` simulated readers (asyncio, in this process, pinned to CPU 1), each
   asking every ``--every`` seconds for the entries after the newest it knows, as the page's
   script does (with the ETag it last got, so an unchanged fragment is a 304), for
   ``--seconds``; meanwhile two reporters post an entry every ``--post-every`` seconds through
   the live services. It reports requests/s, p50/p99, the hit ratio (X-Page-Cache: hit, 304s
   included), 200s, 304s, errors, and the server's CPU (its processes' user+system time over the
   run's wall time).

Results go to bench/results/<label>.json; the figures are in bench/RESULTS.md, "Live coverage".
"""

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import run  # bench/run.py, beside this script: its server, wrk and in-process measures

SLUG = "bench-live-coverage"
# The same story at ten entries, for the in-process figures: a fragment costs the same at both.
SMALL_SLUG = "bench-live-small"
NEWEST = re.compile(rb'data-newest="(\d+)"')
TEXTS = [
    "The coastguard says **three** lifeboats are out past the harbour wall.",
    "Power is back on the east side of town; the west waits on a substation.",
    "A reader sends this from the promenade:\n\n> Waves over the railings since noon.",
    "Trains: the coastal line is shut between the two stations until further notice.",
    "The council's emergency line is 0800 000 000; shelters are open at both schools.",
    "Wind speeds at the point peaked at 140 km/h at 14:20, the met office says.",
    "Ferries: all crossings today are cancelled; tomorrow's are under review.",
    "The mayor: *“Stay indoors, stay off the sea front.”*",
]


def seed_live_story(entries, slug=SLUG):
    """The benchmark's live story with at least ``entries`` entries, over the past week."""
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article
    from content.markup import render_markdown, to_plain_text
    from live.models import Entry
    from live.services import refresh_entry_times
    from newsroom.pagecache import content_changed
    from tests.factories import make_author, make_live_story

    now = timezone.now()
    start = now - timedelta(days=7)
    story = Article.objects.filter(slug=slug).first()
    if story is None:
        reporters = [
            make_author(name=f"Bench Live Reporter {n}", slug=f"{slug}-reporter-{n}")
            for n in range(2)
        ]
        story = make_live_story(
            headline="Storm on the coast: live",
            slug=slug,
            authors=reporters,
            publish_at=start - timedelta(hours=1),
            coverage_started_at=start,
        )
    have = story.entries.count()
    if have < entries:
        reporters = [byline.author for byline in story.bylines.select_related("author")]
        rendered = [(text, render_markdown(text)) for text in TEXTS]
        step = (now - timedelta(minutes=1) - start) / entries
        rows = []
        for n in range(have, entries):
            body, html = rendered[n % len(rendered)]
            rows.append(
                Entry(
                    article=story,
                    author=reporters[n % len(reporters)],
                    headline=f"Update {n}" if n % 10 == 0 else "",
                    body=body,
                    body_html=html,
                    body_text=to_plain_text(html),
                    is_key_event=n % 100 == 0,
                    publish_at=start + step * n,
                )
            )
        # bulk_create sends no signal: the story's entry times and the generation by hand.
        Entry.objects.bulk_create(rows, batch_size=2000)
        refresh_entry_times(story)
        content_changed()
        if connection.vendor == "postgresql":
            # As autovacuum would soon after such a load: the planner's figures for the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE live_entry")
    return story


def fragment_paths(story, suffix=""):
    from live.presentation import updates_path

    stream = list(story.entries.order_by("-publish_at", "-id").values_list("pk", flat=True)[:11])
    base = updates_path(story)
    paths = {"fragment_none": f"{base}?after={stream[0]}", "fragment_start": f"{base}?after=0"}
    if len(stream) > 10:
        paths["fragment_10"] = f"{base}?after={stream[10]}"
    return {f"{name}{suffix}": path for name, path in paths.items()}


def measure_in_process(pages, small):
    from django.conf import settings
    from django.test import Client

    settings.NEWSROOM_PAGE_CACHE = False
    client = Client()
    figures = {name: run.measure_page(client, path) for name, path in {**pages, **small}.items()}
    settings.NEWSROOM_PAGE_CACHE = True
    client.get(pages["fragment_none"])
    response, timer = run.timed_get(client, pages["fragment_none"])
    figures["fragment_hit"] = {
        "queries": timer.count,
        "cache_hit": response.headers.get("X-Page-Cache") == "hit",
    }
    return figures


# The polling crowd.


async def get(port, path, etag):
    """One request on its own connection, as gunicorn's sync worker closes each one."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        if etag:
            lines.append(f"If-None-Match: {etag}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


async def simulated_reader(port, base, after, every, stop_at, tally, rng):
    etag, path = None, None
    await asyncio.sleep(rng.uniform(0, every))
    while True:
        started = time.monotonic()
        path_now = f"{base}?after={after}"
        if path_now != path:
            path, etag = path_now, None
        try:
            status, headers, body = await asyncio.wait_for(get(port, path, etag), timeout=10)
        except (OSError, TimeoutError, ValueError, IndexError):
            tally["errors"] += 1
        else:
            tally["latencies"].append((time.monotonic() - started) * 1000)
            tally[status] = tally.get(status, 0) + 1
            tally["hits"] += headers.get("x-page-cache") == "hit"
            if status == 200:
                etag = headers.get("etag")
                newest = NEWEST.search(body)
                if newest and newest.group(1).decode() != after:
                    after = newest.group(1).decode()
            elif status != 304:
                tally["errors"] += 1
        # The next ask, unless the run is over by then.
        wake = started + every
        if wake >= stop_at:
            break
        await asyncio.sleep(max(0.0, wake - time.monotonic()))


async def crowd(port, base, after, *, readers, every, seconds):
    tally = {"latencies": [], "hits": 0, "errors": 0}
    rng = random.Random(15)
    stop_at = time.monotonic() + seconds
    await asyncio.gather(
        *(simulated_reader(port, base, after, every, stop_at, tally, rng) for _ in range(readers))
    )
    return tally


def desk(story, every, stop, posted):
    """Two reporters, one entry every ``every`` seconds between them, through the services."""
    from django.db import connection

    from live.models import Entry
    from live.services import save_entry

    reporters = [byline.author for byline in story.bylines.select_related("author")]
    n = 0
    while not stop.wait(every):
        entry = Entry(
            article=story,
            author=reporters[n % len(reporters)],
            body=f"Posted during the polling run, number {n}.",
        )
        save_entry(entry=entry, by=None)
        posted.append(entry.pk)
        n += 1
    connection.close()


def server_cpu_seconds(master):
    """User and system time of gunicorn's master and workers so far, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [str(master.pid)]
    pids += Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def polling_load(args, cache_dir, story, post_every):
    from live.presentation import updates_path

    base = updates_path(story)
    newest = str(story.entries.order_by("-publish_at", "-id").values_list("pk", flat=True)[0])
    port = run.free_port()
    env = run.server_env(args, cache_dir, page_cache=True)
    with run.gunicorn(env, port) as server:
        urllib_warm(port, f"{base}?after={newest}")
        os.sched_setaffinity(0, {1})
        stop, posted = threading.Event(), []
        reporters = threading.Thread(target=desk, args=(story, post_every, stop, posted))
        load_before = os.getloadavg()
        cpu_before, wall_before = server_cpu_seconds(server), time.monotonic()
        reporters.start()
        try:
            tally = asyncio.run(
                crowd(
                    port, base, newest, readers=args.readers, every=args.every, seconds=args.seconds
                )
            )
        finally:
            stop.set()
            reporters.join()
        wall = time.monotonic() - wall_before
        cpu = server_cpu_seconds(server) - cpu_before
        os.sched_setaffinity(0, set(range(os.cpu_count())))
    latencies = sorted(tally["latencies"])
    answered = len(latencies)
    return {
        "readers": args.readers,
        "every_s": args.every,
        "post_every_s": post_every,
        "seconds": round(wall, 1),
        "entries_posted": len(posted),
        "requests": answered + tally["errors"],
        "rps": round(answered / wall, 1),
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(latencies[int(0.99 * (answered - 1))], 2) if latencies else None,
        "ok_200": tally.get(200, 0),
        "not_modified_304": tally.get(304, 0),
        "hits": tally["hits"],
        "hit_ratio": round(tally["hits"] / answered, 4) if answered else 0.0,
        "errors": tally["errors"],
        "server_cpu_s": round(cpu, 2),
        "server_cpu_share": round(cpu / wall, 3),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }


def urllib_warm(port, path):
    import urllib.request

    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page")
    parser.add_argument("--connections", default="1,8")
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--post-every",
        default="5,30",
        help="seconds between two posts: one polling run for each (a busy desk, a steady one)",
    )
    parser.add_argument("--polling-only", action="store_true", help="skip the page figures")
    parser.add_argument("--label", default="")
    parser.add_argument("--out", default=str(run.ROOT / "bench" / "results"))
    args = parser.parse_args()
    if not shutil.which("wrk") or not shutil.which("taskset"):
        sys.exit("The benchmark needs wrk and taskset (apt-get install wrk util-linux).")
    connection_counts = [int(c) for c in args.connections.split(",")]
    cache_dir = Path(tempfile.mkdtemp(prefix="newsroom-live-bench-cache-"))
    try:
        env = run.server_env(args, cache_dir, page_cache=False)
        if args.database_url.startswith("postgres"):
            name = args.database_url.rsplit("/", 1)[1]
            made = subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
                capture_output=True,
                text=True,
            )
            if made.returncode and "already exists" not in made.stderr:
                sys.exit(made.stderr.strip())
        run.manage(env, "migrate", "--noinput", "-v0")
        run.manage(env, "collectstatic", "--noinput", "-v0")
        run.setup_django(env)
        story = seed_live_story(args.entries)
        pages = {"live_page": story.get_absolute_url(), **fragment_paths(story)}
        small = seed_live_story(10, slug=SMALL_SLUG)
        small_pages = {"live_page_10e": small.get_absolute_url(), **fragment_paths(small, "_10e")}
        figures = {} if args.polling_only else measure_in_process(pages, small_pages)
        loads = {}
        for page_cache in () if args.polling_only else (False, True):
            port = run.free_port()
            with run.gunicorn(run.server_env(args, cache_dir, page_cache=page_cache), port):
                for name, path in pages.items():
                    url = f"http://127.0.0.1:{port}{path}"
                    urllib_warm(port, path)
                    loads[f"{name}{'_cached' if page_cache else ''}"] = {
                        f"c{c}": run.wrk(url, c, args.duration, count_hits=page_cache)
                        for c in connection_counts
                    }
        polling = [
            polling_load(args, cache_dir, story, float(every))
            for every in args.post_every.split(",")
        ]
        from django.conf import settings

        report = {
            "label": args.label,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "entries": story.entries.count(),
            "machine": {"cpus": os.cpu_count(), "load_average_at_end": os.getloadavg()},
            "pages": figures,
            "load": loads,
            "polling": polling,
        }
        print_report(report)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{args.label or 'live-' + report['database']}.json"
        path.write_text(json.dumps(report, indent=2))
        print(f"wrote {path}")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def print_report(report):
    print(f"{report['database']}, live story of {report['entries']} entries")
    print(f"{'page':<16}{'q':>3}{'sql ms':>8}{'cpu ms':>8}{'work':>7}{'bytes':>8}{'gzip':>7}")
    for name, page in report["pages"].items():
        if "path" not in page:
            print(f"{name:<16}{page['queries']:>3}  (hit: {page['cache_hit']})")
            continue
        print(
            f"{name:<16}{page['queries']:>3}{page['sql_ms']:>8.2f}{page['in_process_ms']:>8.2f}"
            f"{page['db_work']['amount']:>7}{page['html_bytes']:>8}{page['gzip_bytes']:>7}"
        )
    for name, runs in report["load"].items():
        cells = "  ".join(
            f"{c}: {r['rps']:.0f} req/s p50 {r['p50_ms']:.2f} p99 {r['p99_ms']:.2f} err {r['errors']}"
            + (f" hits {r['hit_ratio']:.4f}" if "hit_ratio" in r else "")
            for c, r in runs.items()
        )
        print(f"{name:<22}{cells}")
    for run_figures in report["polling"]:
        print("polling:", json.dumps(run_figures))


if __name__ == "__main__":
    main()
