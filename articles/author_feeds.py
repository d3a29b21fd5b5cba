"""An author's RSS and Atom feeds: their stories, so they live with the stories."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.html import escape

from authors.models import Author

from .feeds import FEED_LENGTH, StoryFeed, atom_twin
from .models import Article


class AuthorFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug, is_active=True)

    def items(self, obj):
        # In by_author's order, which the author's byline index holds (newest_first would not).
        return Article.objects.live().for_detail().by_author(obj)[:FEED_LENGTH]

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return escape(f"Stories by {obj.name} from {settings.NEWSROOM_SITE_NAME}.")

    def link(self, obj):
        return obj.get_absolute_url()


AuthorAtomFeed = atom_twin(AuthorFeed)
