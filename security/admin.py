"""The user admin, with the dates that record what happened read-only.

Django's own user form posts `date_joined` back to the second, so every save of a user dropped its
microseconds, a real change the audit trail then logged as "date joined" changed. Nobody edits
when an account was created or last used, so the form no longer carries those dates at all.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin  # importing it registers the admin replaced here
from django.contrib.auth import get_user_model

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    readonly_fields = ["last_login", "date_joined"]
