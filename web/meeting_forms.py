"""The coordinators' forms: entering a meeting, assigning from a recommendation's or an event's page,
editing an event, a recommendation or an assignment.

They only collect input, as web/forms.py's do: the rules are the models' own (Model.full_clean)
and recommendations.workflow's, which the views call.
"""

from django import forms
from django.conf import global_settings
from django.forms.utils import ErrorDict, ErrorList
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Actor, ActorGroup, Event, EventParticipation, SourceDocument
from recommendations.choices import AssignmentRole, RecommendationKind
from recommendations.forms import VersionedAssignmentForm
from recommendations.models import Assignment, Recommendation
from web.forms import use_native_widgets

PARTICIPATION_ROWS = 4  # blank rows of organisers and participants on a new page
RECOMMENDATION_ROWS = 5  # blank rows of recommendations on a new page
MORE_ROWS = 5  # what "Add rows" adds to each
TEXT_FILE_LIMIT = 2_000_000  # bytes: a document's text, not a scan


def actor_tree(actors):
    """(actor, label) for each actor, each body right under the body or country it belongs to, and
    labelled with the path down to it ("Kazakhstan › Ministry of Internal Affairs"): one query."""
    rows = list(actors)
    children = {}
    for actor in rows:
        children.setdefault(actor.parent_id, []).append(actor)
    known = {actor.pk for actor in rows}
    tree = []

    def walk(actor, path):
        label = " › ".join([*path, actor.name])
        tree.append((actor, label))
        for child in children.get(actor.pk, []):
            walk(child, [*path, actor.name])

    for actor in rows:  # the roots: no parent, or one not among `actors`
        if actor.parent_id is None or actor.parent_id not in known:
            walk(actor, [])
    return tree


def set_actor_choices(field, tree, taken=(), taken_label=""):
    """Offer the actors of `tree` (actor_tree) in its order; those in `taken` are marked with
    `taken_label` and, with ActorCheckboxes or ActorSelect, cannot be chosen."""
    blank = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = blank + [
        (actor.pk, f"{label} ({taken_label})" if actor.pk in taken else label) for actor, label in tree
    ]
    field.widget.disabled_values = frozenset(taken)


class DisabledChoices:
    """A choice widget whose choices in `disabled_values` are shown but disabled (a browser does not
    send them; what a hand-made request sends is still judged by the rules)."""

    disabled_values = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if getattr(value, "value", value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class ActorCheckboxes(DisabledChoices, forms.CheckboxSelectMultiple):
    """Checkboxes of actors, e.g. those already assigned shown but disabled."""


class ActorSelect(DisabledChoices, forms.Select):
    """A select of actors, e.g. a body's possible parents without itself and its own bodies."""


def show_unjudged(*forms_and_formsets):
    """Show the typed input again without its errors (the "Add rows" button only asks for more rows)."""
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            item._errors, item._non_form_errors = [], ErrorList()
            show_unjudged(*item.forms)
        else:
            item._errors = ErrorDict()


class EventEntryForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title_en",
            "code",
            "kind",
            "start_date",
            "end_date",
            "date_note",
            "place",
            "host_country",
            "participants_note",
        ]
        labels = {"title_en": _("Title")}
        widgets = {
            "date_note": forms.Textarea(attrs={"rows": 2}),
            "participants_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True
        self.fields["title_en"].help_text = _("As the source document names the event.")
        self.fields["host_country"].queryset = Actor.objects.countries()
        use_native_widgets(self)


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = EventParticipation
        fields = ["actor", "role", "note"]

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        set_actor_choices(self.fields["actor"], actors)


ParticipationFormSet = forms.formset_factory(ParticipationForm, extra=PARTICIPATION_ROWS)


class DocumentEntryForm(forms.ModelForm):
    """The source document. Its text may be pasted or attached as a plain-text file; an attached file's
    text is put in the text box, so it is kept (and the quotes checked against it) if the page comes back."""

    text_file = forms.FileField(
        label=_("Or attach the text"),
        required=False,
        help_text=_("A plain-text file (UTF-8); its text replaces what is in the box above."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )

    class Meta:
        model = SourceDocument
        fields = ["title", "publisher", "kind", "published_on", "date_note", "language", "location", "text"]
        widgets = {"date_note": forms.Textarea(attrs={"rows": 2}), "text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"text": _("Optional. With the full text, every quote below is checked against it.")}

    def __init__(self, data=None, files=None, **kwargs):
        self.unreadable = False
        upload = files.get(f"{kwargs.get('prefix')}-text_file") if files else None
        if upload is not None and upload.size <= TEXT_FILE_LIMIT:  # a larger one: clean_text_file says so
            data = data.copy()
            try:
                data[f"{kwargs.get('prefix')}-text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.unreadable = True
        super().__init__(data, files, **kwargs)
        self.fields["language"] = forms.ChoiceField(
            label=self.fields["language"].label,
            # Django's names are marked with gettext_noop: translated here, from Django's own catalogues.
            choices=[(code, _(name)) for code, name in global_settings.LANGUAGES],
            initial="en",
            help_text=_("The language of the quotes: they stay verbatim in it."),
        )
        use_native_widgets(self)

    def clean_text_file(self):
        if self.unreadable:
            raise forms.ValidationError(gettext("This file is not plain text in UTF-8."), code="unreadable")
        upload = self.cleaned_data.get("text_file")
        if upload is not None and upload.size > TEXT_FILE_LIMIT:
            raise forms.ValidationError(gettext("This file is too large for a document's text."), code="too_large")
        return upload


class RecommendationEntryForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["kind", "code", "title_en", "text_en", "source_quote", "themes", "due_date", "milestone"]
        labels = {"title_en": _("Title"), "text_en": _("Text")}
        widgets = {"text_en": forms.Textarea(attrs={"rows": 3}), "source_quote": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        # No blank choice: a new row shows the default kind, so a row left blank is still unchanged.
        self.fields["kind"].choices = RecommendationKind.choices
        self.fields["kind"].initial = RecommendationKind.AGREED_STEP
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty for the code suggested from the event's: %(example)s.") % {
            "example": gettext("CODE-1, CODE-2… and, for proposals, CODE-P1…")
        }
        for name in ("title_en", "text_en"):
            self.fields[name].required = True
        self.fields["themes"].widget = forms.CheckboxSelectMultiple()
        self.fields["themes"].choices = [(theme.pk, theme.name) for theme in themes]  # read once for every row
        use_native_widgets(self)


RecommendationFormSet = forms.formset_factory(RecommendationEntryForm, extra=RECOMMENDATION_ROWS, can_order=True)


def more_rows(data, prefix, count=MORE_ROWS):
    """The POSTed data with `count` more blank rows in the formset `prefix`."""
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    rows = data.get(total, "")
    if rows.isdigit():  # else the formset's own management-form error says what is wrong
        data[total] = str(int(rows) + count)
    return data


class AssignForm(forms.Form):
    """Assign one recommendation: to countries and bodies chosen one by one, or to every country of a region."""

    actors = forms.ModelMultipleChoiceField(
        Actor.objects.all(),
        label=_("Countries and bodies"),
        required=False,
        widget=ActorCheckboxes,
        help_text=_("Each body is listed under the country or organisation it belongs to."),
    )
    group = forms.ModelChoiceField(
        ActorGroup.objects.all(),
        label=_("Or every country of a region or group"),
        required=False,
        empty_label=_("No region"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.LEAD)
    due_date = forms.DateField(
        label=_("Due date"), required=False, help_text=_("Leave empty to follow the recommendation's due date.")
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(recommendation.assignments.values_list("actor_id", flat=True))
        set_actor_choices(self.fields["actors"], actor_tree(Actor.objects.all()), taken, gettext("already assigned"))
        use_native_widgets(self)

    def clean(self):
        data = super().clean()
        if not data.get("actors") and not data.get("group"):
            raise forms.ValidationError(gettext("Choose countries or bodies, or a region."), code="no_actors")
        return data


class EventAssignForm(forms.Form):
    """Assign several of an event's recommendations at once to every country of a region."""

    recommendations = forms.ModelMultipleChoiceField(
        Recommendation.objects.none(), label=_("Recommendations"), widget=forms.CheckboxSelectMultiple
    )
    group = forms.ModelChoiceField(ActorGroup.objects.all(), label=_("Region or group"), empty_label=None)
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.LEAD)
    due_date = forms.DateField(
        label=_("Due date"), required=False, help_text=_("Leave empty to use each recommendation's own due date.")
    )

    def __init__(self, *args, event, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recommendations"]
        field.queryset = event.recommendations.all()
        field.choices = [(r.pk, f"{r.code} {r.title}") for r in recommendations]
        field.initial = [r.pk for r in recommendations]
        use_native_widgets(self)


# Keeping it current: the edit pages (web/edit_views.py). -----------------------------------------


class EventEditForm(EventEntryForm):
    """An event's own fields, as entered with the meeting, and its summary."""

    class Meta(EventEntryForm.Meta):
        fields = [*EventEntryForm.Meta.fields, "summary"]
        widgets = {**EventEntryForm.Meta.widgets, "summary": forms.Textarea(attrs={"rows": 3})}


class RecommendationEditForm(RecommendationEntryForm):
    """A recommendation's fields. A new due date carries to its assignments that follow it (those
    without a date of their own): workflow.change_recommendation."""

    class Meta(RecommendationEntryForm.Meta):
        fields = [*RecommendationEntryForm.Meta.fields, "due_date_note", "source_note"]
        widgets = {
            **RecommendationEntryForm.Meta.widgets,
            "due_date_note": forms.Textarea(attrs={"rows": 2}),
            "source_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = True
        self.fields["code"].help_text = ""
        self.fields["due_date"].help_text = _(
            "Its assignments that follow its due date move with it; those with a date of their own keep it."
        )


class AssignmentEditForm(VersionedAssignmentForm):
    class Meta:
        model = Assignment
        fields = ["role", "due_date", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        due = self.instance.recommendation.due_date
        self.fields["due_date"].help_text = (
            gettext("Leave empty to follow the recommendation's due date (%(date)s).")
            % {"date": date_format(due, "DATE_FORMAT")}
            if due
            else gettext("Leave empty to follow the recommendation's due date (it has none).")
        )
        use_native_widgets(self)
