from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.models import Endpoint, EventType


class EndpointForm(forms.ModelForm):
    """An endpoint as a coordinator registers or edits it, on the pages and in the admin."""

    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https", help_text=_("Where the deliveries are POSTed.")
    )
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple, label=_("Event types")
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "event_types", "active"]
