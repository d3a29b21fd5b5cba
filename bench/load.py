"""Load: wrk at saturation on mixed reader pages for 60 s while editors save stories through the
admin; then every save is checked against the database.

    python bench/load.py [--seconds 60] [--connections 32] [--editors 2]

Passes when wrk saw no non-2xx answer and no socket error, every editor save answered 302, and each
story in the database is live and holds exactly what its last accepted save sent (none lost,
none mixed up).
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PYTHON,
    RESULTS,
    ROOT,
    Editor,
    free_port,
    gunicorn,
    log,
    prepare_database,
    reader_paths,
    server_env,
)
from bench.faults import parse_wrk, run_wrk  # noqa: E402


def editor_session(port, number, stop_at, saves, failures, sent):
    """Publish a story, then keep rewriting it and publishing more, until the time is up."""
    desk = json.loads((RESULTS / "editor.json").read_text())
    editor = Editor(port)
    editor.login()
    stories = []
    revision = 0
    while time.monotonic() < stop_at:
        revision += 1
        creating = revision % 3 == 1 or not stories
        if creating:
            slug = f"load-{number}-{len(stories)}"
        else:
            slug, path = stories[revision % len(stories)]
        fields = {
            "headline": f"Load story {slug} revision {revision}",
            "slug": slug,
            "dek": f"Dek of {slug} at revision {revision}.",
            "body": f"Body of {slug}, revision {revision}.\n\nWritten by editor {number}.",
        }
        if creating:
            status, location = editor.create(fields, **desk)
        else:
            status, location = editor.update(path, fields)
        sent.append(slug)
        if status == 302 and location and location.endswith("/change/"):
            if creating:
                stories.append((slug, location))
            saves[slug] = {k: fields[k] for k in ("headline", "dek", "body")}
        else:
            failures.append([slug, str(status), location])


VERIFY = """
import json, sys
import django
django.setup()
from articles.models import Article
expected = json.load(open(sys.argv[1]))
rows = {a.slug: a for a in Article.objects.filter(slug__startswith="load-")}
problems = []
for slug, fields in expected.items():
    row = rows.get(slug)
    if row is None:
        problems.append([slug, "missing"])
        continue
    for name, value in fields.items():
        if getattr(row, name) != value:
            problems.append([slug, name, getattr(row, name), value])
    if not Article.objects.live().filter(pk=row.pk).exists():
        problems.append([slug, "not live", row.status])
extra = sorted(set(rows) - set(expected))
print(json.dumps({"rows": len(rows), "verified": len(expected) - len({p[0] for p in problems}),
                  "problems": problems, "unexpected_rows": extra}))
"""


def verify(env, saves):
    expected = RESULTS / "load-expected.json"
    expected.write_text(json.dumps(saves))
    output = subprocess.run(
        [PYTHON, "-c", VERIFY, str(expected)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def clear_previous_runs(env):
    subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); from articles.models import Article;"
         "Article.objects.filter(slug__startswith='load-').delete()"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}, check=True,
    )  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--editors", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    workers = int(os.environ.get("GUNICORN_WORKERS", 2 * os.cpu_count()))
    env = server_env(port, GUNICORN_WORKERS=workers)
    prepare_database(env)
    clear_previous_runs(env)
    paths = reader_paths()
    saves, failures, sent = {}, [], []
    with gunicorn(env, log_name="load"):
        log(f"wrk {args.seconds}s, {args.connections} connections, {args.editors} editors")
        load = run_wrk(port, paths, seconds=args.seconds, connections=args.connections)
        stop_at = time.monotonic() + args.seconds - 1
        editors = [
            threading.Thread(target=editor_session, args=(port, n, stop_at, saves, failures, sent))
            for n in range(args.editors)
        ]
        for thread in editors:
            thread.start()
        output, _ = load.communicate(timeout=args.seconds + 60)
        for thread in editors:
            thread.join()
    (RESULTS / "load-wrk.txt").write_text(output)
    result = {
        "seconds": args.seconds,
        "connections": args.connections,
        "gunicorn_workers": workers,
        "readers": parse_wrk(output),
        "editor_saves_sent": len(sent),
        "stories_saved": len(saves),
        "editor_saves_failed": failures,
        "database": verify(env, saves),
    }
    db = result["database"]
    result["passed"] = (
        result["readers"]["non_2xx_3xx"] == 0
        and result["readers"]["socket_errors"] == 0
        and not failures
        and not db["problems"]
        and not db["unexpected_rows"]
        and db["verified"] == len(saves) > 0
    )
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2))
    log(json.dumps(result))
    if not result["passed"]:
        sys.exit("load: failed (details in bench/results/load.json)")
    log("load: passed")


if __name__ == "__main__":
    main()
