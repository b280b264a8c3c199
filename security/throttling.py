"""API request rates (settings.REST_FRAMEWORK DEFAULT_THROTTLE_RATES, from API_THROTTLE_ANON/USER).

DRF's own classes read the rates once, at import; these read them for each request, so a
changed setting (a test, a reloaded configuration) takes effect. Clients are told apart by
security.client.client_ip, the address the login lockout and the audit trail use too.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from security.client import client_ip


class _LiveRates:
    @property
    def THROTTLE_RATES(self):  # noqa: N802 - the name DRF looks up
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(_LiveRates, throttling.AnonRateThrottle):
    """Anonymous clients, per address."""


class UserRateThrottle(_LiveRates, throttling.UserRateThrottle):
    """Signed-in clients, per user."""
