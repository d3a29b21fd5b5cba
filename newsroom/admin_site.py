"""The admin site: Django's own, named after the site, with "View on site" held to the admin's
rules for each object."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path


class SubmittedChoicesMixin:
    """Django's autocomplete widgets, showing again only submitted values that can be keys.

    A form refused for any reason is shown again with what was posted, and Django's widget looks
    the posted value up as it is: "abc" or a NUL for an integer key raises a ValueError there, a
    500 instead of the form's own "Select a valid choice".
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if _is_key(key, v)], attr)


def _is_key(field, value):
    try:
        field.clean(value, None)
    except ValidationError:
        return False
    return True


class AutocompleteSelect(SubmittedChoicesMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(SubmittedChoicesMixin, widgets.AutocompleteSelectMultiple):
    pass


class NewsroomAdminSite(admin.AdminSite):
    @property
    def site_header(self):
        return settings.NEWSROOM_SITE_NAME

    @property
    def site_title(self):
        return f"{settings.NEWSROOM_SITE_NAME} admin"

    @property
    def index_title(self):
        return f"{settings.NEWSROOM_SITE_NAME} desk"

    def get_urls(self):
        checked = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [
            checked if getattr(url, "name", None) == "view_on_site" else url
            for url in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's redirect to an object's public page, for objects the user may open here.

        Django's view asks only for a staff login, and a draft's address carries its slug, made
        from its headline: a story the user may not open must look as if it did not exist.
        """
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404("No such object.") from None
        model_admin = self._registry.get(model)
        obj = model_admin.get_object(request, unquote(object_id)) if model_admin else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
