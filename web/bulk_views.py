"""The assignment list's bulk actions, for coordinators: change the due date or the role of, or remove
(those without updates), the assignments ticked on the list, or every one its filters match. The
list's form posts here with the list's query string, so "every one matching" is the list's own
FilterSet; the writes are recommendations.bulk's, which says per row what it refused and why."""

from django import forms
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from recommendations import bulk
from recommendations.choices import AssignmentRole
from recommendations.filters import AssignmentFilterSet
from recommendations.models import Assignment
from web.access import CoordinatorRequiredMixin
from web.forms import use_native_widgets

SELECTED, MATCHING = "selected", "matching"
SHOWN_ROWS = 100  # rows of each kind listed on the result page; the rest are counted
ACTIONS = ("due_date", "role", "remove")


class BulkForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (SELECTED, _("The assignments ticked in the table")),
            (MATCHING, _("Every assignment the filters match")),
        ],
        initial=SELECTED,
        widget=forms.RadioSelect,
    )
    due_date = forms.DateField(
        label=_("New due date"), required=False, help_text=_("Leave empty to follow each recommendation's due date.")
    )
    role = forms.ChoiceField(
        label=_("New role"), choices=AssignmentRole.choices, initial=AssignmentRole.LEAD, required=False
    )

    def __init__(self, *args, selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.selected = selected
        # Which button was pressed: each action has its own (name "action"), beside the field it uses.
        self.action = self.data.get("action") if self.is_bound else None
        use_native_widgets(self)

    def clean(self):
        data = super().clean()
        if self.action not in ACTIONS:
            raise forms.ValidationError(gettext("Choose what to do: press one of the buttons."), code="no_action")
        if self.action == "role" and not data.get("role"):
            self.add_error("role", forms.ValidationError(gettext("Choose the new role."), code="required"))
        if data.get("scope") == SELECTED and not self.selected:
            raise forms.ValidationError(
                gettext("Tick the assignments to change, or choose every assignment the filters match."),
                code="none_selected",
            )
        return data


def _number(value):
    return value.isascii() and value.isdecimal()  # str.isdigit() also takes "²", which int() refuses


def selection(post):
    """The ticked assignments' ids and, for each, the version the list showed (`version-<id>`)."""
    ids = [int(value) for value in post.getlist("selected") if _number(value)]
    versions = {pk: int(post[f"version-{pk}"]) for pk in ids if _number(post.get(f"version-{pk}", ""))}
    return ids, versions


class BulkView(CoordinatorRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        ids, versions = selection(request.POST)
        form = BulkForm(request.POST, selected=ids)
        filterset = AssignmentFilterSet(request.GET, queryset=Assignment.objects.all())
        context = {"form": form, "selected": ids, "versions": versions, "list_url": self.list_url()}
        if not form.is_valid() or not filterset.is_valid():
            context["filter_errors"] = filterset.errors
            return render(request, "web/coordinate/bulk_form.html", context, status=200)
        data, action = form.cleaned_data, form.action
        if data["scope"] == MATCHING:
            assignments, versions = filterset.qs, None
        else:
            assignments = Assignment.objects.filter(pk__in=ids)
        arguments = {"assignments": assignments, "by": request.user, "versions": versions}
        if action == "due_date":
            result = bulk.change_due_dates(due_date=data["due_date"], **arguments)
        elif action == "role":
            result = bulk.change_roles(role=data["role"], **arguments)
        else:
            result = bulk.remove_unreported(**arguments)
        context.update(
            result=result,
            summary=summary(action, result),
            action=action,
            shown=SHOWN_ROWS,
            more_refused=max(len(result.refused) - SHOWN_ROWS, 0),
            more_done=max(len(result.done) - SHOWN_ROWS, 0),
        )
        return render(request, "web/coordinate/bulk_result.html", context)

    def list_url(self):
        query = QueryDict(mutable=True)
        query.update(self.request.GET)
        query.pop("page", None)
        return f"{reverse('assignment-list')}?{query.urlencode()}" if query else reverse("assignment-list")


def summary(action, result):
    """What was done, in a sentence."""
    done = len(result.done)
    if action == "remove":
        sentence = ngettext("Removed %(count)d assignment.", "Removed %(count)d assignments.", done)
    elif action == "role":
        sentence = ngettext(
            "Changed the role of %(count)d assignment.", "Changed the role of %(count)d assignments.", done
        )
    else:
        sentence = ngettext(
            "Changed the due date of %(count)d assignment.", "Changed the due date of %(count)d assignments.", done
        )
    return sentence % {"count": done}
