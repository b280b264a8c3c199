from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and actors")

    def ready(self):
        from events.search import unicode_lower_for_sqlite

        connection_created.connect(unicode_lower_for_sqlite)
