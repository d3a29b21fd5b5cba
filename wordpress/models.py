"""What an import from WordPress remembers: where each story and author came from, and the old
archive addresses (categories, tags) that now answer with a 301."""

from django.db import models
from taggit.models import Tag

from articles.models import Article, Section
from authors.models import Author
from newsroom.reversing import reverse


class ImportedPost(models.Model):
    """A WordPress post (or page) that became a story, keyed by its site and post id."""

    site = models.CharField(max_length=200, help_text="The WordPress site's base address.")
    wp_id = models.PositiveBigIntegerField("WordPress id")
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="wordpress")
    post_type = models.CharField(max_length=40, default="post")
    wp_status = models.CharField("WordPress status", max_length=20)
    original_url = models.URLField("original URL", max_length=500, blank=True)
    # A digest of everything the story was made from: a re-run changes only what changed.
    content_hash = models.CharField(max_length=64)
    # The uploads path of the featured image the hero was made from.
    hero_source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, help_text="What the import had to say about this post.")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress post"
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="wordpress_post_once"),
        ]

    def __str__(self):
        return f"{self.site} #{self.wp_id}"


class ImportedAuthor(models.Model):
    """A WordPress user or Co-Authors Plus guest author that became an author."""

    site = models.CharField(max_length=200)
    login = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "login"], name="wordpress_author_once"),
        ]

    def __str__(self):
        return f"{self.site} {self.login}"


class ArchiveRedirect(models.Model):
    """An old category or tag archive address, answered with a 301 to a section or tag page."""

    site = models.CharField(max_length=200)
    old_path = models.CharField(max_length=300, unique=True)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(section__isnull=False) | models.Q(tag__isnull=False),
                name="wordpress_archive_has_target",
            ),
        ]

    def __str__(self):
        return self.old_path

    def target(self):
        if self.section_id:
            return self.section.get_absolute_url()
        return reverse("articles:tag", kwargs={"slug": self.tag.slug})
