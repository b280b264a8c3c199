"""The password change pages (the site's and the admin's), with the current-password check under
the login lockout.

Whoever holds a signed-in session (a borrowed computer, a stolen cookie) could otherwise try
passwords there without limit. A wrong current password counts as a failed sign-in for that
username and address; at the limit, and while locked out, the page answers the lockout's 429.
"""

from django.contrib import admin
from django.contrib.auth import forms, views
from django.core.exceptions import ValidationError
from django.urls import reverse

from security import lockout


class PasswordChangeForm(forms.PasswordChangeForm):
    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        if lockout.is_locked_out(self.request, self.user):
            raise ValidationError(lockout.message(), code="locked_out")
        try:
            return super().clean_old_password()
        except ValidationError:
            lockout.count_failure(self.request, self.user)
            raise


class PasswordChangeView(views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class AdminPasswordChangeForm(PasswordChangeForm):
    required_css_class = "required"  # as the admin's own form


def admin_password_change(request):
    """AdminSite.password_change, with the form above (the admin offers no way to swap its form)."""
    request.current_app = admin.site.name
    return PasswordChangeView.as_view(
        form_class=AdminPasswordChangeForm,
        success_url=reverse("admin:password_change_done"),
        extra_context=admin.site.each_context(request),
    )(request)
