from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark: seeding, its baseline pages and the scripts beside them.

    Installed only with NEWSROOM_BENCH=1 (newsroom/settings.py); a real site never has it.
    """

    name = "bench"
