"""The coordinators' admin. Every write to assignments and status updates goes through
recommendations.workflow; forms run the workflow's checks in clean() so a broken rule is a
form error, and the write itself happens in save_model/save_formset."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin  # a field per language (translation.py)

from events.models import ActorGroup
from recommendations import permissions, workflow
from recommendations.badges import status_badge
from recommendations.choices import AssignmentRole, Status
from recommendations.forms import VersionedAssignmentForm
from recommendations.models import Assignment, EvidenceFile, Recommendation, StatusUpdate, Theme
from recommendations.reads import progress


class WorkflowErrorsAsMessages:
    """If a rule fails only at write time (a race with another user after clean() passed),
    show its message and return to the form instead of an error page."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ManagedByCoordinators:
    """Adding, changing and removing assignments is what makes a coordinator (permissions.is_coordinator),
    the same right the workflow asks for, not Django's model permissions."""

    def has_add_permission(self, request, *args):
        return permissions.is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_coordinator(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_coordinator(request.user)


class AssignmentInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A formset ignores the errors of the rows marked for deletion: the workflow's rules for a
        # removal are checked here, for the formset as a whole.
        for form in self.deleted_forms:
            if form.instance.pk:
                workflow.check_unassign(form.instance, getattr(form, "cleaned_data", {}).get("expected_version"))


class AssignmentInline(ManagedByCoordinators, admin.TabularInline):
    model = Assignment
    form = VersionedAssignmentForm
    formset = AssignmentInlineFormSet
    fields = ["actor", "role", "due_date", "note", "current_status", "status_date", "expected_version"]
    readonly_fields = ["current_status", "status_date"]
    autocomplete_fields = ["actor"]
    show_change_link = True
    extra = 0

    @admin.display(description=_("Current status"))
    def current_status(self, assignment):
        return status_badge(assignment.status)


class AssignToRegionForm(forms.Form):
    group = forms.ModelChoiceField(ActorGroup.objects.all(), label=_("Region or group"))
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.LEAD)
    due_date = forms.DateField(
        label=_("Due date"), required=False, help_text=_("Leave empty to use each recommendation's own due date.")
    )


@admin.register(Recommendation)
class RecommendationAdmin(WorkflowErrorsAsMessages, TranslationAdmin):
    list_display = ["code", "title", "kind", "event", "due_date", "assignment_count", "progress"]
    list_filter = ["kind", "event", "themes", "dataset"]
    list_select_related = ["event"]
    search_fields = ["code", "title", "text", "source_quote"]
    autocomplete_fields = ["event", "source_document", "restates"]
    filter_horizontal = ["themes"]
    inlines = [AssignmentInline]
    actions = ["assign_to_region"]
    fieldsets = [
        (None, {"fields": ["event", "code", "sequence", "kind", "title", "text", "themes"]}),
        (_("Source"), {"fields": ["source_document", "source_quote", "source_note", "restates"]}),
        (_("Deadline"), {"fields": ["due_date", "milestone", "due_date_note"]}),
        (_("Provenance"), {"fields": ["dataset"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                assignment_count=Count("assignments"),
                implemented_count=Count("assignments", filter=Q(assignments__status=Status.IMPLEMENTED)),
                not_applicable_count=Count("assignments", filter=Q(assignments__status=Status.NOT_APPLICABLE)),
            )
        )

    @admin.display(description=_("Assigned to"), ordering="assignment_count")
    def assignment_count(self, recommendation):
        return recommendation.assignment_count

    @admin.display(description=_("Implemented"))
    def progress(self, recommendation):
        row = progress.from_counts(
            total=recommendation.assignment_count,
            implemented=recommendation.implemented_count,
            not_applicable=recommendation.not_applicable_count,
        )
        if row["share_implemented"] is None:
            return "—"
        done, applicable = row["implemented"], row["applicable"]
        of_those = ngettext(
            "(%(done)d of %(applicable)d that applies)", "(%(done)d of %(applicable)d that apply)", applicable
        ) % {"done": done, "applicable": applicable}
        return format_html(
            '<progress value="{}" max="{}" aria-hidden="true"></progress> {} <span title="{}">{}</span>',
            done,
            applicable,
            f"{row['share_implemented']:.0%}",
            progress.SHARES_NOTE,
            of_those,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # The form has set the fields on `obj`; its themes and the carried due date follow in save_related.
        workflow.change_recommendation(recommendation=obj, by=request.user, carry=False)

    def save_related(self, request, form, formsets, change):
        # After the inline rows' own changes (made at the version their forms read), in the same transaction.
        super().save_related(request, form, formsets, change)
        workflow.carry_due_date(form.instance)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        recommendation = form.instance
        # The admin's change message reads these three lists, which formset.save() would fill.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            assignment, data = inline_form.instance, inline_form.cleaned_data
            if inline_form in formset.deleted_forms:
                if assignment.pk:
                    workflow.unassign(
                        assignment=assignment, by=request.user, expected_version=data.get("expected_version")
                    )
                    formset.deleted_objects.append(assignment)
            elif assignment.pk and inline_form.has_changed():
                changed = workflow.change_assignment(
                    assignment=assignment,
                    by=request.user,
                    expected_version=data["expected_version"],
                    **inline_form.changes(),
                )
                formset.changed_objects.append((changed, inline_form.changed_data))
            elif not assignment.pk and inline_form.has_changed():
                formset.new_objects += workflow.assign(
                    recommendation=recommendation,
                    actors=[data["actor"]],
                    by=request.user,
                    role=data["role"],
                    due_date=data["due_date"],
                    note=data["note"],
                ).created

    @admin.action(description=_("Assign to every country of a region…"), permissions=["change"])
    def assign_to_region(self, request, queryset):
        form = AssignToRegionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            result = workflow.assign_all_to_group(
                recommendations=queryset,
                group=form.cleaned_data["group"],
                by=request.user,
                role=form.cleaned_data["role"],
                due_date=form.cleaned_data["due_date"],
            )
            self.message_user(request, result.summary())
            return None
        return TemplateResponse(
            request,
            "admin/recommendations/assign_to_region.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Assign to a region"),
                "form": form,
                "recommendations": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class StatusUpdateInline(admin.TabularInline):
    """An assignment's history, read-only: updates are added through the workflow, never edited."""

    model = StatusUpdate
    fk_name = "assignment"
    fields = ["date", "kind", "status", "note", "evidence_url", "corrects", "author", "reported_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssignmentAdminForm(VersionedAssignmentForm):
    class Meta:
        model = Assignment
        fields = ["recommendation", "actor", "role", "due_date", "note"]


@admin.register(Assignment)
class AssignmentAdmin(ManagedByCoordinators, WorkflowErrorsAsMessages, admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = ["recommendation_code", "actor", "role", "current_status", "status_date", "due_date", "is_overdue"]
    list_filter = ["status", "role", "recommendation__event", "recommendation__kind", "actor__kind", "dataset"]
    list_select_related = ["recommendation", "actor"]
    search_fields = ["recommendation__code", "recommendation__title", "actor__name", "actor__iso_code", "note"]
    autocomplete_fields = ["recommendation", "actor"]
    readonly_fields = ["current_status", "status_date", "assessed_status", "last_update_link", "record_update_link"]
    inlines = [StatusUpdateInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_readonly_fields(self, request, obj=None):
        # Who and what an assignment is about is fixed; a mistaken one is removed, not re-pointed.
        return [*self.readonly_fields, "recommendation", "actor"] if obj else self.readonly_fields

    def get_search_results(self, request, queryset, search_term):
        # The status update form's autocomplete offers only what this user may report on.
        if request.GET.get("model_name") == "statusupdate" and request.GET.get("field_name") == "assignment":
            queryset = queryset.reportable_by(request.user)
        return super().get_search_results(request, queryset, search_term)

    def get_fieldsets(self, request, obj=None):
        main = ["recommendation", "actor", "role", "due_date", "note", "expected_version"]
        if obj is None:
            return [(None, {"fields": main})]
        status = ["current_status", "status_date", "assessed_status", "last_update_link", "record_update_link"]
        return [(None, {"fields": main}), (_("Status"), {"fields": status})]

    @admin.display(description=_("Recommendation"), ordering="recommendation__code")
    def recommendation_code(self, assignment):
        return assignment.recommendation.code

    @admin.display(description=_("Current status"), ordering="status")
    def current_status(self, assignment):
        return status_badge(assignment.status)

    @admin.display(description=_("Overdue"), boolean=True)
    def is_overdue(self, assignment):
        return assignment.is_overdue

    @admin.display(description=_("Latest update"))
    def last_update_link(self, assignment):
        if not assignment.last_update_id:
            return "—"
        return format_html(
            '<a href="../../../statusupdate/{}/change/">{}</a>', assignment.last_update_id, assignment.last_update
        )

    @admin.display(description=_("Report"))
    def record_update_link(self, assignment):
        return format_html(
            '<a class="button" href="../../../statusupdate/add/?assignment={}">{}</a>',
            assignment.pk,
            gettext("Record a status update"),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = workflow.change_assignment(
                assignment=obj, by=request.user, expected_version=data["expected_version"], **form.changes()
            )
        else:
            saved = workflow.assign(
                recommendation=data["recommendation"],
                actors=[data["actor"]],
                by=request.user,
                role=data["role"],
                due_date=data["due_date"],
                note=data["note"],
            ).created[0]
        _adopt(obj, saved)

    # The delete page and action confirm what they show now, so the version removed is the current one.
    def delete_model(self, request, obj):
        workflow.unassign(assignment=obj, by=request.user, expected_version=obj.version)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            self.delete_model(request, assignment)


class EvidenceFileReadOnly:
    """Evidence files are written with their update by the workflow (the pages and the API take them),
    and are part of its record: the admin only lists them, each with its download link."""

    readonly_fields = ["download", "content_type", "size", "sha256", "created_at"]

    @admin.display(description=_("File"))
    def download(self, evidence):
        return format_html('<a href="{}" download>{}</a>', evidence.get_absolute_url(), evidence.name)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceFileInline(EvidenceFileReadOnly, admin.TabularInline):
    model = EvidenceFile
    fields = EvidenceFileReadOnly.readonly_fields
    extra = 0


@admin.register(EvidenceFile)
class EvidenceFileAdmin(EvidenceFileReadOnly, admin.ModelAdmin):
    list_display = ["download", "update", "content_type", "size", "created_at"]
    list_select_related = ["update__assignment__recommendation", "update__assignment__actor"]
    list_filter = ["content_type"]
    search_fields = ["name", "sha256", "update__assignment__recommendation__code", "update__assignment__actor__name"]
    fields = ["update", *EvidenceFileReadOnly.readonly_fields]
    readonly_fields = fields


class StatusUpdateAdminForm(forms.ModelForm):
    request = None  # set by StatusUpdateAdmin.get_form
    # Declared so that a link typed without a scheme means https, as on the reporting page.
    evidence_url = forms.URLField(label=_("Evidence URL"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = StatusUpdate
        fields = ["assignment", "kind", "status", "date", "note", "internal_note", "evidence_url", "corrects"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # Every field of the form is one of the Report's; save_model records this one.
        self.report = workflow.Report(author=self.request.user, **{name: data[name] for name in self._meta.fields})
        try:
            workflow.check_status_update(self.report)
        except PermissionDenied as denied:
            raise ValidationError({"assignment": str(denied)}) from None
        return data


@admin.register(StatusUpdate)
class StatusUpdateAdmin(WorkflowErrorsAsMessages, admin.ModelAdmin):
    """Append-only: updates can be added and viewed, never changed or deleted."""

    form = StatusUpdateAdminForm
    list_display = [
        "assignment",
        "status",
        "date",
        "kind",
        "author",
        "reported_by",
        "created_at",
        "corrects",
        "dataset",
    ]
    list_filter = ["status", "kind", "reported_by", "dataset", "assignment__recommendation__event"]
    list_select_related = ["assignment__recommendation", "assignment__actor", "author", "corrects"]
    search_fields = ["assignment__recommendation__code", "assignment__actor__name", "note"]
    autocomplete_fields = ["assignment", "corrects"]
    date_hierarchy = "date"
    inlines = [EvidenceFileInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # files are added on the reporting page or through the API

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None:
            return fields
        if not permissions.can_read_internal_note(request.user, obj.assignment):
            fields.remove("internal_note")  # the read rule, as on the pages and in the API
        return [*fields, "reported_by"]  # recorded updates are only viewed: every field is read-only

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignment":
            kwargs["queryset"] = Assignment.objects.reportable_by(request.user).with_related()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            permissions.is_coordinator(request.user) or bool(permissions.reportable_actor_ids(request.user))
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        _adopt(obj, workflow.record_status_update(form.report))


def _adopt(obj, saved):
    """Make the admin's unsaved form instance stand for the row the workflow wrote,
    so the admin's log entry and redirect point at it."""
    obj.__dict__.update({key: value for key, value in saved.__dict__.items() if key != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db
