from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "web"
    verbose_name = _("Web pages")

    def ready(self):
        from django.contrib import messages
        from django.contrib.auth.signals import user_logged_out

        def confirm_logout(sender, request, **kwargs):
            # LOGOUT_REDIRECT_URL sends people on to the dashboard: say there that it worked.
            if request is not None:
                # fail_silently: a logout outside the middleware stack (the test client's) has no messages.
                messages.info(request, "You have logged out.", fail_silently=True)

        user_logged_out.connect(confirm_logout, dispatch_uid="web-confirm-logout")
