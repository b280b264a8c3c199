"""What a locked-out login gets (django-axes, configured in settings): a 429 with one message.

The login page, the password change page and the admin are plain Django views: axes' middleware
answers a locked-out attempt with `lockout_response`, a page. DRF authenticates with its own
Request object, which that middleware never sees, so for API requests (the token endpoint) the
lockout signal raises a 429 that the API renders as JSON like its other errors. A lockout also
revokes the user's API tokens: whoever guessed may have found the password.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model, user_login_failed
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.request import Request

from security import tokens


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(message())
        self.wait = _cooloff_seconds()  # DRF sends it as Retry-After


def _cooloff_seconds():
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def message():
    minutes = _cooloff_seconds() // 60
    try_again = ngettext(
        "Try again in %(minutes)d minute, or ask an administrator to unlock the account.",
        "Try again in %(minutes)d minutes, or ask an administrator to unlock the account.",
        minutes,
    ) % {"minutes": minutes}
    return _("Too many failed sign-in attempts for this username from your address. %(try_again)s") % {
        "try_again": try_again
    }


def lockout_response(request, original_response=None, credentials=None):
    response = render(
        request, "security/locked_out.html", {"message": message()}, status=status.HTTP_429_TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(_cooloff_seconds())
    return response


def is_locked_out(request, user):
    """Is `user` locked out at this request's address? Then the middleware answers with the lockout page."""
    locked = AxesProxyHandler.is_locked(request, {"username": user.get_username()})
    if locked:
        request.axes_locked_out = True
    return locked


def count_failure(request, user):
    """A wrong password typed outside `authenticate` (the current one on the password change page)
    counts towards the lockout like a failed sign-in."""
    user_login_failed.send(__name__, credentials={"username": user.get_username()}, request=request)


def _refuse_api_login(sender, request=None, **kwargs):
    if isinstance(request, Request):
        raise LockedOut()


def _revoke_tokens(sender, username=None, **kwargs):
    for user in get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}):
        tokens.revoke(user)


def connect_api_lockout():
    user_locked_out.connect(_revoke_tokens, dispatch_uid="security-lockout-revokes-tokens")
    user_locked_out.connect(_refuse_api_login, dispatch_uid="security-api-lockout")
