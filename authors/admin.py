from django.contrib import admin
from django.core.exceptions import PermissionDenied

from content.images import StorageFailureAdminMixin
from content.permissions import can_publish

from .forms import AuthorForm
from .models import Author
from .permissions import can_edit_author


@admin.register(Author)
class AuthorAdmin(StorageFailureAdminMixin, admin.ModelAdmin):
    form = AuthorForm
    list_display = ["name", "job_title", "user", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "job_title", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio", "photo", "is_active"]}),
        ("Contact and profiles", {"fields": ["email", "website", "social_links", "user"]}),
    ]

    def has_change_permission(self, request, obj=None):
        # Reporters may edit their own profile only (DESIGN.md §4); editors every profile.
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_author(request.user, obj)
        )

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug (see below) cannot be filled in from the name.
        return self.prepopulated_fields if can_publish(request.user) else {}

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return []
        return ["slug", "user", "is_active"]

    def save_model(self, request, obj, form, change):
        if change and not can_edit_author(request.user, Author.objects.get(pk=obj.pk)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
