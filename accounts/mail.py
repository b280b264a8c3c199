"""Mail to a person, in their language: the one way the tracker writes to someone."""

from django.core.mail import EmailMessage
from django.template import loader
from django.utils import translation

from accounts.language import stored_language


def message_to(user, subject_template, body_template, context, *, to=None):
    """An EmailMessage to `user` (or the address `to`), rendered in the user's stored
    language, else the one in use. The subject is kept on one line."""
    with translation.override(stored_language(user) or translation.get_language()):
        subject = "".join(loader.render_to_string(subject_template, context).splitlines())
        body = loader.render_to_string(body_template, context)
    return EmailMessage(subject, body, None, [to or user.email])
