from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.language import set_language
from cvetracker.views import LogoutView, favicon, healthz
from security.password_change import PasswordChangeView, admin_password_change

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
    # Sign-in, sign-out and password change; no self-service password reset, since the
    # tracker sends no mail: a coordinator or admin resets a forgotten password.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("web.urls")),
]
