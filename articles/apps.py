from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import signals  # noqa: F401
        from .history import register_models

        register_models()
