"""The import page (upload a file, which a check job reads) and the template file to download."""

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms import BootstrapMixin
from jobs.imports import IMPORTERS, FileRefused, count_rows, importers_for
from jobs.imports.base import MAX_FILE_BYTES, file_format
from jobs.imports.jobs import store_upload
from jobs.imports.template import template_xlsx
from jobs.models import Job, JobKind
from jobs.views.jobs import INLINE_ROWS, _run


class ImportForm(BootstrapMixin, forms.Form):
    importer = forms.ChoiceField(label=gettext_lazy("What the file holds"))
    file = forms.FileField(
        label=gettext_lazy("File (xlsx, csv or json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.json"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["importer"].choices = [(i.key, i.label) for i in importers_for(user)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_format(upload.name)
        except FileRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it into several files."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    if not importers_for(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = count_rows(upload.name, data)
        except FileRefused as exc:  # e.g. a csv that is no text at all: say so, never a 500
            form.add_error("file", str(exc))
            context = {"form": form, "importers": importers_for(request.user), "inline_rows": INLINE_ROWS}
            return render(request, "jobs/import.html", context)
        params = {
            "importer": form.cleaned_data["importer"],
            "filename": upload.name[-100:],
            "path": store_upload(upload.name, data),
            "language": request.LANGUAGE_CODE,
        }
        job = Job.objects.create(
            kind=JobKind.IMPORT_CHECK,
            owner=request.user,
            unit_id=request.user.unit_id,
            params=params,
            total=rows,
        )
        _run(job, rows)
        return redirect("jobs:detail", pk=job.pk)
    return render(
        request,
        "jobs/import.html",
        {"form": form, "importers": importers_for(request.user), "inline_rows": INLINE_ROWS},
    )


@login_required
@require_GET
def template_view(request, key):
    importer = IMPORTERS.get(key)
    if importer is None:
        raise Http404
    if not importer.may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(
        template_xlsx(importer),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = _("import-template") + f"-{key}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
