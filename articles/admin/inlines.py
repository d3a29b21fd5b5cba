"""What a story carries, edited on its page: bylines, corrections, teasers.

Each inline follows the story: nobody edits through a story they may not edit.
"""

from adminsortable2.admin import SortableStackedInline
from django.contrib import admin

from ..models import Byline, Correction, RelatedTeaser
from ..permissions import can_edit
from .forms import CorrectionInlineForm, TeaserForm, TeaserFormSet


class StoryInlinePermissions:
    """Inlines of a story follow the story: no edits through a story the user may not edit."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )


class BylineInline(StoryInlinePermissions, SortableStackedInline):
    """Bylines in reading order: drag a byline by its title bar, or use its arrows (keyboard
    too); django-admin-sortable2 keeps the hidden ``position`` in step."""

    model = Byline
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = [("author", "role")]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if own_author(request, obj) else 0


def own_author(request, obj):
    """The author profile of the user starting a new story, who is its first byline."""
    if (obj is not None and obj.pk is not None) or request.method != "GET":
        return None
    author = getattr(request.user, "author", None)
    return author if author is not None and author.is_active else None


class CorrectionInline(StoryInlinePermissions, admin.StackedInline):
    """Add-only: corrections already made are shown read-only here (append-only once public)."""

    model = Correction
    form = CorrectionInlineForm
    extra = 0
    fields = ["kind", "text", "published_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RelatedTeaserInline(StoryInlinePermissions, admin.StackedInline):
    model = RelatedTeaser
    fk_name = "article"
    form = TeaserForm
    formset = TeaserFormSet
    extra = 0
    autocomplete_fields = ["target"]
    fields = [
        ("position", "target", "url"),
        "is_blocked",
        ("headline", "excerpt"),
        ("starts_at", "ends_at"),
    ]
