from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.utils.functional import SimpleLazyObject

from security.client import client_ip


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, with three changes.

    The actor is looked up when an entry is written, not when the request arrives: the API
    authenticates tokens inside the view, after every middleware has run (DRF then sets the
    user on the underlying request too). The address is the one the login lockout uses. The
    actor's e-mail address is not copied into each entry: the entry names the account.
    """

    def get_extra_data(self, request):
        # auditlog sets every LogEntry field named here after its own actor_email copy.
        return {**super().get_extra_data(request), "actor_email": None}

    @staticmethod
    def _get_actor(request):
        return SimpleLazyObject(lambda: BaseAuditlogMiddleware._get_actor(request))

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)
