from django.contrib import admin

from notifications.models import Follow, Notification


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """To read: users follow and unfollow on the pages (notifications.follows)."""

    list_display = ["created_at", "user", "event", "actor", "recommendation"]
    list_select_related = ["user", "event", "actor", "recommendation"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What users were told of, to read: only the workflow writes notifications (notifications.notices)."""

    list_display = ["created_at", "recipient", "update", "reason", "sent_at"]
    list_filter = ["reason"]
    list_select_related = ["recipient", "update__assignment__recommendation", "update__assignment__actor"]
    search_fields = ["recipient__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
