from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security and audit trail"

    def ready(self):
        from security import audit, lockout, tokens

        audit.track_models()
        lockout.connect_api_lockout()
        tokens.connect_revocation()
