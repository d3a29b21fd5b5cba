"""``manage.py import_wordpress EXPORT.xml``: a WordPress site's export into stories.

See docs/import-wordpress.md for what maps to what.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import Importer, ImportRefused, Options

PLAIN_EVERY = 1000


class Progress:
    """A progress bar on a terminal (stories per second, time left), plain lines otherwise."""

    def __init__(self, stream, *, tty):
        self.stream, self.tty = stream, tty
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done, total):
        now = time.monotonic()
        finished = done >= total
        if self.tty:
            if now - self.shown < 0.2 and not finished:
                return
        elif done % PLAIN_EVERY and not finished:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        line = f"{done}/{total} stories, {rate:.0f}/s, {_duration(left)} left"
        if self.tty:
            width = 30
            filled = int(width * done / total) if total else width
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r[{bar}] {line}   ", ending="")
            if finished:
                self.stream.write("")
            self.stream.flush()
        else:
            self.stream.write(line)


def _duration(seconds):
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


class Command(BaseCommand):
    help = "Import a WordPress export file (WXR 1.0-1.2), offline and re-runnably."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (WXR).")
        parser.add_argument("--uploads", help="A copy of the site's wp-content/uploads folder.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print the same report."
        )
        parser.add_argument(
            "--section-from",
            choices=["category", "none"],
            default="category",
            help="Where a story's section comes from: its first (or primary) category, or none.",
        )
        parser.add_argument("--pages", action="store_true", help="Import pages as stories too.")
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Skip every post imported before, changed or not (go on after an interruption).",
        )
        parser.add_argument("--category-base", default="category")
        parser.add_argument("--tag-base", default="tag")
        parser.add_argument("--report", help="Also write the report as JSON to this file.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Neither a progress bar nor lines."
        )

    def handle(self, *args, **options):
        uploads = Path(options["uploads"]) if options["uploads"] else None
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"--uploads {uploads}: no such folder")
        settings = Options(
            uploads=uploads,
            dry_run=options["dry_run"],
            section_from=options["section_from"],
            pages=options["pages"],
            resume=options["resume"],
            category_base=options["category_base"].strip("/"),
            tag_base=options["tag_base"].strip("/"),
        )
        progress = None
        if not options["no_progress"] and options["verbosity"] > 0:
            tty = hasattr(self.stdout, "isatty") and self.stdout.isatty() and sys.stdout.isatty()
            progress = Progress(self.stdout, tty=tty)
        importer = Importer(options["export"], settings, progress=progress)
        try:
            report = importer.run()
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        if options["report"]:
            Path(options["report"]).write_text(report.to_json() + "\n", encoding="utf-8")
        for line in report.lines():
            self.stdout.write(line)
        wanted = importer.index.to_import
        written = sum(
            report.counts[key]
            for key in (
                "posts created",
                "posts updated",
                "posts unchanged",
                "posts already imported",
            )
        )
        if wanted and not written:
            raise CommandError("nothing could be imported (see the warnings above)")
