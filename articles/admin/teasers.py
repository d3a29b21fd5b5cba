"""Related-story teasers in the admin: editing with validation, the editors' schedule, the
"teaser strip as of" preview and the audit trail.

Who may edit teasers is decided by the model permissions the Editor group holds (add, change and
delete ``relatedteaser``); the Reporter group only views them, so the inline is read-only for
reporters and Django ignores any teaser rows a reporter posts. Like the stories themselves, a
reporter sees only the teasers, teaser strips and audit entries of their own stories.
"""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from newsroom.reversing import reverse

from .. import story_page
from ..models import Article, Placement, PlacementEvent, RelatedTeaser
from ..permissions import visible_articles, visible_story_rows
from ..services import remove_teaser, save_teaser
from .forms import AsOfForm, RelatedTeaserForm, ScheduleForm

SCHEDULE_ROWS = 100


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def readers_miss(teaser, at=None):
    """Why readers will not see a teaser just saved, in words for the editor; None if they will."""
    at = at or timezone.now()
    name = f"The teaser “{teaser}”"
    if teaser.is_blocked:
        return None
    if teaser.ends_at and teaser.ends_at <= at:
        return (
            f"{name} has ended: its window closed on {_when(teaser.ends_at)}, so readers no "
            "longer see it. While it is kept, its story is not used among the automatic related "
            "stories either."
        )
    if not teaser.target_id:
        return None
    target = teaser.target
    opens = max(teaser.starts_at or at, at)
    if target.status == Article.Status.WITHDRAWN:
        return f"{name} links to a withdrawn story; readers will never see it."
    published = target.status == Article.Status.PUBLISHED
    if published and target.unpublish_at and target.unpublish_at <= opens:
        return (
            f"{name} links to a story taken down on {_when(target.unpublish_at)}; readers will "
            "not see it."
        )
    if published and teaser.ends_at and target.publish_at >= teaser.ends_at:
        return (
            f"{name} ends before its story goes live on {_when(target.publish_at)}; readers will "
            "never see it."
        )
    if not target.is_live(opens):
        return f"{name} opens before its story is live; it stays hidden until the story goes live."
    return None


def warn_if_unseen(request, teaser):
    notice = readers_miss(teaser)
    if notice:
        messages.warning(request, notice)


def save_teaser_formset(request, formset):
    """Save the inline's teasers through the services, which record each addition, change and
    removal in the audit trail."""
    teasers = formset.save(commit=False)
    changed_fields = {teaser.pk: fields for teaser, fields in formset.changed_objects}
    for teaser in formset.deleted_objects:
        remove_teaser(teaser=teaser, by=request.user)
    for teaser in teasers:
        save_teaser(
            teaser=teaser, by=request.user, changed_fields=changed_fields.get(teaser.pk, ())
        )
        warn_if_unseen(request, teaser)


def is_placement_target_lookup(request):
    """Whether an autocomplete request comes from the target field of a placement: a teaser, or
    any other model built on ``Placement`` (a front's pick)."""
    try:
        model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
    except (LookupError, ValueError):
        return False
    return issubclass(model, Placement) and request.GET.get("field_name") == "target"


def placement_targets(queryset):
    """Narrow an article queryset to what a teaser or a pick may point at: live or scheduled
    stories."""
    return queryset & (Article.objects.live() | Article.objects.scheduled())


def _schedule_groups(teasers, at):
    State = RelatedTeaser.State
    return [
        (State.RUNNING.label, teasers.showing(at).order_by(F("ends_at").asc(nulls_last=True))),
        (State.WAITING.label, teasers.waiting(at).order_by(F("ends_at").asc(nulls_last=True))),
        (State.UPCOMING.label, teasers.upcoming(at).order_by("starts_at")),
        (State.ENDED.label, teasers.ended(at).order_by("-ends_at")),
        (State.BLOCKED.label, teasers.blocked().order_by("-created_at")),
    ]


@admin.register(RelatedTeaser)
class RelatedTeaserAdmin(admin.ModelAdmin):
    form = RelatedTeaserForm
    list_display = [
        "__str__",
        "article",
        "target",
        "is_blocked",
        "starts_at",
        "ends_at",
        "created_by",
    ]
    list_filter = ["is_blocked"]
    list_select_related = ["article", "target", "created_by"]
    autocomplete_fields = ["article", "target"]
    search_fields = ["headline", "article__headline", "target__headline", "url"]
    readonly_fields = ["history"]
    fields = [
        "article",
        ("position", "target", "url"),
        "is_blocked",
        ("headline", "excerpt"),
        ("starts_at", "ends_at"),
        "history",
    ]

    def get_queryset(self, request):
        return visible_story_rows(request.user, super().get_queryset(request))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("schedule/", view(self.schedule_view), name="articles_relatedteaser_schedule"),
            path(
                "strip/<int:article_id>/",
                view(self.strip_view),
                name="articles_relatedteaser_strip",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="History")
    def history(self, obj):
        if obj is None or obj.pk is None:
            return "Recorded once the teaser is saved."
        events = PlacementEvent.of(obj).select_related("by")[:20]
        rows = format_html_join(
            "",
            "<li>{}: {} by {} ({})</li>",
            (
                (
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                    event.get_action_display(),
                    event.by or "someone no longer on staff",
                    event.changed_fields or event.description,
                )
                for event in events
            ),
        )
        full = PlacementEventAdmin.history_url(obj)
        return format_html('<ul>{}</ul><a href="{}">Full history</a>', rows, full)

    def save_model(self, request, obj, form, change):
        save_teaser(teaser=obj, by=request.user, changed_fields=form.changed_data)
        warn_if_unseen(request, obj)

    def delete_model(self, request, obj):
        remove_teaser(teaser=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for teaser in queryset.select_related("article"):
            remove_teaser(teaser=teaser, by=request.user)

    def _render(self, request, template, context, status=200):
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, template, context, status=status)

    def schedule_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ScheduleForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            context = {"title": "Teaser schedule", "form": form, "groups": []}
            return self._render(request, "admin/articles/relatedteaser/schedule.html", context, 400)
        filters = form.cleaned_data if form.is_bound else {}
        at = filters.get("at") or timezone.now()
        teasers = visible_story_rows(request.user, RelatedTeaser.objects.for_schedule())
        if filters.get("section"):
            teasers = teasers.filter(article__section=filters["section"])
        if filters.get("day"):
            start = timezone.make_aware(datetime.combine(filters["day"], time.min))
            end = timezone.make_aware(
                datetime.combine(filters["day"] + timedelta(days=1), time.min)
            )
            teasers = teasers.running_on(start, end)
        groups = [
            (label, list(rows[:SCHEDULE_ROWS])) for label, rows in _schedule_groups(teasers, at)
        ]
        context = {"title": "Teaser schedule", "form": form, "at": at, "groups": groups}
        context["row_limit"] = SCHEDULE_ROWS
        return self._render(request, "admin/articles/relatedteaser/schedule.html", context)

    def strip_view(self, request, article_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        stories = visible_articles(request.user, Article.objects.for_detail())
        article = get_object_or_404(stories, pk=article_id)
        form = AsOfForm(request.GET or None)
        context = {"title": f"Teaser strip for “{article}”", "form": form, "article": article}
        if form.is_bound and not form.is_valid():
            return self._render(request, "admin/articles/relatedteaser/strip.html", context, 400)
        at = (form.cleaned_data.get("at") if form.is_bound else None) or timezone.now()
        context["at"] = at
        context["strip"] = strip = story_page.related_strip(article, at)
        # The reader's own strip, drawn by the reader pages' (Jinja2, autoescaping) template.
        strip_html = render_to_string("articles/_related_strip.html", {"teasers": strip})
        context["strip_html"] = mark_safe(strip_html)  # noqa: S308
        context["curated"] = [(t, t.state(at)) for t in article.teasers.for_strip()]
        return self._render(request, "admin/articles/relatedteaser/strip.html", context)


@admin.register(PlacementEvent)
class PlacementEventAdmin(admin.ModelAdmin):
    """The audit trail of teasers and front picks is append-only: readable by staff with view
    permission, editable by nobody."""

    list_display = [
        "at", "action", "placement_type", "placement_pk", "article", "by", "changed_fields",
        "description",
    ]  # fmt: skip
    list_filter = ["action", "placement_type"]
    list_select_related = ["article", "by"]
    search_fields = ["article__headline", "description"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return visible_story_rows(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def history_url(placement):
        """The changelist of one teaser's or pick's records."""
        kind = ContentType.objects.get_for_model(placement)
        query = urlencode({"placement_type__id__exact": kind.pk, "placement_pk": placement.pk})
        return reverse("admin:articles_placementevent_changelist") + "?" + query

    @staticmethod
    def holder_url(holder):
        """The changelist of the records of everything placed on one story or front."""
        kind = ContentType.objects.get_for_model(holder)
        query = urlencode({"holder_type__id__exact": kind.pk, "holder_pk": holder.pk})
        return reverse("admin:articles_placementevent_changelist") + "?" + query
