"""Before forking its workers, gunicorn's master builds what they all need and freezes it."""

import gc
import runpy
from pathlib import Path

from django.template import engines

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_before_each_fork_the_loaded_app_is_warmed_up_and_frozen(monkeypatch):
    monkeypatch.delenv("DJANGO_ENV", raising=False)  # the file sets a default; put it back after
    conf = runpy.run_path(str(CONF))
    environment = engines["jinja2"].env
    environment.cache.clear()
    gc.unfreeze()
    try:
        conf["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 10_000
        assert len(environment.cache) >= len(environment.list_templates())
    finally:
        gc.unfreeze()
