"""A story's page can be drawn by another app for a format the story carries: the live app
registers the view that draws a live coverage story (from its ``AppConfig.ready()``), and
``article_detail``, which knows nothing of live, asks here first. Without one, a story of any
format is the plain story page."""

_views = {}


def register(story_format, view):
    """``story_format`` is "coverage" (a story with ``coverage`` set). ``view(request, context,
    at)`` answers with the page, given the story page's context (the story, its related strip
    and corrections) and the moment it is drawn for."""
    _views[story_format] = view


def unregister(story_format):
    _views.pop(story_format, None)


def view_for(article):
    """The view that draws ``article``'s page, or None for the plain story page."""
    return _views.get("coverage") if article.coverage else None
