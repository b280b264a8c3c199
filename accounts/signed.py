"""Mailed links that stop a kind of mail without signing in (reminders, digests of what a user
follows): a token signed with django.core.signing names the user and cannot be forged or altered
without SECRET_KEY; each kind of mail signs with its own salt, so one link stops only its own mail.
The tokens do not expire: a mail read late must still stop what it says it stops."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.views import View
from django.views.decorators.csrf import csrf_exempt


def stop_token(user, salt):
    return signing.dumps(user.pk, salt=salt)


def user_for(token, salt):
    """The active user the token was made for, or None for a token tampered with or of no user."""
    try:
        pk = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


class StopView(View):
    """The page of a stop link. GET asks (a mail scanner opening the link must not stop anything);
    POST stops. The POST needs no CSRF token: the signed token is its proof, and mail programs POST
    it themselves (RFC 8058, List-Unsubscribe-Post). Subclasses name the salt, the template (given
    `recipient`, None for a bad link, and `stopped`) and what stopping does."""

    salt = None
    template_name = None

    @classmethod
    def as_view(cls, **kwargs):
        return csrf_exempt(super().as_view(**kwargs))

    def turn_off(self, user):
        raise NotImplementedError

    def get(self, request, token):
        return self._page(request, user_for(token, self.salt), stopped=False)

    def post(self, request, token):
        user = user_for(token, self.salt)
        if user is not None:
            self.turn_off(user)
        return self._page(request, user, stopped=True)

    def _page(self, request, user, stopped):
        context = {"recipient": user, "stopped": stopped}
        return render(request, self.template_name, context, status=200 if user else 404)
