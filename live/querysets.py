"""Which entries readers see at a moment, and when that next changes."""

from django.db.models import Min, QuerySet
from django.utils import timezone


class EntryQuerySet(QuerySet):
    def public(self, at=None):
        """Entries whose time has come. The story's own visibility is the story page's rule."""
        return self.filter(publish_at__lte=at or timezone.now())

    def stream(self):
        return self.select_related("author").order_by("-publish_at", "-id")

    def next_changes(self, at):
        """The next moment a scheduled entry goes out."""
        return (self.filter(publish_at__gt=at).aggregate(moment=Min("publish_at"))["moment"],)
