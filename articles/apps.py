from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import image_files, signals  # noqa: F401
        from .history import register_models
        from .roles import sync_editorial_groups

        register_models()
        # Pictures stored for a request that saved nothing (a preview, a failed save) go again.
        request_finished.connect(image_files.settle, dispatch_uid="articles.image_files.settle")
        # After auth has created this app's permissions (it runs first: it is listed before us).
        post_migrate.connect(sync_editorial_groups, sender=self)
