"""The coordinators' pages that add and change countries and bodies, regions and groups. Only
coordinators open them (web/access.py asks recommendations.permissions); the forms collect input,
the rules are the models' (Actor.clean refuses a cycle; the constraints hold the ISO codes and the
bodies' codes) and the writes recommendations.workflow's (save_actor, save_group), as in the admin
and the API."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cvetracker.ids import as_id
from events.models import Actor, ActorGroup
from recommendations import workflow
from web.access import CoordinatorRequiredMixin
from web.forms import add_workflow_error
from web.meeting_forms import ActorCheckboxes, ActorSelect, actor_tree, set_actor_choices

NAME_LABELS = {"name_en": _("Name in English"), "name_ru": _("Name in Russian"), "name_kk": _("Name in Kazakh")}
NAME_HELP = {"name_ru": _("Optional: without it, the English name is shown.")}
NAME_HELP["name_kk"] = NAME_HELP["name_ru"]


class ActorForm(forms.ModelForm):
    class Meta:
        model = Actor
        fields = [*NAME_LABELS, "short_name", "kind", "iso_code", "code", "parent", "note"]
        labels = NAME_LABELS
        help_texts = NAME_HELP
        widgets = {"parent": ActorSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True
        parent = self.fields["parent"]
        parent.empty_label = gettext("None: a country or an organisation of its own")
        parent.help_text = _("The country or organisation this body belongs to; each body is listed under its own.")
        # An actor cannot go under itself or one of its bodies: shown, but not offered (Actor.clean refuses it).
        below = Actor.objects.subtree_ids([self.instance.pk]) if self.instance.pk else []
        set_actor_choices(parent, actor_tree(Actor.objects.all()), below, gettext("itself or one of its bodies"))

    def clean_iso_code(self):
        return self.cleaned_data["iso_code"].strip().upper()  # "kz" is meant as KZ


class GroupForm(forms.ModelForm):
    class Meta:
        model = ActorGroup
        fields = [*NAME_LABELS, "slug", "description", "members"]
        labels = NAME_LABELS
        help_texts = {
            **NAME_HELP,
            "slug": _(
                "Its name in web addresses and the API, e.g. central-asia. Left empty, it is made from the name."
            ),
            "members": _("Countries and bodies; each body is listed under the one it belongs to."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "members": ActorCheckboxes}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_en"].required = True
        self.fields["slug"].required = False
        set_actor_choices(self.fields["members"], actor_tree(Actor.objects.all()))

    def clean_slug(self):
        slug = self.cleaned_data["slug"] or slugify(self.cleaned_data.get("name_en") or "")
        if not slug:
            message = gettext("Give the slug: the English name has no letters or digits to make it from.")
            raise forms.ValidationError(message, code="required")
        return slug


class EditView(CoordinatorRequiredMixin, TemplateView):
    """A new row (no pk in the address) or an existing one: the form (GET); on POST, the workflow's
    write and the row's page, or the form again with the errors beside their fields, as typed."""

    template_name = "web/coordinate/actor_form.html"
    title_edit = _("Edit %(name)s")
    done = _("Saved %(name)s.")

    def get(self, request, *args, **kwargs):
        row = self.get_row()
        form = self.form_class(instance=row, initial=self.initial() if row.pk is None else {})
        return self.render_to_response(self.get_context_data(row=row, form=form))

    def post(self, request, *args, **kwargs):
        row = self.get_row()
        shown = self.get_context_data(row=row)  # named as stored, not as typed in the form
        form = self.form_class(request.POST, instance=row)
        if form.is_valid():
            try:
                saved = self.save(form)
            except ValidationError as error:
                add_workflow_error(form, error)
            else:
                messages.success(request, self.done % {"name": saved})
                return redirect(self.next_url(saved))
        return self.render_to_response({**shown, "form": form})

    def get_row(self):
        model = self.form_class._meta.model
        return get_object_or_404(model, pk=self.kwargs["pk"]) if "pk" in self.kwargs else model()

    def initial(self):
        return {}

    def get_context_data(self, **kwargs):
        row = kwargs["row"]
        title = self.title_new if row.pk is None else self.title_edit % {"name": row}
        back = reverse("actor-list") if row.pk is None else self.next_url(row)
        return super().get_context_data(title=title, name=str(row), back_url=back, **kwargs)


class ActorEditView(EditView):
    form_class = ActorForm
    title_new = _("Add a country or body")

    def initial(self):
        parent = as_id(self.request.GET.get("parent", ""))  # "Add a body" on an actor's page starts under it
        return {"parent": parent} if parent else {}

    def save(self, form):
        return workflow.save_actor(by=self.request.user, actor=form.instance)

    def next_url(self, actor):
        return actor.get_absolute_url()


class GroupEditView(EditView):
    form_class = GroupForm
    title_new = _("Add a region or group")

    def save(self, form):
        return workflow.save_group(by=self.request.user, group=form.instance, members=form.cleaned_data["members"])

    def next_url(self, group):
        return f"{reverse('actor-list')}?{urlencode({'region': group.slug})}"
