from .views import sections_in_order


def navigation(request):
    # A callable, so only templates that draw the navigation fetch it; kept in the cache until the
    # content changes, so most pages spend no query on it.
    return {"nav_sections": sections_in_order}
