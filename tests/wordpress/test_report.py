"""The report at the end (and as JSON), and the progress shown on the way."""

import io
import json

import pytest
from django.core.management import call_command

from wordpress.management.commands.import_wordpress import Progress

from .wxr_files import Export, Post, attachment

pytestmark = pytest.mark.django_db


def test_the_report_counts_each_kind_and_each_reason(run_import, tmp_path):
    items = [
        Post(1, terms=[("category", "news", "News"), ("post_tag", "budget", "Budget")]),
        Post(2, status="trash"),
        Post(3, post_type="page"),
        Post(4, post_type="revision", status="inherit"),
        Post(5, content="[poll id=1]", date_gmt="2021-01-01 00:00:00"),
        attachment(6, "2020/05/gone.jpg", parent=1),
        Post(7, content='<img src="https://old.example/wp-content/uploads/2020/05/gone.jpg">'),
    ]
    path = tmp_path / "report.json"
    output = run_import(
        Export(
            authors=[("jane", "Jane", "", "")], categories=[(3, "news", "", "News")], items=items
        ),
        "--report",
        str(path),
    )
    report = json.loads(path.read_text())
    assert report["counts"]["posts created"] == 3
    assert report["counts"]["authors created"] == 1
    assert report["counts"]["sections created"] == 1
    assert report["counts"]["tags created"] == 1
    assert report["skipped"] == {
        "post in the trash": 1,
        "post type page": 1,
        "post type revision": 1,
    }
    assert report["unknown_shortcodes"] == {"poll": 1}
    assert report["missing_files"] == [{"post": 7, "file": "2020/05/gone.jpg"}]
    assert report["redirects"]["story addresses"] >= 6
    assert report["redirects"]["section archives"] == 2
    assert report["redirects"]["tag archives"] == 2
    for line in (
        "Imported:",
        "Skipped:",
        "Redirects:",
        "Unknown shortcodes (kept as text):",
        "Missing files: 1",
        "  poll: 1",
    ):
        assert line in output


def test_plain_progress_lines_when_not_on_a_terminal(tmp_path, monkeypatch):
    from wordpress.management.commands import import_wordpress

    monkeypatch.setattr(import_wordpress, "PLAIN_EVERY", 2)
    path = Export(items=[Post(n) for n in range(1, 6)]).write(tmp_path / "e.xml")
    out = io.StringIO()
    call_command("import_wordpress", str(path), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if " stories, " in line]
    assert [line.split(" ")[0] for line in lines] == ["2/5", "4/5", "5/5"]
    assert all(line.endswith(" left") and "/s" in line for line in lines)
    assert "\r" not in out.getvalue()


def test_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def write(self, text, ending="\n"):
            super().write(text + ending)

    stream = Terminal()
    progress = Progress(stream, tty=True)
    progress(1, 4)
    progress.shown = 0
    progress(4, 4)
    text = stream.getvalue()
    assert "\r[" in text and "#" * 30 in text and "4/4 stories" in text


def test_no_progress_when_asked(tmp_path):
    path = Export(items=[Post(1)]).write(tmp_path / "e.xml")
    out = io.StringIO()
    call_command("import_wordpress", str(path), "--no-progress", stdout=out)
    assert " stories, " not in out.getvalue()
