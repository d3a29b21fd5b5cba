from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom site"


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"

    def ready(self):
        from django.contrib.admin import options

        from . import admin_site

        # Every ModelAdmin's autocomplete_fields get the widgets that survive a bad submitted value.
        options.AutocompleteSelect = admin_site.AutocompleteSelect
        options.AutocompleteSelectMultiple = admin_site.AutocompleteSelectMultiple
        super().ready()
