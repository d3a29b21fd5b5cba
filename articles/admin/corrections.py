"""Corrections in the admin: append-only once public."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from ..models import Correction
from ..permissions import can_change_correction, visible_story_rows
from ..services import save_correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    search_fields = ["text", "article__headline"]
    date_hierarchy = "published_at"

    def get_queryset(self, request):
        return visible_story_rows(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_change_correction(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_change_correction(request.user, obj)
        )

    def save_model(self, request, obj, form, change):
        if change and not can_change_correction(request.user, Correction.objects.get(pk=obj.pk)):
            raise PermissionDenied
        save_correction(correction=obj, by=request.user, fields=form.changed_data)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action must not slip a public correction through.
        if any(correction.is_public() for correction in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)
