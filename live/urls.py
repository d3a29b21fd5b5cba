from django.urls import path

from articles import converters  # noqa: F401  (registers the dd converter)

from . import updates

app_name = "live"
urlpatterns = [
    # The updates fragment a live story's page polls (live/updates.py).
    path(
        "<int:year>/<dd:month>/<dd:day>/<slug:slug>/updates/",
        updates.updates,
        name="updates",
    ),
]
