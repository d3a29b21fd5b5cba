"""What the teasers under a story and the picks on a front share: a link to a story or to an
address, shown within a time window, and one append-only audit trail of their changes."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from content.markup import excerpt


def windows_overlap(starts_a, ends_a, starts_b, ends_b):
    """Whether two half-open windows [starts, ends) share an instant; None is open-ended."""
    return (starts_a is None or ends_b is None or starts_a < ends_b) and (
        starts_b is None or ends_a is None or starts_b < ends_a
    )


def window_contains(at, prefix=""):
    """The condition that a row's [starts_at, ends_at) window contains ``at``; either may be open."""
    starts, ends = f"{prefix}starts_at", f"{prefix}ends_at"
    return (Q(**{f"{starts}__isnull": True}) | Q(**{f"{starts}__lte": at})) & (
        Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gt": at})
    )


def window_text(starts_at, ends_at):
    return " – ".join(
        timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "open"
        for moment in (starts_at, ends_at)
    )


class Placement:
    """For a model with ``target`` (a story) or ``url``, ``headline`` and ``excerpt_text``
    overrides, a ``position`` and a ``starts_at``/``ends_at`` window."""

    @property
    def display_headline(self):
        return self.headline or (self.target.headline if self.target_id else self.url)

    @property
    def display_excerpt(self):
        """Plain text, at most 160 characters: the override, else the target's dek or body start."""
        text = self.excerpt_text or (self.target.teaser_text if self.target_id else "")
        return excerpt(text, 160)

    @property
    def is_external(self):
        return not self.target_id

    @property
    def href(self):
        return self.target.get_absolute_url() if self.target_id else self.url

    def link_errors(self):
        """What ``clean()`` says of the link and the window: a story or an address (one of
        them), a headline for an address, a window that ends after it starts."""
        errors = {}
        if self.target_id and self.url:
            errors["url"] = "Link to a story or to an external address, not both."
        elif not self.target_id and not self.url:
            errors["target"] = "Pick a story, or give an external address."
        elif self.url and not self.headline:
            errors["headline"] = "An external link needs a headline."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The window must end after it starts."
        return errors

    def window_state(self, at):
        """ "ended", "upcoming", "waiting" (in its window, its story not live) or "running"."""
        if self.ends_at and self.ends_at <= at:
            return "ended"
        if self.starts_at and self.starts_at > at:
            return "upcoming"
        if self.target_id and not self.target.is_live(at):
            return "waiting"
        return "running"

    def describe(self):
        """One line for the audit trail: what it pointed at, where it stood and when it ran."""
        link = f"story #{self.target_id}" if self.target_id else self.url
        return (
            f"“{self.display_headline}” → {link}; position {self.position}; "
            f"window {window_text(self.starts_at, self.ends_at)}"
        )

    # What the audit trail files a record under; a model may say otherwise.

    def audit_story_id(self):
        """The story whose history shows this record."""
        return self.target_id

    def audit_holder(self):
        """What the placement is placed on (a story, a front)."""
        raise NotImplementedError


class PlacementEvent(models.Model):
    """Append-only audit trail of teaser and front-pick changes; survives the row's removal."""

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        MOVED = "moved", "Moved"
        REMOVED = "removed", "Removed"
        BLOCKED = "blocked", "Blocked: never shown here"

    article = models.ForeignKey(
        "Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="placement_events",
        help_text="The story whose history shows this record.",
    )
    placement_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    placement_pk = models.PositiveBigIntegerField(help_text="The row's id, kept after removal.")
    holder_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    holder_pk = models.PositiveBigIntegerField(help_text="Where it was placed: a story, a front.")
    action = models.CharField(max_length=10, choices=Action.choices)
    description = models.TextField(help_text="The row as it stood after the change.")
    changed_fields = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["article", "-at"], name="placementevent_article_at_idx"),
            models.Index(
                fields=["placement_type", "placement_pk", "-at"], name="placementevent_row_at_idx"
            ),
            models.Index(
                fields=["holder_type", "holder_pk", "-at"], name="placementevent_holder_at_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.description}"

    @classmethod
    def record(cls, *, placement, action, by, changed_fields=()):
        holder = placement.audit_holder()
        return cls.objects.create(
            article_id=placement.audit_story_id(),
            placement_type=ContentType.objects.get_for_model(placement),
            placement_pk=placement.pk,
            holder_type=ContentType.objects.get_for_model(holder),
            holder_pk=holder.pk,
            action=action,
            description=placement.describe(),
            changed_fields=", ".join(changed_fields),
            by=by,
        )

    @classmethod
    def of(cls, placement):
        """The records of one teaser or pick, newest first."""
        return cls.objects.filter(
            placement_type=ContentType.objects.get_for_model(placement),
            placement_pk=placement.pk,
        )

    @classmethod
    def on(cls, holder):
        """The records of everything placed on one story or front, newest first."""
        return cls.objects.filter(
            holder_type=ContentType.objects.get_for_model(holder), holder_pk=holder.pk
        )
