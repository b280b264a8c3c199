"""API tokens (DRF's authtoken): they expire API_TOKEN_TTL after they are issued, and a password
change or a deactivation revokes them (the lockout does too: security/lockout.py).

A revocation deletes the user's token, so the old one answers 401 and the next POST
/api/auth/token/ issues a new one. An expired token is left in place until then: reading with it
writes nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("This token has expired. Get a new one with POST /api/auth/token/.")
    default_code = "token_expired"


def expires(token):
    return token.created + settings.API_TOKEN_TTL


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, refusing tokens past their expiry."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expires(token) <= timezone.now():
            raise TokenExpired()
        return user, token


def issue(user):
    """The user's token: the current one while it lasts, else a new one."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and expires(token) <= timezone.now():
        token.delete()
        token = Token.objects.create(user=user)
    return token


def revoke(user):
    Token.objects.filter(user=user).delete()


def _note_revoking_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a user is saved: does this save change the password or deactivate the user?"""
    instance._revokes_tokens = False
    if raw or instance._state.adding or not (_password_set(instance) or not instance.is_active):
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before:
        deactivated = before["is_active"] and not instance.is_active
        new_password = _password_set(instance) and instance.password != before["password"]
        instance._revokes_tokens = deactivated or new_password


def _password_set(user):
    # set_password() (the pages, the admin, `changepassword`) keeps the new password in _password
    # until the save: Django's own sign of a change, which it clears when it merely rehashes the
    # same password at sign-in. set_unusable_password() leaves a hash that signs nobody in.
    return getattr(user, "_password", None) is not None or not user.has_usable_password()


def _revoke_after_save(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_revokes_tokens", False):
        revoke(instance)
        instance._revokes_tokens = False


def connect_revocation():
    user_model = get_user_model()
    pre_save.connect(_note_revoking_change, sender=user_model, dispatch_uid="security-tokens-note")
    post_save.connect(_revoke_after_save, sender=user_model, dispatch_uid="security-tokens-revoke")
