"""Following and unfollowing: the one place Follow rows are written (the pages and the admin call it).
Following twice, or unfollowing what is not followed, changes nothing."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications.models import TARGETS, Follow
from recommendations import permissions


def _of(target):
    return {TARGETS[type(target)]: target}


def _check(user):
    if not permissions.can_follow(user):
        raise PermissionDenied(_("Sign in to follow events, countries and bodies, and recommendations."))


def follows(user, target):
    """Does `user` follow `target` (an event, actor or recommendation)? One query; none for the anonymous."""
    return permissions.can_follow(user) and Follow.objects.filter(user=user, **_of(target)).exists()


def follow(user, target):
    _check(user)
    try:
        with transaction.atomic():  # a second click racing the first meets the unique constraint
            Follow.objects.get_or_create(user=user, **_of(target))
    except IntegrityError:
        pass


def unfollow(user, target):
    _check(user)
    Follow.objects.filter(user=user, **_of(target)).delete()
