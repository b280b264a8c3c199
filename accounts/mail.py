"""Mail to a person, in their language: the one way the tracker writes to someone."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import CommandError
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


def open_connection():
    """An open connection to the mail server for a command that mails many (send_reminders,
    send_digests), or the CommandError that stops it with one line when the server is unreachable."""
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        raise CommandError(f"Could not reach the mail server: {error}") from None
    return connection


def mail_claimed(recipients, *, claim, message, release, name, stderr):
    """Mail each recipient what `claim(recipient)` takes for them, in one connection (send_reminders,
    send_digests): the (recipient, items) mailed, and how many mails failed. Nothing claimed means
    another run took it first; a mail the server refuses gives its claim back, for the next run."""
    mailed, failed = [], 0
    with open_connection() as connection:
        for recipient in recipients:
            taken, items = claim(recipient)
            if not items:
                continue
            try:
                connection.send_messages([message(recipient, items)])
            except Exception as error:  # the server refused or went away: the next run tries again
                release(taken)
                failed += 1
                stderr.write(f"Could not mail {name(recipient)}: {error}")
                continue
            mailed.append((recipient, items))
    return mailed, failed


def require_site_url(mails):
    """Stop a command whose `mails` link to the site when SITE_URL is unset."""
    if not settings.SITE_URL:
        raise CommandError(
            f"SITE_URL is not set: the {mails}' links need the site's address, e.g. https://tracker.example.org"
        )
