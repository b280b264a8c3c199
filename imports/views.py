"""The import pages: upload a filled-in template (/imports/updates/), then its preview and the
confirmation (/imports/updates/<id>/). Every rule is the workflow's (through imports.updates);
who may import is recommendations.permissions.can_import_updates."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, FormView

from imports import spreadsheet, updates
from imports.models import Upload
from recommendations import permissions
from web.access import RightRequiredMixin

SHOWN_ROWS = 200  # rows to be recorded listed on the preview (all refused rows are)
KEPT = datetime.timedelta(days=1)  # a user's uploads older than this are removed at their next upload


class ImportRequiredMixin(RightRequiredMixin):
    allowed = staticmethod(permissions.can_import_updates)
    refusal = gettext_lazy("Only focal points and coordinators can import status updates.")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template"),
        help_text=gettext_lazy("The template as XLSX or CSV, with the status, date and any note filled in."),
    )


class UpdatesImportView(ImportRequiredMixin, FormView):
    template_name = "imports/updates.html"
    form_class = UploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            max_rows=number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
            max_megabytes=number_format(settings.IMPORT_MAX_MEGABYTES),
        )

    def form_valid(self, form):
        file = form.cleaned_data["file"]
        try:
            rows = updates.read(file)
        except spreadsheet.FileRefused as refused:
            form.add_error("file", refused.message)
            return self.form_invalid(form)
        user = self.request.user
        Upload.objects.filter(user=user, created_at__lt=timezone.now() - KEPT).delete()
        upload = Upload.objects.create(user=user, filename=file.name[:255], rows=rows)
        return redirect("import-upload", pk=upload.pk)


class UploadView(ImportRequiredMixin, DetailView):
    """What the upload would record (GET), and its recording (POST: all rows or none)."""

    template_name = "imports/upload.html"
    context_object_name = "upload"

    def get_queryset(self):
        return Upload.objects.filter(user=self.request.user)  # nobody sees another's upload

    def get(self, request, *args, **kwargs):
        self.object = upload = self.get_object()
        result = None if upload.recorded_at else updates.preview(upload.rows, request.user)
        return self.render_to_response(self.get_context_data(result=result))

    def post(self, request, *args, **kwargs):
        self.object = upload = self.get_object()
        if upload.recorded_at:
            return redirect("import-upload", pk=upload.pk)
        with transaction.atomic():
            result = updates.commit(upload.rows, request.user)
            if not result.refused:
                upload.recorded_at = timezone.now()
                upload.save(update_fields=["recorded_at"])
        if result.refused:  # the records changed since the preview: show what is refused now
            return self.render_to_response(self.get_context_data(result=result))
        count = len(result.created)
        messages.success(
            request,
            ngettext("%(count)d status update recorded.", "%(count)d status updates recorded.", count)
            % {"count": count},
        )
        return redirect("import-upload", pk=upload.pk)

    def get_context_data(self, result=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if result is not None:
            context.update(
                result=result,
                created=result.created[:SHOWN_ROWS],
                refused=[(refusal, updates.column(refusal)) for refusal in result.refused],
                refused_message=updates.refused_message(result) if result.refused else "",
            )
        return context
