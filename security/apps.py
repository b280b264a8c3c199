from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security and audit trail")

    def ready(self):
        from security import audit, lockout, tokens

        audit.track_models()
        lockout.connect_api_lockout()
        tokens.connect_revocation()
