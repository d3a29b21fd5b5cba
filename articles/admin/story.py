"""Stories in the admin: the list, the form and its workflow buttons, the bulk actions.

The extra screens (preview, share link, Markdown preview) are in ``story_screens``; the version
history, compare and revert are in ``story_history``.
"""

from adminsortable2.admin import SortableAdminBase
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from reversion.admin import VersionAdmin

from content.images import StorageFailureAdminMixin
from newsroom.reversing import reverse

from ..models import Article, Byline, Correction, PlacementEvent, RelatedTeaser
from ..permissions import (
    can_change_correction,
    can_edit,
    can_publish,
    can_view_unpublished,
    may,
    visible_articles,
    workflow_buttons,
)
from ..services import (
    PublishRefused,
    add_correction,
    publish_article,
    save_article,
    save_correction,
    submit_article,
    withdraw_article,
)
from .forms import ArticleAdminForm, requested_action
from .inlines import BylineInline, CorrectionInline, RelatedTeaserInline, own_author
from .story_history import StoryHistory
from .story_screens import StoryScreens
from .teasers import is_placement_target_lookup, placement_targets, save_teaser_formset


class StoryChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        bylines = Byline.objects.select_related("author").order_by("position", "id")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .prefetch_related(Prefetch("bylines", queryset=bylines))
        )


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


# Inlines that other apps add to each story's page, after the desk's own (``register_story_inline``).
_story_inlines = []


def register_story_inline(inline):
    """Show ``inline`` (an ``InlineModelAdmin`` of a model pointing at ``Article``) on every
    story's admin page: the way an app adds to a story's page without this app knowing it. Call
    it from the app's ``admin`` module; its permissions are the inline's own."""
    if inline not in _story_inlines:
        _story_inlines.append(inline)


# Links to other apps' screens for a story, shown with the story page's own (``register_story_links``).
_story_links = []


def register_story_links(links):
    """Add to every saved story's admin page the links ``links(request, article)`` returns, as
    (label, url) pairs: the way an app offers its own screens for a story (the live desk, start
    and end of live coverage) without this app knowing it. The screens check their own
    permissions; ``links`` returns only those the user may open."""
    if links not in _story_links:
        _story_links.append(links)


def story_links(request, article):
    return [link for links in _story_links for link in links(request, article)]


@admin.register(Article)
class ArticleAdmin(
    StoryHistory, StoryScreens, SortableAdminBase, StorageFailureAdminMixin, VersionAdmin
):
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
        perms_needed.discard(PlacementEvent._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A story the user may not open looks exactly like one that does not exist.
        raise Http404("No such story.")

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["kicker", "headline", "slug", "dek", "body", "section", "tags"]}),
            (
                "Hero image",
                {
                    "fields": [
                        "hero_image",
                        "hero_focal_point",
                        ("hero_focal_x", "hero_focal_y"),
                        "hero_alt",
                        "hero_caption",
                        "hero_credit",
                    ]
                },
            ),
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
        if obj is not None and can_publish(request.user):
            # Started and ended from the live desk's links; the poll interval is the kill switch.
            fieldsets.append(("Live coverage", {"fields": ["coverage_state", "poll_seconds"]}))
        if obj is not None and obj.is_live() and can_edit(request.user, obj):
            change = ["change_kind", "update_text", "correction_kind", "correction_text"]
            fieldsets.insert(0, ("This story is live", {"fields": change}))
        return fieldsets

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_story_inlines]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["state_label", "updated_at", "update_note", "coverage_state"]
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

    @admin.display(description="Coverage")
    def coverage_state(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        times = [
            (label, when)
            for label, when in (
                ("started", obj.coverage_started_at),
                ("ended", obj.coverage_ended_at),
            )
            if when
        ]
        moments = "; ".join(
            f"{label} {date_format(timezone.localtime(when), 'DATETIME_FORMAT')}"
            for label, when in times
        )
        return (
            f"{obj.get_coverage_display()} ({moments})" if moments else obj.get_coverage_display()
        )

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
        if is_placement_target_lookup(request):
            queryset = placement_targets(queryset)
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
                if (deleting or inline_form.has_changed()) and not may(user, action, RelatedTeaser):
                    raise PermissionDenied
            return save_teaser_formset(request, formset)
        instances = formset.save(commit=False)
        for instance in instances:
            adding = instance._state.adding
            if not may(user, "add" if adding else "change", formset.model):
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
            if not may(user, "delete", formset.model):
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
        context["story_links"] = story_links(request, story) if story is not None else []
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

    # Shared by the extra screens and the history screens.

    def _get_visible(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not can_view_unpublished(request.user, obj):
            raise Http404("No such story.")
        return obj
