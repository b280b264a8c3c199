from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.invitations import AcceptInvitationView
from accounts.language import set_language
from cvetracker.views import LogoutView, favicon, healthz
from security.password_change import PasswordChangeView, admin_password_change
from security.password_reset import PasswordResetView

handler400 = "cvetracker.views.bad_request"

admin.site.site_header = _("cvetracker administration")
admin.site.site_title = "cvetracker"
admin.site.index_title = _("Events, recommendations and reporting")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # Before the admin's own URLs: its password change page, with wrong passwords counted.
    path("admin/password_change/", admin.site.admin_view(admin_password_change)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),  # the language switch (accounts/language.py)
    # Sign-in, sign-out, password change and password reset by e-mail (security/password_reset.py).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # A focal point's invitation link (accounts/invitations.py): set a password, signed in.
    path("accounts/invitation/<uidb64>/<token>/", AcceptInvitationView.as_view(), name="invitation-accept"),
    path("imports/", include("imports.urls")),
    path("", include("reminders.urls")),  # the reminders' settings and the mailed link that stops them
    path("", include("notifications.urls")),  # follow buttons, each user's notifications page, the stop link
    path("", include("webhooks.urls")),  # the coordinators' webhook pages, under /coordinate/webhooks/
    path("", include("web.urls")),
]
