"""The kinds of import, one module each with the same functions: read(file) → rows to keep in an
Upload; preview(rows, user, event) and commit(rows, user, event) → a result with `created`, `left`
and `refused`; column(refusal), the template column a refusal names; recorded_message(result).
The pages, the API and the command (which tells the kind from the file's header) go through here.
"""

from imports import recommendations, updates
from imports.models import Upload
from recommendations import permissions

Kind = Upload.Kind
MODULES = {Kind.UPDATES: updates, Kind.RECOMMENDATIONS: recommendations}
ALLOWED = {Kind.UPDATES: permissions.can_import_updates, Kind.RECOMMENDATIONS: permissions.can_import_recommendations}


def detect(names):
    """The kind of import a header (spreadsheet.header) is the template of: a column to fill with
    a status update makes it the status updates'; a recommendation's code, the recommendations'."""
    if any(name in updates.FILL for name in names):
        return Kind.UPDATES
    if recommendations.CODE in names:
        return Kind.RECOMMENDATIONS
    return Kind.UPDATES  # whose reading then says what the file lacks
