"""The fronts' querysets: which picks show at a moment, and when that next changes."""

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from articles.models import window_contains
from articles.querysets import live_condition


class ZoneQuerySet(QuerySet):
    def of_front(self, *, kind, section=None):
        zones = self.filter(front__kind=kind)
        if section is not None:
            zones = zones.filter(front__section=section)
        return zones.select_related("front", "backfill_section", "backfill_tag")


class PickQuerySet(QuerySet):
    def showing(self, at=None):
        """Picks whose window contains ``at`` and whose story (if they link to one) is live."""
        at = at or timezone.now()
        return self.filter(
            window_contains(at), Q(target__isnull=True) | live_condition(at, prefix="target__")
        )

    def for_front(self):
        return (
            self.select_related("target__section")
            .defer(
                "target__body", "target__body_html", "target__body_text", "target__search_vector"
            )
            .order_by("zone__position", "zone_id", "position", "id")
        )

    def next_changes(self, at):
        """The next moments at which a pick's window opens or closes (a story's own going live
        is the stories' schedule). One query: a front holds tens of picks, not millions."""
        moments = self.filter(Q(starts_at__gt=at) | Q(ends_at__gt=at)).aggregate(
            starts=Min("starts_at", filter=Q(starts_at__gt=at)),
            ends=Min("ends_at", filter=Q(ends_at__gt=at)),
        )
        return moments["starts"], moments["ends"]
