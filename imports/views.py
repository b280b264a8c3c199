"""The import pages: upload a filled-in template — of status updates (/imports/updates/) or of an
event's recommendations and assignments (/imports/recommendations/<event id>/) — then its preview
and the confirmation (/imports/<upload id>/), one flow for every kind (imports.kinds). Every rule
is the workflow's; who may import what is recommendations.permissions (kinds.ALLOWED)."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from events.models import Event
from imports import kinds, spreadsheet
from imports.models import Upload
from recommendations import permissions
from web.access import RightRequiredMixin

SHOWN_ROWS = 200  # rows to be recorded listed on the preview (all refused rows are)
KEPT = datetime.timedelta(days=1)  # a user's uploads older than this are removed at their next upload
REFUSALS = {
    Upload.Kind.UPDATES: gettext_lazy("Only focal points and coordinators can import status updates."),
    Upload.Kind.RECOMMENDATIONS: gettext_lazy("Only coordinators can import recommendations and assignments."),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template"),
        help_text=gettext_lazy("The template as XLSX or CSV, with the status, date and any note filled in."),
    )


class RecommendationsUploadForm(UploadForm):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template"),
        help_text=gettext_lazy("The template (or an export) as XLSX or CSV, with your changes and new rows."),
    )


class ImportView(RightRequiredMixin, FormView):
    """The upload page of one kind of import: the file is read at once and its rows kept for the preview."""

    kind = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            max_rows=number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
            max_megabytes=number_format(settings.IMPORT_MAX_MEGABYTES),
        )

    def event(self):
        return None

    def form_valid(self, form):
        file = form.cleaned_data["file"]
        try:
            rows = kinds.MODULES[self.kind].read(file)
        except spreadsheet.FileRefused as refused:
            form.add_error("file", refused.message)
            return self.form_invalid(form)
        user = self.request.user
        Upload.objects.filter(user=user, created_at__lt=timezone.now() - KEPT).delete()
        upload = Upload.objects.create(
            user=user, kind=self.kind, event=self.event(), filename=file.name[:255], rows=rows
        )
        return redirect("import-upload", pk=upload.pk)


class UpdatesImportView(ImportView):
    kind = Upload.Kind.UPDATES
    allowed = staticmethod(permissions.can_import_updates)
    refusal = REFUSALS[kind]
    template_name = "imports/updates.html"
    form_class = UploadForm


class RecommendationsImportView(ImportView):
    kind = Upload.Kind.RECOMMENDATIONS
    allowed = staticmethod(permissions.can_import_recommendations)
    refusal = REFUSALS[kind]
    template_name = "imports/recommendations.html"
    form_class = RecommendationsUploadForm

    def event(self):
        return get_object_or_404(Event, pk=self.kwargs["event"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, event=self.event())


class UploadView(RightRequiredMixin, DetailView):
    """What the upload would record (GET), and its recording (POST: all rows or none)."""

    allowed = staticmethod(lambda user: True)  # signed in; the upload's kind says who may go on
    context_object_name = "upload"

    def get_queryset(self):
        return Upload.objects.filter(user=self.request.user).select_related("event")  # nobody sees another's

    def get_object(self, queryset=None):
        upload = super().get_object(queryset)
        if not kinds.ALLOWED[upload.kind](self.request.user):
            raise PermissionDenied(REFUSALS[upload.kind])
        self.module = kinds.MODULES[upload.kind]
        return upload

    def get_template_names(self):
        return [f"imports/upload_{self.object.kind}.html"]

    def get(self, request, *args, **kwargs):
        self.object = upload = self.get_object()
        result = None if upload.recorded_at else self.module.preview(upload.rows, request.user, upload.event)
        return self.render_to_response(self.get_context_data(result=result))

    def post(self, request, *args, **kwargs):
        self.object = upload = self.get_object()
        if upload.recorded_at:
            return redirect("import-upload", pk=upload.pk)
        with transaction.atomic():
            result = self.module.commit(upload.rows, request.user, upload.event)
            if not result.refused:
                upload.recorded_at = timezone.now()
                upload.save(update_fields=["recorded_at"])
        if result.refused:  # the records changed since the preview: show what is refused now
            return self.render_to_response(self.get_context_data(result=result))
        messages.success(request, self.module.recorded_message(result))
        return redirect("import-upload", pk=upload.pk)

    def get_context_data(self, result=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if result is not None:
            context.update(
                self.module.shown(result, SHOWN_ROWS),
                result=result,
                refused=[(refusal, self.module.column(refusal)) for refusal in result.refused],
                refused_message=spreadsheet.refused_message(result) if result.refused else "",
            )
        return context
