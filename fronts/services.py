"""Every change to a front goes through here: each pick added, moved, re-timed or removed is
recorded in the audit trail the teasers share (``PlacementEvent``), and counts the front's
version up, which is what the editors' screen checks to refuse a save made over another's."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import PlacementEvent
from articles.services import changed_meanwhile

from .models import Front, Pick

# What a change of these fields alone is called in the audit trail.
MOVE_FIELDS = {"position", "zone"}


class FrontChanged(Exception):
    """Another editor saved the front since this editor's copy was made."""


def check_version(front, base_version):
    """Lock the front's row for this transaction and refuse a save based on an older version,
    naming who changed it and when."""
    locked = (
        # Only the front's row: PostgreSQL locks no row of an outer join (changed_by may be empty).
        Front.objects.select_for_update(of=("self",))
        .select_related("changed_by")
        .only("version", "changed_at", "changed_by")
        .get(pk=front.pk)
    )
    if base_version is not None and base_version != locked.version:
        raise FrontChanged(changed_meanwhile("front", by=locked.changed_by, at=locked.changed_at))
    return locked


def touch(front, by):
    """Count the front's version up: one per saved change, whoever made it."""
    Front.objects.filter(pk=front.pk).update(
        version=F("version") + 1, changed_at=timezone.now(), changed_by=by
    )


@transaction.atomic
def save_pick(*, pick, by, changed_fields=()):
    adding = pick._state.adding
    if adding:
        pick.created_by = by
    pick.save()
    fields = () if adding else tuple(changed_fields)
    if adding:
        action = PlacementEvent.Action.ADDED
    elif fields and set(fields) <= MOVE_FIELDS:
        action = PlacementEvent.Action.MOVED
    else:
        action = PlacementEvent.Action.CHANGED
    PlacementEvent.record(placement=pick, action=action, by=by, changed_fields=fields)
    touch(pick.zone.front, by)
    return pick


@transaction.atomic
def remove_pick(*, pick, by):
    """Delete a pick; the audit trail keeps what it was."""
    PlacementEvent.record(placement=pick, action=PlacementEvent.Action.REMOVED, by=by)
    front = pick.zone.front
    pick.delete()
    touch(front, by)


@transaction.atomic
def save_zone(*, zone, by):
    zone.save()
    touch(zone.front, by)
    return zone


@transaction.atomic
def remove_zone(*, zone, by):
    """Delete a zone and its picks, each pick's removal recorded."""
    for pick in zone.picks.select_related("zone__front", "target"):
        PlacementEvent.record(placement=pick, action=PlacementEvent.Action.REMOVED, by=by)
    front = zone.front
    zone.delete()
    touch(front, by)


@transaction.atomic
def remove_front(*, front, by):
    """Delete a front with its zones and picks, each pick's removal recorded."""
    for pick in Pick.objects.filter(zone__front=front).select_related("zone__front", "target"):
        PlacementEvent.record(placement=pick, action=PlacementEvent.Action.REMOVED, by=by)
    front.delete()
