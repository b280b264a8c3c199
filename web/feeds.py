"""Atom feeds of status updates: all of them, and those of an event, an actor (its sub-bodies
included) or a recommendation — what the dashboard and those pages' timelines show.

Read like the pages: `ReadAccessMixin`'s rule (anonymous readers are sent to log in while
PUBLIC_READ is off), the reader's language, and the read rules of recommendations.permissions
(internal notes and authors only for whom they are). Never kept by the read cache: a feed is small,
bounded (FEED_ENTRIES) and polled by readers whose cookies the cache would key on anyway.
"""

from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cvetracker.datasets import Dataset
from events.models import Actor, Event
from recommendations import permissions
from recommendations.models import Recommendation, StatusUpdate

FEED_ENTRIES = 50


def timeline(updates, *, files=True):
    """Status updates with what a timeline shows beside each: actor, author, what it corrects, and its
    evidence files (`files`: a feed does not list them)."""
    corrected = StatusUpdate.objects.filter(corrects=OuterRef("pk"))
    updates = updates.select_related("assignment__actor", "assignment__recommendation", "author", "corrects")
    updates = updates.prefetch_related("files") if files else updates
    return updates.annotate(is_corrected=Exists(corrected))


class _Scope:
    """What one request's feed covers (Feed instances are shared between requests: nothing on self)."""

    def __init__(self, reader, target=None):
        self.reader = reader
        self.target = target


class UpdatesFeed(Feed):
    """Every status update, newest first."""

    feed_type = Atom1Feed
    model = None  # the object a scoped feed is about

    def __call__(self, request, *args, **kwargs):
        if not permissions.can_read(request.user):  # as the pages answer (web/access.py)
            return redirect_to_login(request.get_full_path())
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, pk=None):
        return _Scope(request.user, get_object_or_404(self.model, pk=pk) if self.model else None)

    def updates(self, scope):
        return StatusUpdate.objects.all()

    def items(self, scope):
        updates = list(timeline(self.updates(scope), files=False).order_by("-created_at", "-pk")[:FEED_ENTRIES])
        for update in updates:
            update.reader = scope.reader
        return updates

    def title(self, scope):
        return _("cvetracker: status updates")

    def link(self, scope):
        return reverse("dashboard")

    def subtitle(self, scope):
        return _("The latest %(count)d status updates, newest first.") % {"count": FEED_ENTRIES}

    def item_title(self, update):
        assignment = update.assignment
        return _("%(code)s · %(actor)s: %(status)s") % {
            "code": assignment.recommendation.code,
            "actor": assignment.actor.name,
            "status": update.get_status_display(),
        }

    def item_link(self, update):
        return f"{update.assignment.get_absolute_url()}#update-{update.pk}"

    def item_pubdate(self, update):
        return update.created_at

    def item_updateddate(self, update):
        return update.created_at

    def item_author_name(self, update):
        return permissions.author_name(update.reader, update)

    def item_description(self, update):
        """The summary: what the timeline shows of the update, as the reader may see it."""
        lines = [
            _("As of %(date)s: %(status)s (%(kind)s).")
            % {
                "date": date_format(update.date, "DATE_FORMAT"),
                "status": update.get_status_display(),
                "kind": update.kind_label,
            }
        ]
        if update.dataset != Dataset.RECORD:
            lines.append(_("Not from the documents: %(dataset)s") % {"dataset": Dataset(update.dataset).label})
        if update.is_corrected:
            lines.append(_("Superseded: a later update corrects this one."))
        if update.corrects:
            lines.append(
                _("Corrects the update as of %(date)s (%(status)s).")
                % {
                    "date": date_format(update.corrects.date, "DATE_FORMAT"),
                    "status": update.corrects.get_status_display(),
                }
            )
        paragraphs = [format_html("<p>{}</p>", line) for line in lines]
        if update.note:
            paragraphs.append(format_html("<p>{}</p>", linebreaksbr(update.note)))
        note = permissions.internal_note(update.reader, update)
        if note:
            paragraphs.append(format_html("<p>{}</p><p>{}</p>", _("Internal note:"), linebreaksbr(note)))
        return format_html_join("", "{}", ((paragraph,) for paragraph in paragraphs))


class EventUpdatesFeed(UpdatesFeed):
    model = Event

    def updates(self, scope):
        return StatusUpdate.objects.filter(assignment__recommendation__event=scope.target)

    def title(self, scope):
        return _("Status updates: %(event)s") % {"event": scope.target.title}

    def link(self, scope):
        return scope.target.get_absolute_url()


class ActorUpdatesFeed(UpdatesFeed):
    model = Actor

    def updates(self, scope):
        return StatusUpdate.objects.filter(assignment__actor__in=Actor.objects.subtree_ids([scope.target.pk]))

    def title(self, scope):
        return _("Status updates: %(actor)s") % {"actor": scope.target.name}

    def link(self, scope):
        return scope.target.get_absolute_url()


class RecommendationUpdatesFeed(UpdatesFeed):
    model = Recommendation

    def updates(self, scope):
        return StatusUpdate.objects.filter(assignment__recommendation=scope.target)

    def title(self, scope):
        return _("Status updates: %(code)s") % {"code": scope.target.code}

    def link(self, scope):
        return scope.target.get_absolute_url()


FEEDS = {
    "updates": UpdatesFeed,
    "event": EventUpdatesFeed,
    "actor": ActorUpdatesFeed,
    "recommendation": RecommendationUpdatesFeed,
}


def feed_context(name, target=None):
    """What a page needs to link to its feed (templates/base.html, web/includes/feed_link.html)."""
    return {
        "feed_url": reverse(f"{name}-feed", args=[target.pk] if target else []),
        "feed_title": FEEDS[name]().title(_Scope(None, target)),
    }
