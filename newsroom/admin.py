"""Admin registrations of the apps the project uses but does not own."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes' action reads the attempt time its login handling sets on the request,
        # which an admin request does not have; without it the action is a server error.
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)
