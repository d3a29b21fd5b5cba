"""The story's extra screens: the preview of a saved or unsaved story, the share link and the
live Markdown preview.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from content.images import StorageFailure
from content.markup import render_markdown

from .. import preview
from ..models import BODY_MAX_LENGTH, Article
from ..permissions import can_publish
from ..services import save_story


class StoryScreens:
    """For ``ArticleAdmin``: its preview, share and Markdown-preview screens."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("markdown-preview/", view(self.markdown_view), name="articles_article_markdown"),
            path("preview/", view(self.preview_view), name="articles_article_preview_new"),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            path("<path:object_id>/share/", view(self.share_view), name="articles_article_share"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        obj = self._get_visible(request, object_id) if object_id else None
        if request.method == "GET" and obj is not None:
            return preview.render_preview(request, Article.objects.for_detail().get(pk=obj.pk))
        if request.method != "POST":
            raise Http404("Nothing to preview.")
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        # Save the submitted form inside a transaction that is always rolled back, so the
        # preview is the real page (bylines, tags and all) and nothing is kept.
        with transaction.atomic():
            form = self.get_form(request, obj, change=obj is not None)(
                request.POST, request.FILES, instance=obj
            )
            form.previewing = True
            valid = form.is_valid()
            article = form.save(commit=False) if valid else form.instance
            formsets, _ = self._create_formsets(request, article, change=obj is not None)
            if valid and all_valid(formsets) and self._save_for_preview(form, formsets):
                response = preview.render_preview(
                    request, article, inline_pictures="hero_image" in form.changed_data
                )
            else:
                context = {
                    **self.admin_site.each_context(request),
                    "form": form,
                    "formsets": formsets,
                }
                response = TemplateResponse(
                    request, "admin/articles/article/preview_errors.html", context, status=400
                )
                response.render()
            transaction.set_rollback(True)
        return response

    def _save_for_preview(self, form, formsets):
        try:
            # As the real save does, copies and old addresses too (the transaction is rolled back).
            save_story(article=form.instance)
        except StorageFailure as failure:
            form.add_error(failure.field_name, failure.message)
            return False
        form.save_m2m()
        for formset in formsets:
            formset.save()
        return True

    def share_view(self, request, object_id):
        obj = self._get_visible(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_publish(request.user):
            raise PermissionDenied
        if obj.status == Article.Status.WITHDRAWN:
            messages.error(request, "A withdrawn story cannot be shared.")
        else:
            hours = settings.NEWSROOM_PREVIEW_MAX_AGE // 3600
            url = preview.share_url(request, obj)
            messages.success(request, f"Share link, valid for {hours} hours: {url}")
        return redirect("admin:articles_article_change", obj.pk)

    def markdown_view(self, request):
        if request.method != "POST":
            return JsonResponse({"error": "POST the Markdown as “body”."}, status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > BODY_MAX_LENGTH:
            return JsonResponse({"error": "The body is too long to preview."}, status=400)
        return JsonResponse({"html": render_markdown(body)})
