"""Who is told of new status updates: called by recommendations.workflow where it records them (one
update or a batch), inside the same transaction, so the notifications commit or roll back with them.

Told of an update, once each however many reasons they have (the first reason of
Notification.Reason kept):
- the focal points of its assignment (those linked to its actor or a body above it, who report for
  it) when a coordinator recorded it: a report on their behalf or an assessment;
- who follows its recommendation, its actor or a body above it (following a country includes its
  bodies), or its event.
Never its author, and only those who may read the tracker (permissions.signed_in_readers); what each
may see of the update (internal notes) is decided when it is shown to them.

A constant number of queries however many updates and followers: the actors' chains, the follows,
the focal points (only when a coordinator recorded something), one insert per 500 notifications.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from events.models import Actor
from notifications.models import Follow, Notification
from recommendations import permissions
from recommendations.choices import ReportedBy

Reason = Notification.Reason


def _lineages(actor_ids):
    """{actor id: [the actor, its parent, … up to its country]} (one query)."""
    parents = Actor.objects.parents_above(actor_ids)
    lineages = {}
    for actor_id in actor_ids:
        line, current = [], actor_id
        while current is not None and current not in line:  # `not in`: a loop in bad data ends
            line.append(current)
            current = parents.get(current)
        lineages[actor_id] = line
    return lineages


def _followers(updates, lineages):
    """{(reason, target id): {follower ids}} of what `updates` concern."""
    readers = permissions.signed_in_readers()
    follows = Follow.objects.filter(user__in=readers).filter(
        Q(event__in={update.assignment.recommendation.event_id for update in updates})
        | Q(recommendation__in={update.assignment.recommendation_id for update in updates})
        | Q(actor__in={actor for line in lineages.values() for actor in line})
    )
    followers = defaultdict(set)
    for user, event, actor, recommendation in follows.values_list("user", "event", "actor", "recommendation"):
        if event:
            followers[Reason.EVENT, event].add(user)
        elif actor:
            followers[Reason.ACTOR, actor].add(user)
        else:
            followers[Reason.RECOMMENDATION, recommendation].add(user)
    return followers


def _focal_points(updates, lineages):
    """{actor id: {focal point ids}} of the actors above the assignments a coordinator reported on."""
    by_coordinator = [update for update in updates if update.reported_by == ReportedBy.COORDINATOR]
    actor_ids = {actor for update in by_coordinator for actor in lineages[update.assignment.actor_id]}
    if not actor_ids:
        return {}
    links = Actor.focal_points.through.objects.filter(actor__in=actor_ids, user__in=permissions.signed_in_readers())
    focal_points = defaultdict(set)
    for actor, user in links.values_list("actor", "user"):
        focal_points[actor].add(user)
    return focal_points


def _reasons(update, lineage, followers, focal_points):
    """{recipient id: reason} of one update."""
    assignment = update.assignment
    told = [(Reason.RECOMMENDATION, assignment.recommendation_id), (Reason.EVENT, assignment.recommendation.event_id)]
    told[1:1] = [(Reason.ACTOR, actor) for actor in lineage]
    reasons = {}
    if update.reported_by == ReportedBy.COORDINATOR:
        for actor in lineage:
            reasons |= dict.fromkeys(focal_points.get(actor, ()), Reason.ASSIGNMENT)
    for key in told:
        for user in followers.get(key, ()):
            reasons.setdefault(user, key[0])
    reasons.pop(update.author_id, None)
    return reasons


def tell(updates):
    """Write the notifications of `updates` (saved StatusUpdates whose assignments have their
    recommendation and actor loaded)."""
    updates = list(updates)
    if not updates:
        return []
    lineages = _lineages({update.assignment.actor_id for update in updates})
    followers = _followers(updates, lineages)
    focal_points = _focal_points(updates, lineages)
    now = timezone.now()
    rows = []
    for update in updates:
        reasons = _reasons(update, lineages[update.assignment.actor_id], followers, focal_points)
        rows += [
            Notification(recipient_id=user, update=update, reason=reason, created_at=now)
            for user, reason in sorted(reasons.items())
        ]
    return Notification.objects.bulk_create(rows, batch_size=500)
