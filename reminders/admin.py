from django.contrib import admin

from reminders.models import Preference, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """What was sent, to read: only send_reminders writes reminders."""

    list_display = ["sent_at", "recipient", "assignment", "threshold", "counted_from", "sequence"]
    list_filter = ["threshold"]
    list_select_related = ["recipient", "assignment__recommendation", "assignment__actor"]
    search_fields = ["recipient__username", "assignment__recommendation__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "send_reminders", "send_digests"]
    list_filter = ["send_reminders", "send_digests"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]
