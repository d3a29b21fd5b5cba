"""The editors' screens for fronts.

A front's page shows its zones in order, each with its picks in order (their window and their
state now) and a link to the zone's page, where the picks are edited; the front's latest audit
records; and "front as of", the page drawn as readers will see it at a chosen moment. Zones and
picks are ordered by dragging them, or from the keyboard (and without JavaScript) by their
position boxes, which dragging keeps in step.

Every save and every removal goes through ``fronts.services``: each pick's change is recorded in
the placements' audit trail and counts the front's version up, which the forms check to refuse a
save made over another editor's. Who may change fronts is decided by the model permissions: the
Editor group holds them all (``articles.roles``), the Reporter group none.
"""

import copy

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableStackedInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format

from articles.admin.teasers import PlacementEventAdmin
from articles.models import PlacementEvent
from articles.models.placement import window_text
from content.images import StorageFailureAdminMixin

from . import services, views
from .forms import FrontAsOfForm, FrontForm, PickForm, PickInlineForm, ZoneForm
from .models import Front, Pick, Zone

AUDIT_ROWS = 10
ORDERING_SCRIPTS = ["js/admin-accessible-names.js", "js/admin-sortable-positions.js"]


class PositionedFormSet(CustomInlineFormSet):
    """django-admin-sortable2's formset, with the position box shown rather than hidden: typing
    a number is the keyboard's way (and the way without JavaScript) to reorder, and dragging a
    row renumbers the boxes (static/js/admin-sortable-positions.js)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.form.base_fields[self.default_order_field]
        field.widget = forms.NumberInput(attrs={"class": "_reorder_ vSmallField", "min": 0})


def state_text(pick):
    return f"{pick.state().label} ({window_text(pick.starts_at, pick.ends_at)})"


def warn_if_doubled(request, front, picks):
    """Say so when a story just picked is picked again on the front with an overlapping
    window: it is allowed (an editor may mean it), and it shows twice."""
    stories = {pick.target_id for pick in picks if pick.target_id}
    if not stories:
        return
    for story in front.doubled_stories(among=stories):
        messages.warning(
            request,
            f"“{story.headline}” is picked twice on {front} with overlapping windows: it shows "
            "twice while both run.",
        )


def save_pick_formset(request, formset):
    """Save the picks of one zone's page through the services; returns the saved picks."""
    picks = formset.save(commit=False)
    changed = {pick.pk: fields for pick, fields in formset.changed_objects}
    for pick in formset.deleted_objects:
        services.remove_pick(pick=pick, by=request.user)
    for pick in picks:
        services.save_pick(pick=pick, by=request.user, changed_fields=changed.get(pick.pk, ()))
    return picks


class ZoneInline(SortableStackedInline):
    """A front's zones in order, each with a summary of its picks; the picks are edited on the
    zone's own page."""

    model = Zone
    formset = PositionedFormSet
    extra = 0
    show_change_link = True
    autocomplete_fields = ["backfill_section", "backfill_tag"]
    # The position on a line of its own: django-admin-sortable2 adds it again unless it finds it.
    fields = [
        "position",
        ("heading", "layout", "size"),
        ("backfill", "backfill_section", "backfill_tag"),
        ("featured", "picture_shape"),
        "picks",
    ]
    readonly_fields = ["picks"]

    def get_queryset(self, request):
        picks = Pick.objects.select_related("target").order_by("position", "id")
        return super().get_queryset(request).prefetch_related(Prefetch("picks", queryset=picks))

    @admin.display(description="Picks, in order")
    def picks(self, zone):
        if zone is None or zone.pk is None:
            return "Save the zone, then add its picks on the zone's page."
        rows = [
            (pick, pick.state(), window_text(pick.starts_at, pick.ends_at))
            for pick in zone.picks.all()
        ]
        return render_to_string("admin/fronts/front/_zone_picks.html", {"zone": zone, "rows": rows})


class PickInline(SortableStackedInline):
    model = Pick
    form = PickInlineForm
    formset = PositionedFormSet
    extra = 0
    autocomplete_fields = ["target"]
    fields = [
        "position",
        ("target", "url"),
        ("headline", "kind"),
        "excerpt",
        ("image", "image_alt"),
        ("image_focal_x", "image_focal_y"),
        ("starts_at", "ends_at"),
        "state",
    ]
    readonly_fields = ["state"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")

    @admin.display(description="State now")
    def state(self, pick):
        return state_text(pick) if pick is not None and pick.pk else "New"


@admin.register(Front)
class FrontAdmin(SortableAdminBase, admin.ModelAdmin):
    form = FrontForm
    inlines = [ZoneInline]
    list_display = ["__str__", "kind", "changed_at", "changed_by"]
    list_select_related = ["section", "changed_by"]
    search_fields = ["section__name"]
    change_form_template = "admin/fronts/front/change_form.html"

    class Media:
        js = ORDERING_SCRIPTS

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "section"]
        return ["kind", "section", "last_change", "base_version"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "section", "last_change"] if obj is not None else []

    @admin.display(description="Last change")
    def last_change(self, front):
        who = front.changed_by
        if who is None:
            return f"Version {front.version}"
        name = who.get_full_name() or who.get_username()
        when = date_format(timezone.localtime(front.changed_at), "DATETIME_FORMAT")
        return f"Version {front.version}, saved by {name} at {when}"

    def get_urls(self):
        view = self.admin_site.admin_view(self.as_of_view)
        return [
            path("<path:object_id>/as-of/", view, name="fronts_front_as_of"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        # A stored front's own fields are read-only: what changes is its zones.
        if not change:
            obj.changed_by = request.user
            obj.save()

    def save_formset(self, request, form, formset, change):
        zones = formset.save(commit=False)
        for zone in formset.deleted_objects:
            services.remove_zone(zone=zone, by=request.user)
        for zone in zones:
            services.save_zone(zone=zone, by=request.user)

    def delete_model(self, request, obj):
        services.remove_front(front=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for front in queryset:
            services.remove_front(front=front, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        front = self.get_object(request, unquote(object_id))
        if front is not None and self.has_view_or_change_permission(request, front):
            events = PlacementEvent.on(front).select_related("by", "article")[:AUDIT_ROWS]
            extra_context = {
                **(extra_context or {}),
                "audit": events,
                "audit_url": PlacementEventAdmin.holder_url(front),
                "as_of_form": FrontAsOfForm(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def as_of_view(self, request, object_id):
        """The front's page as readers will see it at the moment asked for, banner included."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        front = self.get_object(request, unquote(object_id))
        if front is None:
            raise Http404("No such front.")
        form = FrontAsOfForm(request.GET or None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"{front} as of a date and time",
                "front": front,
                "form": form,
            }
            status = 400 if form.is_bound else 200
            return TemplateResponse(
                request, "admin/fronts/front/as_of.html", context, status=status
            )
        response = views.page_as_of(reader_request(request, front), front, form.cleaned_data["at"])
        response["X-Robots-Tag"] = "noindex"
        return response


def reader_request(request, front):
    """The request as a reader's of the front's page: the reader views read their own query
    string (a list's later pages), and the page drawn "as of" is the first."""
    reader = copy.copy(request)
    reader.GET = QueryDict()
    reader.path = reader.path_info = front.get_absolute_url()
    return reader


@admin.register(Zone)
class ZoneAdmin(SortableAdminBase, StorageFailureAdminMixin, admin.ModelAdmin):
    form = ZoneForm
    inlines = [PickInline]
    list_display = ["__str__", "front", "position", "layout", "size", "backfill"]
    list_filter = ["front"]
    list_select_related = ["front__section"]
    search_fields = ["heading", "anchor"]
    autocomplete_fields = ["backfill_section", "backfill_tag"]
    change_form_template = "admin/fronts/zone/change_form.html"

    class Media:
        js = ORDERING_SCRIPTS

    def get_fields(self, request, obj=None):
        fields = [
            "front", "position", "heading", "heading_link", "anchor", "layout", "size",
            "backfill", "backfill_section", "backfill_tag", "featured", "picture_shape",
            "empty_message",
        ]  # fmt: skip
        return [*fields, "base_version"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return ["front"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            services.save_zone(zone=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        picks = save_pick_formset(request, formset)
        warn_if_doubled(request, form.instance.front, picks)

    def delete_model(self, request, obj):
        services.remove_zone(zone=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for zone in queryset.select_related("front"):
            services.remove_zone(zone=zone, by=request.user)


@admin.register(Pick)
class PickAdmin(StorageFailureAdminMixin, admin.ModelAdmin):
    form = PickForm
    list_display = [
        "__str__", "zone", "front", "position", "kind", "starts_at", "ends_at", "state",
    ]  # fmt: skip
    list_filter = ["zone__front", "kind"]
    list_select_related = ["zone__front__section", "target"]
    search_fields = ["headline", "target__headline", "url"]
    autocomplete_fields = ["target"]
    readonly_fields = ["state", "history"]

    def get_fields(self, request, obj=None):
        fields = [
            "zone", "position", "target", "url", "headline", "excerpt", "image", "image_alt",
            "image_focal_point", "image_focal_x", "image_focal_y", "kind", "starts_at", "ends_at",
        ]  # fmt: skip
        if obj is None:
            return fields
        return [*fields, "state", "history", "base_version"]

    @admin.display(description="Front")
    def front(self, pick):
        return pick.zone.front

    @admin.display(description="State now")
    def state(self, pick):
        return state_text(pick)

    @admin.display(description="History")
    def history(self, pick):
        events = PlacementEvent.of(pick).select_related("by")[:AUDIT_ROWS]
        context = {"events": events, "full": PlacementEventAdmin.history_url(pick)}
        return render_to_string("admin/fronts/_audit.html", context)

    def save_model(self, request, obj, form, change):
        services.save_pick(pick=obj, by=request.user, changed_fields=form.changed_data)
        warn_if_doubled(request, obj.zone.front, [obj])

    def delete_model(self, request, obj):
        services.remove_pick(pick=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for pick in queryset.select_related("zone__front", "target"):
            services.remove_pick(pick=pick, by=request.user)
