"""Send the outbox's deliveries: claim one, POST it signed, record what came of it.

At least once, never twice at the same time: a delivery is claimed in a short transaction that
locks its row (SELECT … FOR UPDATE SKIP LOCKED, so workers pass over each other's rows) and sets a
lease, `leased_until`, for which no other worker takes it. It is sent outside any transaction,
then the outcome is recorded only if the lease is still this worker's. A worker killed mid-send
leaves the lease to run out, and the delivery is claimed and sent again. SQLite has no row locks:
there, run one worker.

A failed attempt is tried again after WEBHOOK_RETRY_SECONDS × 2^(attempts − 1), at most
WEBHOOK_MAX_ATTEMPTS times (then the delivery is dead); WEBHOOK_DISABLE_AFTER failures in a row
disable the endpoint.
"""

import asyncio
import datetime
import json
import logging
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from webhooks.addresses import check_url
from webhooks.models import Delivery, DisabledReason, Endpoint

USER_AGENT = "cvetracker-webhooks"
logger = logging.getLogger(__name__)


def retry_delay(attempts):
    """How long after its `attempts`-th failed attempt a delivery is tried again."""
    return datetime.timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1))


def claim():
    """The next due delivery, leased to this worker (its attempt counted), or None."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(status__in=Delivery.OPEN, next_attempt_at__lte=now, endpoint__active=True)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.leased_until = now + datetime.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.save(update_fields=["leased_until", "attempts", "last_attempt_at"])
    return delivery


def signed_request(delivery, address):
    """The POST of `delivery` to its endpoint, connecting to `address` (checked), signed per
    Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature."""
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    now = timezone.now()
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, now, body)
    parts = urlsplit(delivery.endpoint.url)
    host = f"[{address}]" if address.version == 6 else str(address)
    pinned = urlunsplit((parts.scheme, f"{host}:{parts.port}" if parts.port else host, parts.path, parts.query, ""))
    headers = {
        "host": parts.netloc,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    # TLS still checks the certificate against the endpoint's host name, not the address.
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return httpx.Request("POST", pinned, headers=headers, content=body.encode(), extensions=extensions)


def attempt(delivery):
    """Send `delivery` once: (HTTP status or None, error text; "" when delivered)."""
    try:
        address = check_url(delivery.endpoint.url)[0]  # resolved again: the name may point elsewhere now
    except ValidationError as refused:
        return None, refused.messages[0]
    try:
        status = asyncio.run(asyncio.wait_for(_post(signed_request(delivery, address)), settings.WEBHOOK_TIMEOUT))
    except TimeoutError:
        return None, f"No answer within {settings.WEBHOOK_TIMEOUT} s"
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if 200 <= status < 300:
        return status, ""
    return status, f"HTTP {status}"


async def _post(request):
    """The answer's status. httpx's timeouts are per phase (connect, each read); the whole exchange
    is bounded by attempt's wait_for, so a receiver trickling its answer cannot outlast the lease.
    No proxy from the environment: it would connect elsewhere than the address checked."""
    async with httpx.AsyncClient(timeout=settings.WEBHOOK_TIMEOUT, follow_redirects=False, trust_env=False) as client:
        response = await client.send(request, stream=True)  # the body is not read
        await response.aclose()
        return response.status_code


def record(delivery, response_status, error):
    """Record the attempt's outcome, if the lease is still this worker's. True if recorded."""
    now = timezone.now()
    fields = {"leased_until": None, "response_status": response_status, "last_error": error}
    if not error:
        fields |= {"status": Delivery.Status.SUCCEEDED, "delivered_at": now}
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        fields |= {"status": Delivery.Status.DEAD}
    else:
        fields |= {"status": Delivery.Status.FAILED, "next_attempt_at": now + retry_delay(delivery.attempts)}
    with transaction.atomic():
        mine = Delivery.objects.filter(pk=delivery.pk, leased_until=delivery.leased_until).update(**fields)
        if not mine:
            logger.warning("Delivery %s: the lease ran out before the outcome; another worker took it", delivery)
            return False  # its outcome is the one that counts
        endpoint = Endpoint.objects.filter(pk=delivery.endpoint_id)
        if not error:
            endpoint.filter(consecutive_failures__gt=0).update(consecutive_failures=0)
        else:
            endpoint.update(consecutive_failures=F("consecutive_failures") + 1)
            disabled = endpoint.filter(active=True, consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER).update(
                active=False, disabled_at=now, disabled_reason=DisabledReason.FAILURES
            )
    url = delivery.endpoint.url
    if not error:
        logger.info("Delivery %s to %s: delivered (HTTP %s)", delivery, url, response_status)
    else:
        logger.warning(
            "Delivery %s to %s, attempt %d: %s; %s", delivery, url, delivery.attempts, error, fields["status"]
        )
        if disabled:
            logger.warning("Endpoint %s disabled after %d failures in a row", url, settings.WEBHOOK_DISABLE_AFTER)
    return True


def deliver_due(limit=None):
    """Send due deliveries one by one until none is due (or `limit` were tried): how many were tried."""
    tried = 0
    while limit is None or tried < limit:
        delivery = claim()
        if delivery is None:
            break
        record(delivery, *attempt(delivery))
        tried += 1
    return tried


def send_again(delivery):
    """A dead delivery back in the outbox, as new (a coordinator's "send again")."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.DEAD).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), leased_until=None
    )
