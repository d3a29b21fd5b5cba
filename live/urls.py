from django.urls import path

from articles import converters  # noqa: F401  (registers the dd converter)

from . import feeds, updates, views

app_name = "live"
STORY = "<int:year>/<dd:month>/<dd:day>/<slug:slug>/"
urlpatterns = [
    # The reader page is the story's own address (articles.views.article_detail draws it
    # through articles.story_formats); these are its entries' addresses.
    path(f"{STORY}entries/<int:entry_id>/", views.entry_permalink, name="entry"),
    path(f"{STORY}entries/feed/rss/", feeds.EntryFeed(), name="entries_rss"),
    path(f"{STORY}entries/feed/atom/", feeds.EntryAtomFeed(), name="entries_atom"),
    # The updates fragment a live story's page polls (live/updates.py).
    path(f"{STORY}updates/", updates.updates, name="updates"),
]
