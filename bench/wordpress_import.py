"""The WordPress import at scale: a generated export of N posts, imported into a fresh database,
with the importer's peak memory and its rate (posts per second), then imported again (nothing
changed: the rate of a re-run).

Usage: python bench/wordpress_import.py POSTS [--database-url URL] [--workdir DIR] [--read-only]

With --read-only the export is only read and converted, as the import does it (both passes, every
post's story values, its body through markdownify), with no database write: the memory of the
streaming reader and the conversion at any size, in a fraction of the time of a full import.

Without --database-url a new SQLite file in the work folder is used. A PostgreSQL database given
by URL is flushed first (it must be one kept for this). The figures go to stdout as one JSON line.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WP = "http://wordpress.org/export/1.2/"
SITE = "https://old.example"

PARAGRAPHS = [
    "The council met on Tuesday to discuss the harbour's future, and the <em>debate</em> ran late.",
    "Residents said the new timetable left them waiting; the operator promised a review by spring.",
    "Figures released this week show the number of visitors rose by a tenth on last year.",
    "“We have listened,” the mayor said, adding that the plans would be published in full.",
]


def cdata(text):
    return f"<![CDATA[{text}]]>"


def write_export(path, posts, seed=17):
    rng = random.Random(seed)
    authors = [f"author{n}" for n in range(40)]
    categories = [f"category-{n}" for n in range(30)]
    tags = [f"tag-{n}" for n in range(300)]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:wp="{WP}">\n<channel><title>Old site</title><link>{SITE}</link>'
            f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>"
            f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        )
        for login in authors:
            out.write(
                f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_display_name>{cdata(login.title())}</wp:author_display_name>"
                f"<wp:author_email>{cdata(login + '@old.example')}</wp:author_email></wp:author>\n"
            )
        for n, slug in enumerate(categories):
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>{slug}"
                f"</wp:category_nicename><wp:cat_name>{cdata(slug.title())}</wp:cat_name></wp:category>\n"
            )
        for post_id in range(1, posts + 1):
            year, month, day = 2010 + post_id % 15, 1 + post_id % 12, 1 + post_id % 28
            date = f"{year}-{month:02d}-{day:02d} 10:{post_id % 60:02d}:00"
            slug = f"story-number-{post_id}"
            body = "\n\n".join(rng.sample(PARAGRAPHS, 3))
            if post_id % 2:
                body = "".join(
                    f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->\n"
                    for p in body.split("\n\n")
                )
            terms = "".join(
                f'<category domain="category" nicename="{c}">{cdata(c.title())}</category>'
                for c in rng.sample(categories, 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="{t}">{cdata(t)}</category>'
                for t in rng.sample(tags, 3)
            )
            status = "publish" if post_id % 20 else "draft"
            out.write(
                f"<item><title>Story number {post_id}</title>"
                f"<link>{SITE}/{year}/{month:02d}/{day:02d}/{slug}/</link>"
                f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator>"
                f"<content:encoded>{cdata(body)}</content:encoded>"
                f"<excerpt:encoded>{cdata('A short excerpt of story ' + str(post_id))}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(date)}</wp:post_date>"
                f"<wp:post_date_gmt>{cdata(date)}</wp:post_date_gmt><wp:post_name>{cdata(slug)}</wp:post_name>"
                f"<wp:status>{cdata(status)}</wp:status><wp:post_type>{cdata('post')}</wp:post_type>"
                f"<wp:post_password>{cdata('')}</wp:post_password><wp:is_sticky>0</wp:is_sticky>"
                f"{terms}</item>\n"
            )
        out.write("</channel></rss>\n")


def manage(env, *args, measure=False):
    """Run manage.py; with ``measure``, return (seconds, peak resident memory in MiB)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({process.returncode})")
    if measure:
        return time.monotonic() - started, usage.ru_maxrss / 1024


READ_ONLY = """
import json, resource, sys, time
import django
django.setup()
from wordpress.importer import Importer
started = time.monotonic()
importer = Importer(sys.argv[1])
importer.scan()
file, reader = importer._reader(with_content=True)
converted = 0
for item in importer._posts_in(reader):
    importer._story_values(item)
    converted += 1
seconds = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"converted": converted, "seconds": round(seconds, 1),
                  "posts_per_second": round(converted / seconds, 1), "peak_mib": round(peak, 1)}))
"""


def read_only(export, env):
    result = subprocess.run(
        [sys.executable, "-c", READ_ONLY, str(export)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("posts", type=int)
    parser.add_argument("--database-url")
    parser.add_argument("--workdir")
    parser.add_argument("--read-only", action="store_true")
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="wpimport-"))
    workdir.mkdir(parents=True, exist_ok=True)
    export = workdir / f"export-{args.posts}.xml"
    if not export.exists():
        write_export(export, args.posts)
    if args.read_only:
        figures = read_only(export, dict(os.environ))
        figures.update(posts=args.posts, export_mib=round(export.stat().st_size / 2**20, 1))
        print(json.dumps(figures))
        return
    env = {**os.environ, "NEWSROOM_MEDIA_ROOT": str(workdir / "media")}
    env["DATABASE_URL"] = (
        args.database_url or f"sqlite:///{workdir / f'import-{args.posts}.sqlite3'}"
    )
    if not args.database_url:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    manage(env, "migrate", "--noinput")
    if args.database_url:
        manage(env, "flush", "--noinput")
    report = workdir / "report.json"
    first, first_peak = manage(
        env, "import_wordpress", str(export), "--no-progress", "--report", str(report), measure=True
    )
    counts = json.loads(report.read_text())["counts"]
    again, again_peak = manage(
        env, "import_wordpress", str(export), "--no-progress", "--report", str(report), measure=True
    )
    unchanged = json.loads(report.read_text())["counts"].get("posts unchanged", 0)
    print(
        json.dumps(
            {
                "database": "postgresql" if args.database_url else "sqlite",
                "posts": args.posts,
                "export_mib": round(export.stat().st_size / 2**20, 1),
                "created": counts.get("posts created", 0),
                "seconds": round(first, 1),
                "posts_per_second": round(args.posts / first, 1),
                "peak_mib": round(first_peak, 1),
                "rerun_unchanged": unchanged,
                "rerun_seconds": round(again, 1),
                "rerun_posts_per_second": round(args.posts / again, 1),
                "rerun_peak_mib": round(again_peak, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
