"""Sections of the site: a story belongs to one."""

from django.db import models

from content.fields import SingleLineCharField
from newsroom.reversing import reverse


class Section(models.Model):
    name = SingleLineCharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = SingleLineCharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the navigation in this order."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})
