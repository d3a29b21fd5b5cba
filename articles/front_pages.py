"""The home page and the section pages can be drawn by another app: the fronts app registers the
views that draw a curated front (from its ``AppConfig.ready()``), and this app, which knows
nothing of fronts, asks here first. Without one, the pages are the automatic lists."""

_views = {}


def register(page, view):
    """``page`` is "home" (``view(request)``) or "section" (``view(request, section)``). The
    view answers with a response, or None to leave the page to its automatic list."""
    _views[page] = view


def unregister(page):
    _views.pop(page, None)


def view_for(page):
    return _views.get(page)
