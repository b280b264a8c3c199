"""How a current status looks, on the pages and in the admin alike: its colour class and its badge."""

from django.utils.html import format_html

from recommendations.choices import CURRENT_STATUS_LABELS, status_slug


def status_class(status):
    """CSS class carrying the status colour (static/css/cvetracker.css); `status` as stored."""
    return f"status-{status_slug(status)}"


def status_badge(status):
    """The status, stored or as its slug, as a coloured label."""
    return format_html(
        '<span class="status {}">{}</span>', status_class(status), CURRENT_STATUS_LABELS[status_slug(status)]
    )
