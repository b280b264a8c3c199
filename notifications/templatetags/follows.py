from django import template
from django.urls import reverse

from notifications import follows
from notifications.models import TARGETS

register = template.Library()


@register.inclusion_tag("notifications/includes/follow_form.html", takes_context=True)
def follow_form(context, target):
    """The follow or unfollow button of `target` for a signed-in reader (one query), nothing for others."""
    request = context["request"]
    user = request.user
    return {
        "signed_in": user.is_authenticated,
        "following": follows.follows(user, target),
        "action_url": reverse(f"{TARGETS[type(target)]}-follow", args=[target.pk]),
        "next": request.get_full_path(),
        "target": target,
        "csrf_token": context.get("csrf_token"),
    }
