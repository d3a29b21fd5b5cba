from django.contrib import admin

from .forms import AuthorForm
from .models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
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
