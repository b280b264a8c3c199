"""Write the deliveries of a change, in the transaction that makes it (recommendations.workflow
calls enqueue inside its atomic blocks): they commit with the change, or roll back with it."""

import uuid

from django.utils import timezone

from webhooks.models import Delivery, Endpoint


def enqueue(event_type, build):
    """One delivery of each event `build()` describes (a list of payload data: the API's view of
    each changed object) to every active endpoint subscribed to `event_type`.

    One query when nobody is subscribed, and `build` is not even called; else one more to insert
    the deliveries (per 500), plus what `build` reads."""
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(active=True).only("event_types")
        if endpoint.subscribes(event_type)
    ]
    if not endpoints:
        return []
    now = timezone.now()
    timestamp = now.isoformat().replace("+00:00", "Z")
    deliveries = [
        Delivery(
            endpoint=endpoint,
            event_type=event_type,
            message_id=f"msg_{uuid.uuid4().hex}",
            # The Standard Webhooks envelope: type, timestamp, data.
            payload={"type": event_type, "timestamp": timestamp, "data": data},
            next_attempt_at=now,
            created_at=now,
        )
        for data in build()
        for endpoint in endpoints
    ]
    return Delivery.objects.bulk_create(deliveries, batch_size=500)
