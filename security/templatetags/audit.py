"""{% audit_history obj %}: the change history of `obj`, shown to coordinators only.

Used on the event, recommendation and assignment pages and on the admin's history page.
Renders nothing for other users and for objects the audit trail does not track.
"""

from django import template

from security.audit import history_for

register = template.Library()


@register.inclusion_tag("security/audit_history.html", takes_context=True)
def audit_history(context, obj):
    request = context.get("request")
    entries = history_for(request.user, obj) if request is not None else None
    return {"entries": entries, "visible": entries is not None}
