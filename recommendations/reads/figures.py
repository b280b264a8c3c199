"""Progress figures for what a page shows, read from recommendations.reads.progress.

Each helper costs a fixed number of queries however many rows the database holds:
figures for a page of objects come from one `breakdown` over just their assignments.
"""

from typing import NamedTuple

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from cvetracker.datasets import Dataset
from events.choices import ActorKind
from events.models import Actor, Event
from events.translation import in_active_language
from recommendations.choices import RecommendationKind
from recommendations.models import Assignment, Recommendation, StatusUpdate, disagrees, overdue_q
from recommendations.reads import progress


def _attach(objects, by, assignments, as_of=None, basis=progress.REPORTED):
    rows = {row["key"]: row for row in progress.breakdown(assignments, by, as_of, basis)}
    for obj in objects:
        obj.progress = rows.get(obj.pk) or progress.combine([])


def for_events(events, as_of=None, basis=progress.REPORTED):
    """Set `event.progress` on each event, today or as of a day, on either basis (one query; today's
    self-reported on PostgreSQL, of the running totals)."""
    if events:
        rows = progress.figures_per("event", [event.pk for event in events], as_of, basis)
        for event in events:
            event.progress = rows[event.pk]


def for_recommendations(recommendations, as_of=None, basis=progress.REPORTED):
    """Set `recommendation.progress` on each recommendation, today or as of a day, on either basis (one
    query)."""
    if recommendations:
        _attach(
            recommendations,
            "recommendation",
            Assignment.objects.filter(recommendation__in=[r.pk for r in recommendations]),
            as_of,
            basis,
        )


def for_actors(actors, as_of=None, basis=progress.REPORTED):
    """Set `actor.progress` on each actor, counting its sub-bodies' assignments too, today or as of a
    day (two queries).

    The database gives figures per actor (from the running totals on PostgreSQL); each row is then
    added to every listed ancestor.
    """
    if not actors:
        return
    subtree = Actor.objects.subtree_of([actor.pk for actor in actors])
    parent_of = dict(subtree.values_list("id", "parent_id"))
    collected = {actor.pk: [] for actor in actors}
    for key, row in progress.figures_per("actor", parent_of, as_of, basis).items():
        node, seen = key, set()
        while node is not None and node not in seen:
            seen.add(node)
            if node in collected:
                collected[node].append(row)
            node = parent_of.get(node)
    for actor in actors:
        actor.progress = progress.combine(collected[actor.pk])


def matrix_event(as_of=None):
    """The latest event with assignments to countries (that existed on `as_of`, if given): the dashboard's
    matrix shows it."""
    to_countries = Assignment.objects.filter(recommendation__event=OuterRef("pk"), actor__kind=ActorKind.COUNTRY)
    if as_of is not None:
        to_countries = progress.existing_on(to_countries, as_of)
    return Event.objects.filter(Exists(to_countries)).order_by("-start_date", "-pk").first()


class Matrix(NamedTuple):
    columns: list  # recommendations
    rows: list  # {"actor": {"pk", "name"}, "cells": [cell or None, one per column]}
    illustrative: bool  # whether any status comes from demo or synthetic data


def as_they_stood(assignments, as_of):
    """The assignments (rows of progress.as_it_stood), each as it stood on `as_of`: its status, status
    date and last update those of the report that stood then, its assessed status that of the
    assessment that stood then, overdue as of that day (one query). For reading only: such a row is
    never saved."""
    assignments = list(assignments)
    updates = StatusUpdate.objects.in_bulk({row.standing_update for row in assignments} - {None})
    for row in assignments:
        update = updates.get(row.standing_update)
        row.status, row.status_date = (update.status, update.date) if update else ("", None)
        row.last_update, row.assessed_status, row.as_of = update, row.assessed_then, as_of
    return assignments


def status_matrix(event, as_of=None):
    """Countries × the event's recommendations, each cell one assignment's current status and assessed
    status, and whether they disagree (or those that stood on `as_of`, of the assignments that existed
    then).

    Columns are the agreed steps, and anything else assigned to a country. Two queries: the
    columns, and every cell in one go (and, as of a day, the reports that stood then).
    """
    to_countries = Assignment.objects.filter(actor__kind=ActorKind.COUNTRY)
    columns = list(
        Recommendation.objects.filter(event=event)
        .filter(Q(kind=RecommendationKind.AGREED_STEP) | Exists(to_countries.filter(recommendation=OuterRef("pk"))))
        .order_by("sequence")
        .only("pk", "code", "title", "sequence", "kind")
    )
    cells = to_countries.filter(recommendation__event=event)
    if as_of is not None:
        cells = progress.as_it_stood(cells, as_of)
    cells = list(
        cells.annotate(
            overdue=ExpressionWrapper(
                overdue_q() if as_of is None else overdue_q("current_status", as_of), output_field=BooleanField()
            ),
            actor_name=in_active_language("actor__name"),
        )
        .values(
            "pk",
            "status",
            "status_date",
            "dataset",
            "last_update__dataset",
            "overdue",
            "recommendation_id",
            "actor_id",
            "actor_name",
            *(["standing_update", "assessed_then"] if as_of is not None else ["assessed_status"]),
        )
        .order_by("actor_name", "actor_id")
    )
    if as_of is not None:
        updates = StatusUpdate.objects.in_bulk({cell["standing_update"] for cell in cells} - {None})
        for cell in cells:
            update = updates.get(cell["standing_update"])
            cell.update(
                status=update.status if update else "",
                status_date=update.date if update else None,
                last_update__dataset=update.dataset if update else None,
                assessed_status=cell["assessed_then"],
            )
    actors, by_actor, illustrative = {}, {}, False
    for cell in cells:
        cell["disagrees"] = disagrees(cell["status"], cell["assessed_status"])
        cell["illustrative"] = bool({cell["dataset"], cell["last_update__dataset"]} - {Dataset.RECORD, None})
        illustrative = illustrative or cell["illustrative"]
        actors.setdefault(cell["actor_id"], {"pk": cell["actor_id"], "name": cell["actor_name"]})
        by_actor.setdefault(cell["actor_id"], {})[cell["recommendation_id"]] = cell
    rows = [
        {"actor": actor, "cells": [by_actor[pk].get(column.pk) for column in columns]} for pk, actor in actors.items()
    ]
    return Matrix(columns, rows, illustrative)
