"""A story's versions in the admin: history, compare, revert and recover, with the desk's rules."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from reversion.models import Version

from newsroom.reversing import reverse

from .. import history
from ..models import Article
from ..permissions import can_publish, may
from ..services import revert_article


class StoryHistory:
    """For ``ArticleAdmin`` (on django-reversion's ``VersionAdmin``): history, compare, revert
    and recover."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        obj = self._get_visible(request, object_id)
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            older = versions.get(pk=int(request.GET["from"]))
            newer = versions.get(pk=int(request.GET["to"]))
        except (KeyError, ValueError, Version.DoesNotExist):
            messages.error(request, "Choose two versions of this story to compare.")
            return redirect("admin:articles_article_history", obj.pk)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"Changes to “{obj.headline}”",
            "older": older,
            "newer": newer,
            "changes": history.diff_versions(older, newer),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such story.")
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        action_list = [
            {
                "revision": version.revision,
                "version_id": version.pk,
                "url": reverse("admin:articles_article_revision", args=[obj.pk, version.pk]),
            }
            for version in versions.order_by("-pk")
        ]
        context = {"action_list": action_list, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such story.")
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such version.")
        if request.method == "POST" and history.public_corrections_changed_by(version, obj):
            messages.error(
                request,
                "This version is older than a published correction, and corrections are "
                "never removed or changed. Copy the text you need from it instead.",
            )
            return redirect("admin:articles_article_history", obj.pk)
        if request.method == "POST" and self._revert_needs_more(request, version, obj):
            messages.error(
                request,
                "This version has other teasers or corrections than the story has now, and "
                "only editors change those. Copy the text you need from it instead.",
            )
            return redirect("admin:articles_article_history", obj.pk)
        request.newsroom_workflow_state = history.workflow_state(obj)
        return super().revision_view(request, object_id, version_id, extra_context)

    def _revert_needs_more(self, request, version, obj):
        """Whether a revert would add, change or remove rows the user may not (a reporter: the
        desk's teasers and corrections): reversion restores the whole revision."""
        return any(
            not all(may(request.user, action, model) for action in ("add", "change", "delete"))
            for model in history.followed_models_changed_by(version, obj)
        )

    def recoverlist_view(self, request, extra_context=None):
        # Deleted stories are the desk's business, whatever their last state was.
        if not can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not can_publish(request.user):
            raise PermissionDenied
        # Only a deleted story is recovered. Any other version would overwrite a story that
        # exists, past the checks of a revert from its history (public corrections, workflow).
        if not Version.objects.get_deleted(Article).filter(pk=version_id).exists():
            raise Http404("No deleted story with this version.")
        return super().recover_view(request, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        state = getattr(request, "newsroom_workflow_state", None)
        if state is not None:
            # Called by reversion's revert just after it wrote the old version.
            revert_article(article_id=object_id, state=state, by=request.user)
        return super().get_object(request, object_id, from_field)
