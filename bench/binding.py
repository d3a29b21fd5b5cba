"""How the story page's queries reach PostgreSQL, compared in-process (bench/RESULTS.md).

    .venv/bin/python bench/binding.py --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench

Variants: ``ours`` (as shipped: the fast path's own server-bound cursors, articles/fastpath/),
``django`` (Django's OPTIONS["server_side_binding"] with psycopg's prepare_threshold, for every
cursor), ``django-auto`` (the same without plan_cache_mode=force_generic_plan), ``client`` (the
fast path with NEWSROOM_PREPARED_STATEMENTS=0) and ``plain`` (NEWSROOM_STORY_FAST_PATH=0). Each
run is a fresh process on the same seeded database; the rounds interleave the variants in a
rotating order, so a busy machine weighs on all of them alike. Per page, a run gives the median
of --samples requests (Django's test client, page cache off) of the thread's CPU time and of the
time spent in the database's execute; the table gives the median of the runs and their range.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
VARIANTS = ("ours", "django", "django-auto", "client", "plain")
WARM_UP = 20
PREPARE_AFTER = 5


def environment(database_url, variant, cache_dir):
    switches = ("NEWSROOM_PREPARED_STATEMENTS", "NEWSROOM_STORY_FAST_PATH")
    env = {name: value for name, value in os.environ.items() if name not in switches}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        NEWSROOM_BENCH="1",
        NEWSROOM_PAGE_CACHE="0",
        NEWSROOM_CACHE_DIR=str(cache_dir),
    )
    if variant in ("django", "django-auto", "client"):
        env["NEWSROOM_PREPARED_STATEMENTS"] = "0"
    if variant == "plain":
        env["NEWSROOM_STORY_FAST_PATH"] = "0"
    return env


def measure(variant, story_samples, other_samples):
    """One run, in this process: the figures of each page."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    if variant in ("django", "django-auto"):
        # Before the first connection, which reads them.
        options.update(server_side_binding=True, prepare_threshold=PREPARE_AFTER)
    if variant == "django-auto":
        options["options"] = options["options"].replace(
            " -c plan_cache_mode=force_generic_plan", ""
        )
    from django.db import connection
    from django.test import Client
    from run import SQLTimer, pick_pages

    client = Client()
    figures = {}
    for name, path in pick_pages().items():
        for _ in range(WARM_UP):
            client.get(path)
        cpu, sql = [], []
        for _ in range(story_samples if name.startswith("story") else other_samples):
            timer = SQLTimer()
            started = time.thread_time()
            with connection.execute_wrapper(timer):
                client.get(path)
            cpu.append((time.thread_time() - started) * 1000)
            sql.append(timer.seconds * 1000)
        figures[name] = {
            "queries": timer.count,
            "cpu_ms": statistics.median(cpu),
            "sql_ms": statistics.median(sql),
        }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        figures["prepared_statements"] = cursor.fetchone()[0]
    return figures


def summary(runs):
    pages = [name for name, value in runs[0][1].items() if isinstance(value, dict)]
    variants = list(dict.fromkeys(variant for variant, _ in runs))
    lines = []
    for metric in ("cpu_ms", "sql_ms"):
        lines.append(f"\n{metric}: median of the runs (range)")
        lines.append(f"{'page':14}" + "".join(f"{variant:>22}" for variant in variants))
        for page in pages:
            cells = []
            for variant in variants:
                values = [figures[page][metric] for name, figures in runs if name == variant]
                cells.append(
                    f"{statistics.median(values):7.2f} ({min(values):.2f}-{max(values):.2f})"
                )
            lines.append(f"{page:14}" + "".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a seeded PostgreSQL database")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--samples", type=int, default=200, help="requests per story page")
    parser.add_argument("--other-samples", type=int, default=40, help="per other page")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "binding.json"))
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.run:
        print(json.dumps(measure(args.run, args.samples, args.other_samples)))
        return
    variants = args.variants.split(",")
    runs = []
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-cache-") as cache_dir:
        # The production settings serve hashed static names: the pages need the manifest.
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=environment(args.database_url, "ours", cache_dir),
            cwd=ROOT,
            check=True,
        )
        for number in range(args.rounds):
            print(f"round {number + 1}, load average {os.getloadavg()}", flush=True)
            for i in range(len(variants)):
                variant = variants[(i + number) % len(variants)]
                child = subprocess.run(
                    [PYTHON, __file__, "--database-url", args.database_url, "--run", variant]
                    + ["--samples", str(args.samples), "--other-samples", str(args.other_samples)],
                    env=environment(args.database_url, variant, cache_dir),
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append((variant, json.loads(child.stdout.splitlines()[-1])))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(runs, indent=1))
    print(summary(runs))


if __name__ == "__main__":
    main()
