"""The bench app is installed by NEWSROOM_BENCH=1 alone: the tests and the bench scripts set it, a
real site never does."""

import json
import os
import subprocess
import sys

from django.apps import apps
from django.conf import settings
from django.urls import reverse

PROBE = """
import json, django
django.setup()
from django.apps import apps
from django.urls import Resolver404, resolve
try:
    resolve("/bench/bare/")
    bare = True
except Resolver404:
    bare = False
print(json.dumps({"installed": apps.is_installed("bench"), "bare": bare}))
"""


def probe(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_BENCH")}
    clean["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_site_without_the_switch_has_no_bench_app_and_no_bench_pages():
    assert probe() == {"installed": False, "bare": False}
    assert probe(NEWSROOM_BENCH="0") == {"installed": False, "bare": False}


def test_the_switch_installs_the_app_and_its_baseline_page():
    assert probe(NEWSROOM_BENCH="1") == {"installed": True, "bare": True}


def test_the_tests_run_with_the_bench_app_installed(client, db):
    assert apps.is_installed("bench")
    response = client.get(reverse("bench:bare"))
    assert (response.status_code, response.content) == (200, b"ok")
