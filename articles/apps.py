from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import signals  # noqa: F401
        from .history import register_models
        from .roles import sync_editorial_groups

        register_models()
        # After auth has created this app's permissions (it runs first: it is listed before us).
        post_migrate.connect(sync_editorial_groups, sender=self)
