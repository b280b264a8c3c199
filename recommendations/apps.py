from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and reporting"

    def ready(self):
        from recommendations import checks  # noqa: F401 (registers the database checks)
