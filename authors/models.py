from django.conf import settings
from django.db import models

from content.fields import CleanTextField, SingleLineCharField
from content.images import UploadedImageField, picture_for, saved_with_picture
from content.markup import render_markdown
from newsroom.reversing import reverse


class Author(models.Model):
    name = SingleLineCharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    job_title = SingleLineCharField(
        max_length=160, blank=True, help_text="Shown under the name, e.g. “Defence correspondent”."
    )
    bio = CleanTextField(
        blank=True,
        max_length=2000,
        help_text="A short biography in Markdown, e.g. “Covers military, intelligence and geopolitics.”",
    )
    bio_html = models.TextField(blank=True, editable=False)
    photo = UploadedImageField(
        upload_to="authors/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="A head-and-shoulders picture: JPEG, PNG, WebP or GIF up to 100 megapixels.",
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff login of this person, if they have one. Contributors need none.",
    )
    email = models.EmailField(blank=True, help_text="For the desk only; never shown publicly.")
    website = models.URLField(blank=True)
    social_links = models.JSONField(
        default=list,
        blank=True,
        help_text="Profile URLs elsewhere (one per line in the form), published as sameAs.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive authors keep their stories but get no author page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.bio_html = render_markdown(self.bio)
        with saved_with_picture(self, "photo", "photo_renditions"):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})

    @property
    def initials(self):
        """Shown in place of a photo: the first letters of the first and last names."""
        words = self.name.split()
        return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()

    @property
    def photo_picture(self):
        return picture_for(self.photo, self.photo_renditions, self.photo_width, self.photo_height)
