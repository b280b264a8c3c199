from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations and reporting")

    def ready(self):
        from recommendations import checks  # noqa: F401 (registers the database checks)
        from recommendations.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="recommendations.sync_roles")
