from django.apps import AppConfig
from django.db.models.signals import post_migrate

# What this app's public pages are made of (see newsroom/pagecache.py). taggit's Tag is listed
# here: the tags are this app's.
PUBLIC_MODELS = (
    "articles.Article",
    "articles.Byline",
    "articles.RelatedTeaser",
    "articles.Correction",
    "articles.Section",
    "taggit.Tag",
    "articles.TaggedArticle",
)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from jinja2 import pass_context

        from newsroom import pagecache, templating

        from . import signals  # noqa: F401
        from .history import register_models
        from .roles import granted_apps, sync_editorial_groups
        from .templatetags import seo

        register_models()
        # After auth has created the permissions of each app the groups are granted on (auth's
        # handler runs first: it is listed before us), whether that app comes before this one or
        # after it (fronts).
        labels = {app.label: app for app in self.apps.get_app_configs()}
        for label in sorted(granted_apps() & set(labels)):
            post_migrate.connect(sync_editorial_groups, sender=labels[label])

        for label in PUBLIC_MODELS:
            pagecache.register_public_model(self.apps.get_model(label))
        for model in ("Article", "RelatedTeaser", "Correction"):
            pagecache.register_schedule(self.get_model(model).objects.next_changes)

        # The SEO helpers of the reader templates, under the names Django's templates use.
        templating.register_globals(
            canonical_url=pass_context(seo.canonical_url),
            absolute_url=pass_context(seo.absolute_url),
            json_ld=pass_context(seo.json_ld),
        )
        templating.register_filters(highlight=seo.highlight)
