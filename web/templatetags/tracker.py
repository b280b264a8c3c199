"""How statuses, progress and provenance look on every page: one place for each."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cvetracker.datasets import Dataset
from recommendations import badges, permissions
from recommendations.choices import (
    CURRENT_STATUS_ABBREVIATIONS,
    CURRENT_STATUS_LABELS,
    CURRENT_STATUS_ORDER,
    NO_REPORT,
    Status,
    status_slug,
)
from recommendations.models import disagrees
from recommendations.reads.progress import ASSESSED, IMPLEMENTED_SHARE_HEADING, SHARE_HEADING, SHARES_NOTE, share

register = template.Library()
register.filter(badges.status_class)
register.simple_tag(badges.status_badge)


@register.simple_tag
def assessment(status, assessed_status):
    """Beside a self-reported status: the independent assessment, if there is one, and in words (not
    colour alone) whether the two disagree (recommendations.models.disagrees)."""
    if not assessed_status:
        return ""
    return format_html(
        ' <span class="assessed">{} {}</span>{}',
        _("Independent assessment:"),
        badges.status_badge(assessed_status),
        disagreement(status, assessed_status),
    )


@register.simple_tag
def disagreement(status, assessed_status):
    """The flag of an assessment that disagrees with the self-report, in words; nothing otherwise."""
    if not disagrees(status, assessed_status):
        return ""
    return format_html(' <span class="disagree-tag">{}</span>', _("Disagrees with the self-report"))


@register.filter
def status_label(status):
    return CURRENT_STATUS_LABELS[status_slug(status)]


@register.filter
def status_abbr(status):
    return CURRENT_STATUS_ABBREVIATIONS[status_slug(status)]


@register.inclusion_tag("web/includes/status_legend.html")
def status_legend():
    return {"statuses": status_columns()}


@register.simple_tag
def dataset_badge(*datasets):
    """Marks illustrative or generated rows (or rows whose latest update is), so they never pass for facts."""
    dataset = next((d for d in datasets if d and d != Dataset.RECORD), None)
    if dataset is None:
        return ""
    return format_html(
        '<span class="badge badge-{}" title="{}">{}</span>',
        dataset,
        _("Not from the documents: %(dataset)s") % {"dataset": Dataset(dataset).label},
        _("Demo data") if dataset == Dataset.DEMO else _("Synthetic"),
    )


@register.simple_tag
def actor_links(actors):
    """The actors' names linked to their pages, comma-separated: one value a translated sentence can hold."""
    return format_html_join(", ", '<a href="{}">{}</a>', ((actor.get_absolute_url(), actor.name) for actor in actors))


@register.filter
def is_coordinator(user):
    """{% if user|is_coordinator %}: the coordinators' pages and forms (permissions.is_coordinator)."""
    return permissions.is_coordinator(user)


@register.filter
def author_name_for(update, user):
    """{{ update|author_name_for:user }}: the author's name if `user` may see it (permissions.author_name)."""
    return permissions.author_name(user, update) or ""


@register.filter
def internal_note_for(update, user):
    """{{ update|internal_note_for:user }}: the internal note if `user` may read it (permissions.internal_note)."""
    return permissions.internal_note(user, update) or ""


@register.filter
def percent(share):
    """0.4286 → "43%"; no applicable assignments → "–"."""
    return "–" if share is None else f"{share:.0%}"


@register.simple_tag
def implemented_share_heading():
    """The full name of an "Implemented" share column (recommendations.reads.progress)."""
    return IMPLEMENTED_SHARE_HEADING


@register.filter
def on_day(url, day):
    """{{ url|on_day:as_of }}: the URL of a page as of `day` (?as_of=YYYY-MM-DD), so that a reader who
    follows it stays on that day; the URL itself when `day` is None (today)."""
    return f"{url}?{urlencode(_as_of_query(day))}" if day else url


@register.inclusion_tag("web/includes/as_of.html", takes_context=True)
def as_of_form(context):
    """The banner of a page shown as of a past day, with a link back to today; that of figures as
    assessed, with a link to the self-reported ones; and the form to choose the day and the basis (GET:
    both go into the URL)."""
    as_of, path = context["as_of"], context["request"].path
    return {
        "as_of": as_of,
        "assessed": context["basis"] == ASSESSED,
        "form": context["as_of_form"],
        "today_url": path,
        "reported_url": on_day(path, as_of),
    }


@register.inclusion_tag("web/includes/progress_bar.html")
def progress_bar(figures, size="small", as_of=None, basis=None, **scope):
    """A stacked bar of assignments by status (SVG) with its figures in words.

    size="large" adds a table of every status; given a `scope` (assignment filters such as
    event=3), each status links to the assignments list narrowed to it — not as of a past day
    (`as_of`), since the list shows today's, nor on the assessed `basis`, since it filters on the
    self-reported status.
    """
    scope = {} if as_of or basis == ASSESSED else scope
    total = figures["total"]
    segments, rows, start = [], [], 0.0
    for key in CURRENT_STATUS_ORDER:
        count = figures[key]
        width = count / total if total else 0  # the bar draws every assignment, not-applicable ones too
        url = f"{reverse('assignment-list')}?{urlencode({**scope, 'status': key})}" if scope else ""
        rows.append(
            {
                "key": key,
                "label": CURRENT_STATUS_LABELS[key],
                "abbr": CURRENT_STATUS_ABBREVIATIONS[key],
                "count": count,
                "share": None if key == Status.NOT_APPLICABLE else share(count, figures),
                "url": url,
            }
        )
        if count:
            segments.append(
                {
                    "key": key,
                    "label": CURRENT_STATUS_LABELS[key],
                    "count": count,
                    "x": f"{100 * start:.3f}",
                    "width": f"{100 * width:.3f}",
                }
            )
            start += width
    return {
        "figures": figures,
        "segments": segments,
        "rows": rows,
        "size": size,
        "share_heading": SHARE_HEADING,
        "shares_note": SHARES_NOTE,
    }


# Each status's pattern in the progress chart, so that no status rests on its colour alone: the lines
# drawn over its colour in an 8×8 tile (solid for implemented, the line of the share shown over it).
PATTERNS = {
    Status.IMPLEMENTED: "",
    Status.PARTIALLY_IMPLEMENTED: "M0,8 L8,0",
    Status.IN_PROGRESS: "M2,2 h1 v1 h-1 z M6,6 h1 v1 h-1 z",
    Status.NOT_STARTED: "M0,4 H8",
    Status.STALLED: "M0,8 L8,0 M0,0 L8,8",
    Status.NOT_APPLICABLE: "M4,0 V8",
    NO_REPORT: "M0,0 L8,8",
}


def _as_of_query(as_of):
    return {"as_of": as_of.isoformat()} if as_of else {}


def _percent(value):
    return f"{value:.3f}%"


@register.inclusion_tag("web/includes/progress_chart.html")
def progress_chart(rows, as_of=None, **scope):
    """Progress month by month (rows of progress.by_month) as an SVG chart: a column per month of its
    assignments by status, stacked to 100% with a pattern per status as well as a colour, and the
    implemented share as a line over them; the same figures in a table, and the CSV of the API
    narrowed to `scope` (assignment filters such as event=3), up to `as_of` if given.

    Coordinates are percentages of the chart, which has no viewBox: it takes the width it is given
    without stretching its patterns and lines.
    """
    slot = 100 / len(rows) if rows else 0
    months, lines, level = [], [], None  # the share is a step line: level across each month, then a riser
    for index, row in enumerate(rows):
        segments, top = [], 100.0
        for key in CURRENT_STATUS_ORDER:
            if row[key]:
                height = 100 * row[key] / row["total"]
                top -= height
                segments.append({"key": key, "y": _percent(top), "height": _percent(height)})
        months.append(
            {"row": row, "x": _percent(slot * (index + 0.1)), "width": _percent(slot * 0.8), "segments": segments}
        )
        share, start = row["share_implemented"], _percent(slot * index)
        if share is not None:
            height = _percent(100 - 100 * share)
            if level is not None:
                lines.append((start, level, start, height))
            lines.append((start, height, _percent(slot * (index + 1)), height))
        level = None if share is None else height
    return {
        "months": months,
        "lines": lines,
        # Months between columns, when a long period is charted every n-th month (progress.month_ends).
        "step": (rows[1]["day"].year - rows[0]["day"].year) * 12 + rows[1]["day"].month - rows[0]["day"].month
        if len(rows) > 1
        else 1,
        "first": rows[0] if rows else None,
        "last": rows[-1] if rows else None,
        "patterns": [
            {"key": key, "label": CURRENT_STATUS_LABELS[key], "path": PATTERNS[key]} for key in CURRENT_STATUS_ORDER
        ],
        "statuses": status_columns(),
        "as_of": as_of,
        "csv_query": urlencode({"by": "month", **scope, **_as_of_query(as_of), "format": "csv"}),
        "share_heading": IMPLEMENTED_SHARE_HEADING,
    }


@register.inclusion_tag("web/includes/sort_header.html", takes_context=True)
def sort_header(context, label, field):
    """A column header linking to the list ordered by `field` (the FilterSet's `ordering` filter)."""
    query = context["request"].GET.copy()
    current = query.get("ordering", "")
    direction = {field: "ascending", f"-{field}": "descending"}.get(current)
    query["ordering"] = f"-{field}" if direction == "ascending" else field
    query.pop("page", None)
    return {"label": label, "direction": direction, "url": f"?{query.urlencode()}"}


@register.inclusion_tag("web/includes/nav_link.html", takes_context=True)
def nav_link(context, url_name, label):
    """A main-menu link, marked current on its list and on the detail pages of the same kind."""
    match = context["request"].resolver_match
    current = match.url_name if match else ""
    section = url_name.split("-")[0]
    return {
        "url": reverse(url_name),
        "label": label,
        "is_page": current == url_name,
        "in_section": current.split("-")[0] == section if current else False,
    }


@register.simple_tag
def status_columns():
    """(slug, label, abbreviation) for each status, in the order of status_counts."""
    return [(key, CURRENT_STATUS_LABELS[key], CURRENT_STATUS_ABBREVIATIONS[key]) for key in CURRENT_STATUS_ORDER]


@register.filter
def status_counts(figures):
    """A figures row's counts, one per status_columns entry."""
    return [figures[key] for key in CURRENT_STATUS_ORDER]
