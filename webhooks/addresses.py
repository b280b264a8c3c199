"""Which addresses a webhook may be sent to: public ones only, unless WEBHOOK_ALLOWED_NETWORKS lets
a network in (the tests let in loopback). Otherwise a coordinator's endpoint could make the server
POST into its own network (SSRF).

The host is resolved when the endpoint is registered and again at each delivery, and the delivery
connects to the very address checked (sending.py), so a name that later resolves to a private
address (DNS rebinding) is refused too.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_PORTS = {"http": 80, "https": 443}


def _sendable(address):
    if address.version == 6 and address.ipv4_mapped:  # ::ffff:127.0.0.1 is 127.0.0.1
        address = address.ipv4_mapped
    if any(address in network for network in settings.WEBHOOK_ALLOWED_NETWORKS):
        return True
    # is_global is False for private, loopback, link-local, reserved, shared and unspecified ones.
    return address.is_global and not address.is_multicast


def check_url(url):
    """The addresses `url`'s host resolves to, if it is an http(s) URL and every one may be sent to;
    else ValidationError (code "address_refused" for an address that is not allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError(_("Give an http:// or https:// address."), code="scheme")
    if parts.username or parts.password:
        raise ValidationError(_("Leave the user name and password out of the address."), code="credentials")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        raise ValidationError(
            _("The host %(host)s cannot be found.") % {"host": parts.hostname}, code="unresolved"
        ) from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].partition("%")[0]) for info in found))
    refused = [address for address in addresses if not _sendable(address)]
    if refused:
        message = _(
            "%(host)s is a private, loopback, link-local or reserved address (%(address)s): "
            "webhooks go to public addresses only."
        )
        raise ValidationError(message % {"host": parts.hostname, "address": refused[0]}, code="address_refused")
    return addresses
