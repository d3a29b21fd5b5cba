"""The live desk: one screen per live story, where a reporter files an entry in seconds.

The screen has the post box (Markdown text, optional headline and picture, author, schedule, key
event) and, below it, the stream newest first with Edit, Pin, Key event, Delete and History on
each entry, as far as ``live.permissions`` allows; every POST asks it again. Each change goes
through ``live.services`` and is recorded by django-reversion (``live.history``). The story's admin
page links here and to Start/End live coverage (``articles.admin.register_story_links``).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format

from articles.admin import register_story_links
from articles.models import Article
from content.images import StorageFailure
from content.permissions import can_publish
from newsroom.reversing import reverse

from . import permissions, services
from .forms import EntryEditForm, EntryForm, FlagForm
from .history import DELETED, record_removal, recorded, removed_entries, text_of, versions_of
from .models import Entry

STREAM_PAGE = 50


def _desk_url(article):
    return reverse("admin:live_entry_desk", args=[article.pk])


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "someone else"


def story_links(request, article):
    """The live desk and the coverage buttons, for the story's admin page."""
    user, links = request.user, []
    if permissions.can_open_desk(user, article):
        links.append(("Live desk", _desk_url(article)))
    if permissions.can_manage_coverage(user):
        if article.is_live_coverage:
            links.append(("End live coverage", reverse("admin:live_entry_end", args=[article.pk])))
        else:
            label = "Resume live coverage" if article.coverage else "Start live coverage"
            links.append((label, reverse("admin:live_entry_start", args=[article.pk])))
    return links


register_story_links(story_links)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Only the desk's own screens: entries are posted and changed there; no bulk actions."""

    actions = None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.desks_view), name="live_entry_changelist"),
            path("story/<int:article_id>/", view(self.desk_view), name="live_entry_desk"),
            path("story/<int:article_id>/start/", view(self.start_view), name="live_entry_start"),
            path("story/<int:article_id>/end/", view(self.end_view), name="live_entry_end"),
            path("<int:entry_id>/edit/", view(self.edit_view), name="live_entry_edit"),
            path("<int:entry_id>/flag/", view(self.flag_view), name="live_entry_flag"),
            path("<int:entry_id>/delete/", view(self.remove_view), name="live_entry_delete"),
            path("<int:entry_id>/history/", view(self.history_view), name="live_entry_history"),
        ]

    def get_model_perms(self, request):
        return {"view": request.user.has_perm("live.view_entry")}

    def has_add_permission(self, request):
        return False

    def _render(self, request, template, status=200, **context):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, template, context, status=status)

    # The list of desks.

    def desks_view(self, request):
        stories = permissions.desk_stories(request.user, Article.objects.all())
        stories = stories.order_by("-coverage_started_at", "-pk")
        return self._render(request, "live/desks.html", title="Live desks", stories=stories)

    # One story's desk: the post box and the stream.

    def _story(self, request, article_id):
        article = get_object_or_404(Article.objects.exclude(coverage=""), pk=article_id)
        if not permissions.can_open_desk(request.user, article):
            raise PermissionDenied
        return article

    def desk_view(self, request, article_id):
        article = self._story(request, article_id)
        user = request.user
        form = None
        if request.method == "POST":
            if not permissions.can_post(user, article):
                raise PermissionDenied
            form = EntryForm(request.POST, request.FILES, article=article, user=user)
            if form.is_valid() and self._save(request, form, comment="Posted"):
                entry = form.instance
                if entry.is_public():
                    messages.success(request, "Posted.")
                else:
                    messages.success(request, f"Scheduled for {_when(entry.publish_at)}.")
                return redirect(_desk_url(article))
        if form is None and permissions.can_post(user, article):
            form = EntryForm(article=article, user=user)
        return self._render(
            request,
            "live/desk.html",
            title=f"Live desk: {article.headline}",
            article=article,
            form=form,
            rights=rights_note(user),
            **self._stream(request, article),
        )

    def _stream(self, request, article):
        user, now = request.user, timezone.now()
        entries = Entry.objects.filter(article=article).stream()
        before = request.GET.get("before", "")
        if before.isdigit():
            last = entries.filter(pk=int(before)).values_list("publish_at", flat=True).first()
            if last is not None:
                entries = entries.filter(
                    Q(publish_at__lt=last) | Q(publish_at=last, pk__lt=int(before))
                )
        page = list(entries[: STREAM_PAGE + 1])
        shown = page[:STREAM_PAGE]
        may_edit = permissions.can_edit_entry(user, Entry(article=article))
        rows = [
            {
                "entry": entry,
                "scheduled": entry.publish_at > now,
                "may_edit": may_edit,
                "may_delete": permissions.can_delete_entry(user, entry),
            }
            for entry in shown
        ]
        return {
            "rows": rows,
            "older": shown[-1].pk if len(page) > STREAM_PAGE else None,
            "removed": removed_entries(article),
        }

    def _save(self, request, form, *, comment, base_version=None):
        """Save the form's entry through the services; False, with the reason on the form, if
        the save was refused (an edit over a newer one, a picture the storage would not keep)."""
        try:
            with recorded(by=request.user, comment=comment):
                services.save_entry(
                    entry=form.save(),
                    by=request.user,
                    base_version=base_version,
                    fields=form.changed_data,
                )
        except services.EntryChanged as changed:
            form.add_error(None, str(changed))
            return False
        except StorageFailure as failure:
            form.add_error(failure.field_name, failure.message)
            return False
        return True

    # One entry: edit, flags, removal, history.

    def _entry(self, request, entry_id, allowed):
        entry = get_object_or_404(Entry.objects.select_related("article"), pk=entry_id)
        if not allowed(request.user, entry):
            raise PermissionDenied
        return entry

    def edit_view(self, request, entry_id):
        entry = self._entry(request, entry_id, permissions.can_edit_entry)
        article, user = entry.article, request.user
        if request.method == "POST":
            form = EntryEditForm(
                request.POST, request.FILES, instance=entry, article=article, user=user
            )
            if form.is_valid():
                note = form.cleaned_data.get("correction_note", "")
                corrected = "correction_note" in form.changed_data and note
                comment = f"Corrected: {note}" if corrected else "Edited"
                base = form.cleaned_data["base_version"]
                if self._save(request, form, comment=comment, base_version=base):
                    messages.success(request, "Saved.")
                    return redirect(f"{_desk_url(article)}#desk-{entry.anchor}")
        else:
            form = EntryEditForm(instance=entry, article=article, user=user)
        return self._render(
            request,
            "live/edit.html",
            title="Edit entry",
            article=article,
            entry=entry,
            form=form,
        )

    def flag_view(self, request, entry_id):
        if request.method != "POST":
            raise Http404("Flags are changed from the desk's buttons.")
        entry = self._entry(request, entry_id, permissions.can_edit_entry)
        form = FlagForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That change was not understood; nothing was changed.")
            return redirect(_desk_url(entry.article))
        field, value, comment = form.change()
        setattr(entry, field, value)
        try:
            with recorded(by=request.user, comment=comment):
                services.save_entry(
                    entry=entry,
                    by=request.user,
                    base_version=form.cleaned_data["base_version"],
                    fields=[field],
                )
        except services.EntryChanged:
            stored = Entry.objects.select_related("modified_by").get(pk=entry.pk)
            messages.error(
                request,
                f"Not changed: {_name(stored.modified_by)} changed this entry at "
                f"{_when(stored.modified_at)}, after this desk was loaded. It is shown as it is "
                "now; try again if you still want to.",
            )
        else:
            messages.success(request, f"{comment}.")
        return redirect(f"{_desk_url(entry.article)}#desk-{entry.anchor}")

    def remove_view(self, request, entry_id):
        entry = self._entry(request, entry_id, permissions.can_delete_entry)
        article = entry.article
        if request.method == "POST":
            with transaction.atomic():
                # Recorded first: reversion keeps versions only of rows that still exist.
                record_removal(entry, by=request.user)
                services.remove_entry(entry=entry, by=request.user)
            messages.success(request, "Entry removed. The desk lists it under “Removed entries”.")
            return redirect(_desk_url(article))
        return self._render(
            request,
            "live/confirm.html",
            title="Remove this entry?",
            article=article,
            entry=entry,
            question="Readers will no longer see this entry. Its text is kept in the history.",
            button="Yes, remove it",
        )

    def history_view(self, request, entry_id):
        entry = get_object_or_404(Entry.objects.select_related("article"), pk=entry_id)
        if not permissions.can_open_desk(request.user, entry.article):
            raise PermissionDenied
        versions = [
            {"version": version, "text": text_of(version)}
            for version in versions_of(entry).order_by("-revision__date_created", "-pk")
        ]
        return self._render(
            request,
            "live/history.html",
            title="Entry history",
            article=entry.article,
            entry=entry,
            versions=versions,
            deleted=DELETED,
        )

    # Live coverage itself: the editors'.

    def _coverage(self, request, article_id, *, start):
        if not permissions.can_manage_coverage(request.user):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_id)
        story_url = reverse("admin:articles_article_change", args=[article.pk])
        if article.is_live_coverage == start:
            messages.info(request, "Nothing to do: " + article.get_coverage_display() + ".")
            return redirect(story_url)
        if request.method == "POST":
            change = services.start_coverage if start else services.end_coverage
            change(article=article, by=request.user)
            if start:
                messages.success(request, "Live coverage started: post the first entry here.")
                return redirect(_desk_url(article))
            messages.success(request, "Live coverage ended: readers' pages stop asking for news.")
            return redirect(story_url)
        verb = "Start" if start else "End"
        question = (
            "The story becomes a live story: entries posted on its desk appear on its page, "
            "newest first, and readers' pages look for new ones."
            if start
            else "The story stays online with its entries; no new entries can be posted and "
            "readers' pages stop looking for new ones."
        )
        return self._render(
            request,
            "live/confirm.html",
            title=f"{verb} live coverage of “{article.headline}”?",
            article=article,
            question=question,
            button=f"{verb} live coverage",
        )

    def start_view(self, request, article_id):
        return self._coverage(request, article_id, start=True)

    def end_view(self, request, article_id):
        return self._coverage(request, article_id, start=False)


def rights_note(user):
    """Shown on the desk: what this user may do there, in a line."""
    if can_publish(user):
        return "As an editor you may post, edit, pin and remove any entry."
    return (
        "You may post and edit entries, pin them and mark key events; only editors remove "
        "entries readers have already seen."
    )
