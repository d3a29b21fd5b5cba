"""Tags in the admin: django-taggit's, with merging held to the desk."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from ..models import TaggedArticle

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    """django-taggit's tag admin, with merging held to the change permission: a merge re-tags
    stories, live ones included, so it is the desk's, like renaming a tag."""

    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        # The selection comes from the action, through the session; without one, start there.
        selected = set(request.session.get("selected_tag_ids", "").split(","))
        chosen = all(pk.isdigit() for pk in selected)
        if not chosen or Tag.objects.filter(pk__in=selected).count() != len(selected):
            messages.error(request, "Choose the tags to merge in the list first.")
            return redirect("admin:taggit_tag_changelist")
        form = MergeTagsForm(request.POST) if request.method == "POST" else None
        if form is None or not form.is_valid():
            return super().merge_tags_view(request)
        # taggit's own merge moves links in its shared table; stories' links live in TaggedArticle.
        with transaction.atomic():
            into, _ = Tag.objects.get_or_create(name=form.cleaned_data["new_tag_name"])
            merge_tags(Tag.objects.filter(pk__in=selected), into)
        self.message_user(request, "Tags have been merged", level=messages.SUCCESS)
        request.session.pop("selected_tag_ids", None)
        return redirect("admin:taggit_tag_changelist")


def merge_tags(tags, into):
    """Every story carrying one of ``tags`` carries ``into`` instead, once."""
    links = TaggedArticle.objects.filter(tag__in=tags).exclude(tag=into).order_by("pk")
    for link in links:
        if TaggedArticle.objects.filter(
            tag=into, content_object_id=link.content_object_id
        ).exists():
            link.delete()
        else:
            link.tag = into
            link.save(update_fields=["tag"])
