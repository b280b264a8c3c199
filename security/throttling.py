"""Request rates (settings.REST_FRAMEWORK DEFAULT_THROTTLE_RATES): the API's (API_THROTTLE_ANON/USER/SIGN_IN),
the password reset page's (PASSWORD_RESET_PER_ADDRESS/CLIENT, security/password_reset.py) and the
focal-point invitations' (INVITATIONS_PER_COORDINATOR/ADDRESS, recommendations.workflow.invite_focal_point).

DRF's own classes read the rates once, at import; these read them for each request, so a
changed setting (a test, a reloaded configuration) takes effect. Clients are told apart by
security.client.client_ip, the address the login lockout and the audit trail use too.
"""

import hashlib
import math

from django.utils.translation import ngettext
from rest_framework import exceptions, status, throttling
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


class _PerClient(_LiveRates, throttling.SimpleRateThrottle):
    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInRateThrottle(_PerClient):
    """Token requests per address, whoever they name: the lockout counts per username, this stops
    one address from trying many usernames."""

    scope = "sign_in"


class PasswordResetClientThrottle(_PerClient):
    """Password reset requests per client address, whichever e-mail addresses they name."""

    scope = "password_reset_client"


class _PerAddress(_LiveRates, throttling.SimpleRateThrottle):
    """Requests per e-mail address, from whichever clients: no inbox is flooded."""

    def __init__(self, email):
        super().__init__()
        # A digest: the cache holds no address, and any address makes a valid key.
        self.address = hashlib.sha256(email.strip().lower().encode()).hexdigest()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.address}


class PasswordResetAddressThrottle(_PerAddress):
    scope = "password_reset_address"


class _CountedOnRecord:
    """A limit that judges a request without counting it; record() counts it. Several limits are
    judged first and counted only once all of them allow and the work is done, so a refusal leaves
    every count as it was."""

    def throttle_success(self):
        return True

    def record(self):
        if self.rate is not None:
            super().throttle_success()


class InvitationAddressThrottle(_CountedOnRecord, _PerAddress):
    """Invitations mailed to one address, by whichever coordinators."""

    scope = "invitations_address"


class InvitationCoordinatorThrottle(_CountedOnRecord, _LiveRates, throttling.SimpleRateThrottle):
    """Invitations mailed by one coordinator, to whichever addresses."""

    scope = "invitations_coordinator"

    def __init__(self, coordinator):
        super().__init__()
        self.coordinator = coordinator

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.coordinator.pk}


class SignInThrottled(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "sign_in_throttled"

    def __init__(self, wait):
        seconds = max(1, math.ceil(wait or 0))
        super().__init__(
            ngettext(
                "Too many sign-in attempts from your address. Try again in %(seconds)d second.",
                "Too many sign-in attempts from your address. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds}
        )
        self.wait = seconds  # DRF sends it as Retry-After
