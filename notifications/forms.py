from django import forms

from reminders.models import Preference


class DigestPreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["send_digests"]
