"""The assignment form the admin and the coordinators' pages share: it carries the version read, so
a change saved meanwhile by someone else is refused (recommendations.workflow.check_version)."""

from django import forms
from django.utils.functional import cached_property

from recommendations import workflow

CHANGEABLE = ("role", "due_date", "note")  # what workflow.change_assignment changes


class VersionedAssignmentForm(forms.ModelForm):
    """An assignment form that carries the version it was read at (a hidden field). A change saved
    meanwhile by someone else is the workflow's "stale" error on this form, and nothing is written."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    @cached_property
    def changed_data(self):
        # The version read is not a change: an unchanged row stays unchanged whatever its version.
        return [name for name in super().changed_data if name != "expected_version"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.has_changed() and "expected_version" in data:
            workflow.check_version(self.instance, data["expected_version"])
        return data

    def changes(self):
        """What the form changed, as workflow.change_assignment takes it: only what was changed, so
        an untouched due date keeps following the recommendation's."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in CHANGEABLE}
