from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.utils.functional import SimpleLazyObject

from security.client import client_ip


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, with two changes.

    The actor is looked up when an entry is written, not when the request arrives: the API
    authenticates tokens inside the view, after every middleware has run (DRF then sets the
    user on the underlying request too). The address is the one the login lockout uses.
    """

    @staticmethod
    def _get_actor(request):
        return SimpleLazyObject(lambda: BaseAuditlogMiddleware._get_actor(request))

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)
