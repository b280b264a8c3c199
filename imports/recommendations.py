"""An event's recommendations and their assignments from a spreadsheet: the template, its rows as
workflow.RecommendationRows, preview and commit.

The template is the assignment export with the recommendation and the actor expanded
(`/api/assignments/?event=…&expand=recommendation,actor`: the same columns, CSV or XLSX), with a
row of its own for each recommendation nobody is assigned yet; so it is also the export, and an
export imported back changes nothing. A row names its recommendation by `recommendation.code`, its
actor by `actor.iso_code` (a country) or `actor.code` (a body); the columns read are WRITTEN
(recommendation) and ASSIGNMENT, the others (ids, names, labels, statuses, figures) are read past.
What cannot even become a row (a formula, a date that is not one, an unknown actor or theme) is
refused here; the rest is the workflow's (import_recommendations), rules and all.
"""

from collections import defaultdict
from functools import cache

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api import export
from api.serializers import AssignmentSerializer, in_each_language
from events.models import Actor, SourceDocument
from imports import spreadsheet
from recommendations import workflow
from recommendations.choices import AssignmentRole, RecommendationKind
from recommendations.models import Assignment, Recommendation, Theme

CODE = "recommendation.code"
EVENT = "recommendation.event"
THEMES = "recommendation.themes"
COUNTRY, BODY = "actor.iso_code", "actor.code"
VERSION = "version"
# The recommendation's columns the import writes → its fields (the others are read past).
TEXTS = ["source_quote", "source_note", "milestone", "due_date_note", *in_each_language("title")]
WRITTEN = {f"recommendation.{name}": name for name in ["kind", "due_date", *TEXTS, *in_each_language("text")]}
TRANSLATED = [*in_each_language("title"), *in_each_language("text")]  # null when empty, as the model has them
ASSIGNMENT = ["role", "due_date", "note"]  # the assignment's columns the import writes, as its fields
REQUIRED = [CODE]
# Where a workflow refusal's field is in the template, when it is not the column of that name.
COLUMN_OF_FIELD = {"recommendation.title": "recommendation.title_en", "recommendation.text": "recommendation.text_en"}
EXPANDED = frozenset({"recommendation", "actor"})


def template_serializer(context):
    return AssignmentSerializer(context={**context, "expand": EXPANDED})


def template_rows(event, serializer):
    """The event's assignments as the expanded assignment export gives them, in the document's order,
    and a row with only the recommendation for each recommendation nobody is assigned."""
    document = Prefetch("source_document", SourceDocument.objects.defer("text"))
    recommendations = event.recommendations.select_related("event", "restates").prefetch_related(document, "themes")
    assignments = (
        Assignment.objects.filter(recommendation__event=event)
        .select_related("actor__parent", "last_update__author")
        .prefetch_related("actor__groups")
        .order_by("actor__name", "pk")
    )
    by_recommendation = defaultdict(list)
    for assignment in assignments:
        by_recommendation[assignment.recommendation_id].append(assignment)
    nested = serializer.fields["recommendation"].nested()
    for recommendation in recommendations.order_by("sequence"):
        for assignment in by_recommendation[recommendation.pk]:
            assignment.recommendation = recommendation
            yield serializer.to_representation(assignment)
        if not by_recommendation[recommendation.pk]:
            yield {"recommendation": nested.to_representation(recommendation)}


@cache
def _known_columns():
    return frozenset(column.header for column in export.columns(template_serializer({})))


def read(file):
    """The (binary) file's rows as JSON-able lists [number, cells, formulas], or spreadsheet.FileRefused."""
    keep = {CODE, EVENT, THEMES, COUNTRY, BODY, VERSION, *WRITTEN, *ASSIGNMENT}
    rows = spreadsheet.read(file, columns=_known_columns(), keep=keep, required=REQUIRED)
    return [[row.number, row.cells, row.formulas] for row in rows]


def preview(rows, user, event):
    """What importing `rows` (as `read` gives them) into `event` would do, without writing: a workflow.ImportResult."""
    return _run(rows, user, event, dry_run=True)


def commit(rows, user, event):
    """Import `rows` into `event` through the workflow, all or none: nothing is written if any row is refused."""
    return _run(rows, user, event, dry_run=False)


def column(refusal):
    """The template column a refusal names ("" for the row as a whole)."""
    return COLUMN_OF_FIELD.get(refusal.field, refusal.field if refusal.field != "actor" else "")


def summary(result, dry_run):
    """What the command says it did (or, in a dry run, would do)."""
    counts = {"created": len(result.created), "changed": len(result.changed), "left": len(result.left)}
    if dry_run:
        return (
            _("%(created)d to create, %(changed)d to change, %(left)d rows left as they are; nothing written.") % counts
        )
    return _("%(created)d created, %(changed)d changed, %(left)d rows left as they are.") % counts


def recorded_message(result):
    created, changed = len(result.created), len(result.changed)
    return ngettext(
        "%(created)d recommendation or assignment created, %(changed)d changed.",
        "%(created)d recommendations or assignments created, %(changed)d changed.",
        created,
    ) % {"created": created, "changed": changed}


def shown(result, rows):
    """What the preview page lists: the first `rows` creations and changes, each with what it is about."""
    return {
        "lists": [
            (_("To be created"), [_described(change) for change in result.created[:rows]]),
            (_("To be changed"), [_described(change) for change in result.changed[:rows]]),
        ]
    }


def _described(change):
    """A Change, what it is about (a recommendation's code, an assignment's code and actor) and the
    template columns it changes."""
    obj = change.object
    if isinstance(obj, Recommendation):
        return change, obj.code, [f"recommendation.{name}" for name in change.fields]
    return change, f"{obj.recommendation.code} — {obj.actor.name}", list(change.fields)


def _run(rows, user, event, dry_run):
    parsed, refused = _rows(rows, event)
    result = workflow.import_recommendations(event=event, rows=parsed, by=user, dry_run=dry_run or bool(refused))
    result.refused = sorted(result.refused + refused, key=lambda refusal: refusal.row)
    return result


def _rows(rows, event):
    """A workflow.RecommendationRow for each row that can be read as one, and a Refusal for each cell that cannot."""
    actors = _actors(rows)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    kinds, roles = spreadsheet.slugs(RecommendationKind), spreadsheet.slugs(AssignmentRole)
    parsed, refused = [], []
    for number, cells, formulas in rows:
        problems = [workflow.Refusal(number, name, spreadsheet.formula_message(), "formula") for name in formulas]

        def refuse(name, message, code, number=number, problems=problems):
            problems.append(workflow.Refusal(number, name, message, code))

        code = cells.get(CODE, "").strip()
        if not code and CODE not in formulas:
            refuse(CODE, _("Give the recommendation's code, e.g. CSACVE-2015-3."), "code_required")
        if cells.get(EVENT, "").strip() not in ("", str(event.pk)):
            message = _("This row is of another event (%(id)s): import it with that event.")
            refuse(EVENT, message % {"id": cells[EVENT].strip()}, "other_event")
        fields = {name: cells[column] for column, name in WRITTEN.items() if column in cells}
        fields |= {name: fields[name] or None for name in TRANSLATED if name in fields}  # none: the fallback
        if "kind" in fields:
            fields["kind"] = kinds.get(fields["kind"].strip().lower(), fields["kind"].strip())
        if "due_date" in fields:
            fields["due_date"], problem = spreadsheet.date(fields["due_date"])
            if problem:
                refuse("recommendation.due_date", problem, "not_a_date")
        chosen = None
        if THEMES in cells:
            slugs = {slug.strip() for slug in cells[THEMES].split(";")} - {""}
            if unknown := sorted(slugs - set(themes)):
                message = _("No theme is called %(slugs)s: use the themes' slugs, separated by “;”.")
                refuse(THEMES, message % {"slugs": ", ".join(unknown)}, "unknown_theme")
            chosen = frozenset(themes[slug] for slug in slugs if slug in themes)
        actor, assignment = _actor(cells, actors, refuse), {}
        if actor is not None:
            assignment = {name: cells[name] for name in ASSIGNMENT if name in cells}
            if "role" in assignment:
                role = assignment.pop("role").strip()
                if role:
                    assignment["role"] = roles.get(role.lower(), role)
            if "due_date" in assignment:
                assignment["due_date"], problem = spreadsheet.date(assignment["due_date"])
                if problem:
                    refuse("due_date", problem, "not_a_date")
        version = cells.get(VERSION, "").strip()
        if version and not version.isdigit():
            refuse(VERSION, _("“%(text)s” is not a version: keep the template's.") % {"text": version}, "not_a_version")
        if problems:
            refused += problems
            continue
        parsed.append(
            workflow.RecommendationRow(
                row=number,
                code=code,
                fields=fields,
                themes=chosen,
                actor=actor,
                assignment_fields=assignment,
                version=int(version) if version else None,
            )
        )
    return parsed, refused


def _actors(rows):
    """The actors the rows name: {("country", ISO code) or ("body", code): Actor}."""
    isos = {cells.get(COUNTRY, "").strip().upper() for _n, cells, _f in rows} - {""}
    codes = {cells.get(BODY, "").strip().lower() for _n, cells, _f in rows} - {""}
    found = {("country", actor.iso_code): actor for actor in Actor.objects.filter(iso_code__in=isos)}
    return found | {("body", actor.code): actor for actor in Actor.objects.filter(code__in=codes)}


def _actor(cells, actors, refuse):
    """The actor a row names (None for a row of the recommendation alone), or None after refusing."""
    iso, code = cells.get(COUNTRY, "").strip().upper(), cells.get(BODY, "").strip().lower()
    if iso and code:
        refuse(BODY, _("Name the actor once: by a country's ISO code or by a body's code, not both."), "two_actors")
        return None
    if iso:
        if ("country", iso) not in actors:
            refuse(COUNTRY, _("No country has the ISO code %(code)s.") % {"code": iso}, "unknown_actor")
        return actors.get(("country", iso))
    if code:
        if ("body", code) not in actors:
            refuse(BODY, _("No body has the code %(code)s: see the actors' codes.") % {"code": code}, "unknown_actor")
        return actors.get(("body", code))
    return None
