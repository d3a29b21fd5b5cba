from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

# Everything a public page is made of. A committed save or delete of any of them starts a new
# content generation (see newsroom/cache.py). QuerySet.update() and bulk_create() send no signals:
# code that uses them on these models calls newsroom.cache.content_changed() itself.
CONTENT_MODELS = (
    "articles.Article",
    "articles.Byline",
    "articles.RelatedTeaser",
    "articles.Correction",
    "articles.Section",
    "authors.Author",
    "taggit.Tag",
    "articles.TaggedArticle",
)


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom site"

    def ready(self):
        from .cache import content_changed

        for label in CONTENT_MODELS:
            model = self.apps.get_model(label)
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(content_changed, sender=model, dispatch_uid=f"pagecache-{label}")


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"

    def ready(self):
        from django.contrib.admin import options

        from . import admin_site

        # Every ModelAdmin's autocomplete_fields get the widgets that survive a bad submitted value.
        options.AutocompleteSelect = admin_site.AutocompleteSelect
        options.AutocompleteSelectMultiple = admin_site.AutocompleteSelectMultiple
        super().ready()
