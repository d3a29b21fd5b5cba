"""Old addresses of live stories, answered with a 301."""

from django.db import models


class ArticleRedirect(models.Model):
    """An address a live story used to have; the story view answers it with a 301.

    Written by ``articles.services.save_story`` (and the revert) when a save moves a live story.
    """

    old_path = models.CharField(max_length=300, unique=True)
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    @classmethod
    def remember(cls, *, old_path, article):
        cls.objects.update_or_create(old_path=old_path, defaults={"article": article})
        # The story's current address is no longer an old one.
        cls.objects.filter(old_path=article.get_absolute_url()).delete()
