"""Who is asking: the client's address, one rule for the login lockout, the audit trail and the API throttle."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies, the address the outermost proxy saw.

    That address is read from the right of X-Forwarded-For, where each trusted proxy appends
    the peer it saw; the left part is whatever the client sent, so it is never believed.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
