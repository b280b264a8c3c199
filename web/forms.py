"""The form behind "Record an update". It only collects input: the rules are in recommendations.workflow."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recommendations import evidence, permissions
from recommendations.choices import EVIDENCE_REQUIRED, Status, UpdateKind
from recommendations.reads.progress import ASSESSED

DATE_INPUT = {"type": "date"}


def use_native_widgets(form):
    """Date pickers for date fields and checkboxes for multiple choices: plain HTML, no script."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={**DATE_INPUT, **field.widget.attrs}, format="%Y-%m-%d")
        elif isinstance(field, forms.MultipleChoiceField):
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)


RECENT_EVENTS = 30
# A select of every actor or event costs more to render than the rest of a list page, and helps
# nobody at a thousand entries. These filters offer the usual choices, plus the one in use; any
# other still works, since the FilterSet checks values against every row (scorecards and event
# pages link to the lists with their own actor or event chosen).
USUAL_CHOICES = {
    "actor": (
        lambda actors: actors.filter(parent__isnull=True),
        _("Countries and organisations; each includes its sub-bodies."),
    ),
    "parent": (lambda actors: actors.filter(parent__isnull=True), _("Countries and organisations.")),
    "event": (lambda events: events.order_by("-start_date", "-pk")[:RECENT_EVENTS], _("The most recent events.")),
}


def prepare_filter_form(form):
    """A FilterSet's form as the list pages show it: native widgets, short selects, "Any" for blank."""
    use_native_widgets(form)
    for name, field in form.fields.items():
        if name in USUAL_CHOICES and isinstance(field, forms.ModelChoiceField):
            usual, field.help_text = USUAL_CHOICES[name]
            choices = _usual_choices(form, name, field, usual)
        elif isinstance(field.widget, forms.Select) and not field.widget.allow_multiple_selected:
            choices = list(field.widget.choices)
        else:
            continue
        blank = gettext("Default order") if name == "ordering" else gettext("Any")
        field.widget.choices = [(value, label if value != "" else blank) for value, label in choices]


def _usual_choices(form, name, field, usual):
    """The usual rows and the one in use, as (value, label); one query."""
    offered = Q(pk__in=usual(field.queryset.all()).values("pk"))
    chosen = form.data.get(name, "") if form.is_bound else ""
    if chosen.isdigit():
        offered |= Q(pk=chosen)
    return [("", "")] + [
        (field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset.filter(offered)
    ]


def add_workflow_error(form, error):
    """Show a workflow ValidationError beside its fields on `form`; messages about other fields go on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class CorrectsField(forms.ModelChoiceField):
    def label_from_instance(self, update):
        return f"{date_format(update.date, 'd M Y')} — {update.get_status_display()} ({update.kind_label.lower()})"


def _evidence_help():
    statuses = get_text_list([str(Status(status).label) for status in EVIDENCE_REQUIRED], gettext("and"))
    return gettext("A web address showing the result. A link or a file is needed for: %(statuses)s.") % {
        "statuses": statuses
    }


def _files_help():
    return gettext(
        "Documents or images showing the result: %(kinds)s; at most %(count)d files of %(size)s each. "
        "Whoever can see this update can download them."
    ) % {
        "kinds": evidence.accepted_description(),
        "count": settings.EVIDENCE_MAX_FILES,
        "size": filesizeformat(evidence.max_bytes()),
    }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one plain file input (no script). Each is judged by the workflow, by content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return tuple(super(EvidenceFilesField, self).clean(one, initial) for one in files)


class StatusUpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of update"),
        choices=UpdateKind.choices,
        initial=UpdateKind.REPORT,
        widget=forms.RadioSelect,
        help_text=_(
            "A report for the responsible actor, shown as recorded by a coordinator on its behalf "
            "(unless you are its focal point), or an independent assessment by the coordinators."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Choose a status…")), *Status.choices])
    date = forms.DateField(label=_("Status as of"), help_text=_("The day the status refers to."))
    note = forms.CharField(
        label=_("What has been done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public: everyone who can read the tracker sees it."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=lazy(_evidence_help, str)(),
    )
    files = EvidenceFilesField(label=_("Evidence files"), required=False, help_text=lazy(_files_help, str)())
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Read by coordinators, viewers and the focal points of this actor and the bodies above and below it."
        ),
    )
    corrects = CorrectsField(
        label=_("Corrects an earlier update"),
        queryset=None,
        required=False,
        empty_label=_("No: this is a new update"),
        help_text=_("Choose the update this one replaces, if it was wrong. Updates are never edited or deleted."),
    )

    def __init__(self, *args, assignment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        use_native_widgets(self)
        self.fields["date"].widget.attrs.update(
            min=assignment.recommendation.event.start_date.isoformat(), max=timezone.localdate().isoformat()
        )
        if permissions.can_report(user, assignment, UpdateKind.ASSESSMENT):
            correctable = assignment.updates.standing()
        else:
            del self.fields["kind"]
            correctable = assignment.updates.standing(UpdateKind.REPORT)
        self.fields["corrects"].queryset = correctable

    def workflow_arguments(self):
        return {"kind": UpdateKind.REPORT, **self.cleaned_data}


class AsOfForm(forms.Form):
    """The day a page is read as of (?as_of=YYYY-MM-DD): a past day or today; blank is today. And the
    basis of its figures (?basis=assessed, progress.BASES): blank is as self-reported."""

    as_of = forms.DateField(
        required=False,
        label=_("Show the state on"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={"invalid": _("That is not a date (a day as YYYY-MM-DD): today’s figures are shown.")},
    )
    # A checkbox on the pages (web/includes/as_of.html), so that the self-reported default adds nothing
    # to the address: `?as_of=2015-09-29` stays as short as it was.
    basis = forms.ChoiceField(
        required=False,
        label=_("Figures as assessed"),
        choices=[(ASSESSED, _("Figures as assessed"))],
        error_messages={
            "invalid_choice": _("Figures are as self-reported or as assessed: the self-reported ones are shown.")
        },
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s is in the future: today’s figures are shown."),
                code="future",
                params={"date": date_format(day, "DATE_FORMAT")},
            )
        return day
