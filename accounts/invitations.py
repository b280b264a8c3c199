"""A focal point's invitation: the one-time link that lets the person set their own password, and
the mail that carries it (recommendations.workflow.invite_focal_point makes the account and calls
these).

The link is Django's password-reset token made with a salt of its own, so a reset link is no
invitation and an invitation no reset link. Like a reset link it is invalid once the password is
set (the token hashes the password) and after INVITATION_LINK_DAYS.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from accounts.mail import message_to

logger = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        """Django's check, with the invitation's lifetime instead of PASSWORD_RESET_TIMEOUT."""
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except (AttributeError, ValueError):
            return False
        if not user or self._num_seconds(self._now()) - timestamp > settings.INVITATION_LINK_DAYS * 24 * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user, base_url):
    """The absolute link that lets `user` set their password, on the site at `base_url`."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return base_url + reverse("invitation-accept", args=[uid, invitation_tokens.make_token(user)])


def send_invitation(user, actor, link, by):
    """Mail `user` their invitation to report for `actor`, in their language. True once the mail
    server took it; False (logged) if it did not: the coordinator then passes the link on."""
    context = {"user": user, "actor": actor, "link": link, "by": by, "days": settings.INVITATION_LINK_DAYS}
    message = message_to(user, "accounts/invitation_subject.txt", "accounts/invitation_email.txt", context)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Failed to send the invitation to user %s", user.pk)
        return False
    return True


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link's page: the person sets a password, is signed in and sees the dashboard,
    which lists their actors and the assignments that need a report."""

    token_generator = invitation_tokens
    template_name = "accounts/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("dashboard")
