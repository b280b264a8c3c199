"""Endpoints and their deliveries in the admin, for coordinators only (permissions.can_manage_webhooks):
the Coordinators group holds no model permission for them, the rule decides."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from recommendations import permissions
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint


class CoordinatorsOnly:
    def has_module_permission(self, request):
        return permissions.can_manage_webhooks(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_webhooks(request.user)

    def has_add_permission(self, request):
        return permissions.can_manage_webhooks(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_webhooks(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_webhooks(request.user)


@admin.register(Endpoint)
class EndpointAdmin(CoordinatorsOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "active", "consecutive_failures", "disabled_at", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "consecutive_failures", "disabled_at", "disabled_reason", "created_by", "created_at"]
    actions = ["rotate_secrets"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Rotate the signing secrets of the selected endpoints"))
    def rotate_secrets(self, request, queryset):
        for endpoint in queryset:
            endpoint.rotate_secret()
        messages.success(request, _("New signing secrets made; give them to the receivers."))


@admin.register(Delivery)
class DeliveryAdmin(CoordinatorsOnly, admin.ModelAdmin):
    """The delivery log, to read: only the outbox and deliver_webhooks write deliveries."""

    list_display = [
        "created_at",
        "message_id",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "response_status",
        "last_error",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint"]
    search_fields = ["message_id", "endpoint__url"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
