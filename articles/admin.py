from adminsortable2.admin import SortableAdminBase, SortableStackedInline
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from content.images import StorageFailure, StorageFailureAdminMixin
from content.markup import render_markdown
from newsroom.reversing import reverse

from . import history, preview
from .forms import ArticleAdminForm, CorrectionInlineForm, requested_action
from .models import (
    BODY_MAX_LENGTH,
    Article,
    Byline,
    Correction,
    RelatedTeaser,
    Section,
    TaggedArticle,
    TeaserEvent,
)
from .permissions import (
    can_change_correction,
    can_edit,
    can_publish,
    can_view_unpublished,
    visible_articles,
    visible_story_rows,
    workflow_buttons,
)
from .services import (
    PublishRefused,
    add_correction,
    publish_article,
    revert_article,
    save_article,
    save_correction,
    save_story,
    submit_article,
    withdraw_article,
)
from .teaser_admin import RelatedTeaserInline as TeaserInlineBase
from .teaser_admin import is_teaser_target_lookup, save_teaser_formset, teaser_targets


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


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


class StoryChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        bylines = Byline.objects.select_related("author").order_by("position", "id")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .prefetch_related(Prefetch("bylines", queryset=bylines))
        )


class RelatedTeaserInline(StoryInlinePermissions, TeaserInlineBase):
    pass


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


class StateListFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.with_state(Article.State(self.value()))
        return queryset


def _warn_before_review(request, article, *, named=False):
    """The publish checklist as warnings: the submit goes through, and the reporter learns now
    what the desk's Publish would refuse."""
    story = f"“{article.headline}”: " if named else ""
    for problem in article.publish_problems(article.publish_at):
        messages.warning(
            request, f"{story}Publishing will be refused until this is fixed: {problem}"
        )
    for warning in article.publish_warnings():
        messages.warning(request, f"{story}Worth a look before publishing: {warning}")


def _may(user, action, model):
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


@admin.register(Article)
class ArticleAdmin(SortableAdminBase, StorageFailureAdminMixin, VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "byline_names",
        "section",
        "state_label",
        "publish_at",
        "modified_at",
        "modified_by",
    ]
    list_filter = [
        StateListFilter,
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "is_featured",
    ]
    list_select_related = ["section", "modified_by"]
    search_fields = ["headline", "dek", "slug", "bylines__author__name"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    date_hierarchy = "publish_at"
    inlines = [BylineInline, CorrectionInline, RelatedTeaserInline]
    actions = ["submit_for_review", "publish_now", "withdraw"]
    history_latest_first = True
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        js = [
            "js/admin-markdown-preview.js",
            "js/admin-length-count.js",
            "js/admin-unsaved-changes.js",
            "js/admin-accessible-names.js",
        ]

    # Who sees and changes what (articles/permissions.py holds the rules).

    def get_queryset(self, request):
        return visible_articles(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_publish(request.user)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The teaser audit trail goes with its story; on its own nobody may delete a line of it.
        perms_needed.discard(TeaserEvent._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A story the user may not open looks exactly like one that does not exist.
        raise Http404("No such story.")

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["kicker", "headline", "slug", "dek", "body", "section", "tags"]}),
            ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
            (
                "Publishing",
                {
                    "fields": [
                        "state_label",
                        "publish_at",
                        "unpublish_at",
                        "updated_at",
                        "update_note",
                        "is_featured",
                        "base_version",
                    ]
                },
            ),
            (
                "Search engines and sharing",
                {
                    "classes": ["collapse"],
                    "fields": ["seo_title", "seo_description", "canonical_url"],
                },
            ),
        ]
        if obj is not None and obj.first_published_at and can_publish(request.user):
            fieldsets[2][1]["fields"].insert(3, "first_published")
        if obj is not None and obj.is_live() and can_edit(request.user, obj):
            change = ["change_kind", "update_text", "correction_kind", "correction_text"]
            fieldsets.insert(0, ("This story is live", {"fields": change}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state_label", "updated_at", "update_note"]
        if not can_publish(request.user):
            readonly += ["publish_at", "unpublish_at", "is_featured"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        if "body" in form.base_fields:
            url = reverse("admin:articles_article_markdown")
            form.base_fields["body"].widget.attrs["data-markdown-preview"] = url
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        author = own_author(request, obj) if isinstance(inline, BylineInline) else None
        if author is not None:
            # Only when the blank form is shown: initial values posted back unchanged would
            # make the row look untouched, and it would not be saved.
            kwargs["initial"] = [{"author": author.pk, "role": Byline.Role.REPORTER}]
        return kwargs

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    @admin.display(description="State")
    def state_label(self, obj):
        return obj.state.label if obj and obj.pk else "New"

    @admin.display(description="Byline")
    def byline_names(self, obj):
        return ", ".join(byline.author.name for byline in obj.bylines.all()) or "—"

    # Saving: the workflow buttons, the version check, the kind of change.

    def save_model(self, request, obj, form, change):
        if change and not can_edit(request.user, Article.objects.get(pk=obj.pk)):
            raise PermissionDenied
        obj.version = form.next_version
        if can_publish(request.user) and obj.first_published_at:
            obj.first_published_at = form.cleaned_data["first_published"]
        status = {"draft": Article.Status.DRAFT, "submit": Article.Status.IN_REVIEW}
        if form.was_live and form.action is None and form.cleaned_data["change_kind"] == "update":
            obj.updated_at = timezone.now()
            obj.update_note = form.cleaned_data["update_text"]
        save_article(
            article=obj,
            by=request.user,
            fields=form.changed_data,
            status=status.get(form.action),
            part_of_revert=getattr(request, "newsroom_workflow_state", None) is not None,
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_teaser_target_lookup(request):
            queryset = teaser_targets(queryset)
        return queryset, may_have_duplicates

    def save_formset(self, request, form, formset, change):
        user = request.user
        if not can_edit(user, form.instance):
            raise PermissionDenied
        if formset.model is RelatedTeaser:
            # Re-check what the hidden inline would have refused: a crafted POST gets no further.
            for inline_form in formset.forms:
                deleting = inline_form in formset.deleted_forms
                action = (
                    "delete"
                    if deleting
                    else "add"
                    if inline_form.instance._state.adding
                    else "change"
                )
                if (deleting or inline_form.has_changed()) and not _may(
                    user, action, RelatedTeaser
                ):
                    raise PermissionDenied
            return save_teaser_formset(request, formset)
        instances = formset.save(commit=False)
        for instance in instances:
            adding = instance._state.adding
            if not _may(user, "add" if adding else "change", formset.model):
                raise PermissionDenied
            if (
                isinstance(instance, Correction)
                and not adding
                and not can_change_correction(user, Correction.objects.get(pk=instance.pk))
            ):
                raise PermissionDenied
            if isinstance(instance, Correction):
                save_correction(correction=instance, by=user)
                continue
            instance.save()
        for obj in formset.deleted_objects:
            if not _may(user, "delete", formset.model):
                raise PermissionDenied
            if isinstance(obj, Correction) and obj.is_public():
                raise PermissionDenied
            obj.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article, data = form.instance, form.cleaned_data
        if form.was_live and form.action is None and data["change_kind"] == "correction":
            add_correction(
                article=article,
                kind=data["correction_kind"] or Correction.Kind.CORRECTION,
                text=data["correction_text"],
                by=request.user,
            )
        if form.action in {"publish", "schedule"}:
            at = article.publish_at if form.action == "schedule" else None
            self._publish(request, article, at)
        elif form.action == "withdraw":
            withdraw_article(article=article, by=request.user)
            messages.success(request, "Withdrawn: the story is off the site.")
        elif form.action == "submit":
            messages.success(request, "Submitted for review.")
            _warn_before_review(request, article)
        elif form.action == "draft":
            messages.success(request, "Saved as a draft.")

    def _publish(self, request, article, at):
        try:
            publish_article(article=article, by=request.user, at=at)
        except PublishRefused as refused:
            verb = "scheduled" if at else "published"
            messages.error(
                request,
                f"Not {verb}: the story was saved but is not ready. " + " ".join(refused.problems),
            )
            return False
        for warning in article.publish_warnings():
            messages.warning(request, f"Published with a warning: {warning}")
        state = "Scheduled" if article.state == Article.State.SCHEDULED else "Published"
        messages.success(request, f"{state}: {article.headline}")
        return True

    def response_add(self, request, obj, post_url_continue=None):
        if requested_action(request.POST):
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if requested_action(request.POST):
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        user = request.user
        story = context["adminform"].form.stored if obj is not None else None
        context["workflow_buttons"] = workflow_buttons(user, story)
        if story is not None and can_publish(user):
            context["publish_problems"] = story.publish_problems()
            context["publish_warnings"] = story.publish_warnings()
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Bulk actions check the same rules, story by story.

    @admin.action(description="Submit selected drafts for review")
    def submit_for_review(self, request, queryset):
        done = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            if can_edit(request.user, article):
                submit_article(article=article, by=request.user)
                done += 1
                _warn_before_review(request, article, named=True)
        messages.info(request, f"{done} of {queryset.count()} stories submitted for review.")

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        for article in queryset.exclude(status=Article.Status.WITHDRAWN):
            if not article.is_live():
                self._publish(request, article, None)

    @admin.action(description="Withdraw selected stories", permissions=["publish"])
    def withdraw(self, request, queryset):
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            withdraw_article(article=article, by=request.user)
        messages.info(request, "Selected published stories withdrawn.")

    # Extra screens: preview, share link, version diff, live Markdown preview.

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
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def _get_visible(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not can_view_unpublished(request.user, obj):
            raise Http404("No such story.")
        return obj

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
            not all(_may(request.user, action, model) for action in ("add", "change", "delete"))
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

    def markdown_view(self, request):
        if request.method != "POST":
            return JsonResponse({"error": "POST the Markdown as “body”."}, status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > BODY_MAX_LENGTH:
            return JsonResponse({"error": "The body is too long to preview."}, status=400)
        return JsonResponse({"html": render_markdown(body)})


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
