"""The signed link that stops a user's reminders without signing in (django.core.signing): it names
the user and cannot be forged or altered without SECRET_KEY. It does not expire: a mail read late
must still stop the reminders."""

from django.contrib.auth import get_user_model
from django.core import signing

SALT = "reminders.stop"


def stop_token(user):
    return signing.dumps(user.pk, salt=SALT)


def user_for(token):
    """The active user the token was made for, or None for a token tampered with or of no user."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()
