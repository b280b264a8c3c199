"""Password reset by e-mail: Django's views, with the mail in the recipient's language, sent off
the request's path, and a rate limit per address and per client.

Nothing tells whether an address belongs to an account. Django's form answers every address with
the same "check your inbox" page and mails only active users with a usable password; here the
SMTP conversation (the slow part, and the one that differs) happens on a thread of its own, so
the answer comes as fast for an unknown address as for a known one.

The limits (PASSWORD_RESET_PER_ADDRESS, PASSWORD_RESET_PER_CLIENT) count every request, whether
the address exists or not. Over the address's limit the neutral page comes back and nothing is
sent: a refusal there would tell a stranger that someone else asked for that address lately. Over
the client's limit a 429 page: it speaks only of the client's own requests.

A new password set through the reset link revokes the user's API tokens, like any password change
(security/tokens.py).
"""

import logging
import math
import threading

from django.contrib.auth import forms, views
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework import status

from accounts.mail import message_to
from security.throttling import PasswordResetAddressThrottle, PasswordResetClientThrottle

logger = logging.getLogger(__name__)


class PasswordResetForm(forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Django's mail, in the recipient's stored language (else the request's), sent on a thread."""
        user = context["user"]
        message = message_to(user, subject_template_name, email_template_name, context, to=to_email)
        if from_email:  # Django's view passes None: keep message_to's DEFAULT_FROM_EMAIL
            message.from_email = from_email
        threading.Thread(target=_send, args=(message, user.pk), name="password-reset-mail").start()


def _send(message, user_pk):
    try:
        message.send()
    except Exception:  # a thread's exception reaches nobody: log it, as Django's form does
        logger.exception("Failed to send password reset email to %s", user_pk)


class PasswordResetView(views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        client = PasswordResetClientThrottle()
        if not client.allow_request(self.request, self):
            return _too_many(self.request, client.wait())
        if not PasswordResetAddressThrottle(form.cleaned_data["email"]).allow_request(self.request, self):
            return super(views.PasswordResetView, self).form_valid(form)  # the neutral page, nothing sent
        return super().form_valid(form)


def _too_many(request, wait):
    minutes = max(1, math.ceil((wait or 0) / 60))
    message = ngettext(
        "Too many password reset requests from your address. Try again in %(minutes)d minute.",
        "Too many password reset requests from your address. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(
        request, "security/too_many_resets.html", {"message": message}, status=status.HTTP_429_TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(math.ceil(wait or 0))
    return response
