"""Where an imported story came from, read-only on the story's admin page."""

from django.contrib import admin
from django.utils.html import format_html

from articles.admin import register_story_inline

from .models import ImportedPost


class ImportedPostInline(admin.StackedInline):
    """The WordPress id, original address and the import's note: shown to whoever may open the
    story (the story's page decides that), changed by nobody but the import."""

    model = ImportedPost
    verbose_name = "WordPress origin"
    verbose_name_plural = "WordPress origin"
    fields = ["wp_id", "original", "wp_status", "post_type", "note", "imported_at", "updated_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0

    @admin.display(description="original URL")
    def original(self, obj):
        url = obj.original_url
        if url.startswith(("https://", "http://")):
            return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, url)
        return url

    def get_queryset(self, request):
        # Django asks has_view_permission here without the story; the story's page has already
        # decided who may see it, and the formset keeps to that story's row.
        return self.model._default_manager.all()

    def has_view_permission(self, request, obj=None):
        # Only on an imported story's page (one query, which Django keeps on the story).
        return obj is not None and hasattr(obj, "wordpress")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_story_inline(ImportedPostInline)
