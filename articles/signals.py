from django.db.models.signals import pre_save
from django.dispatch import Signal, receiver
from taggit.models import Tag

from content.markup import clean_single_line

# Sent once a workflow transition of articles/services.py has committed (arguments: article,
# action, by, fields; see that module's docstring).
story_changed = Signal()


@receiver(pre_save, sender=Tag)
def clean_tag_name(sender, instance, **kwargs):
    # Tag names are taggit's own field: give them the rules of every other one-line field here.
    instance.name = clean_single_line(instance.name)


@receiver(pre_save, sender=Tag)
def give_every_tag_a_slug(sender, instance, **kwargs):
    # taggit slugifies the name; one with no letters or digits ("!!!") would get an empty slug and
    # no address. taggit's own retry then appends "_1", "_2" … if "tag" is taken.
    if not instance.slug:
        instance.slug = "tag"
