from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import get_visible_case_or_404
from cases.attachments import add_attachment
from cases.models import Attachment, Case, CaseKind


def _back(case):
    return redirect("petitions:detail" if case.kind == CaseKind.PETITION else "disputes:detail", pk=case.pk)


@login_required
@require_POST
def upload_view(request, pk):
    case = get_visible_case_or_404(request.user, Case.objects.all(), pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return _back(case)
    try:
        add_attachment(case, request.user, upload, request.POST.get("description", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File attached."))
    return _back(case)


@login_required
def download_view(request, pk, attachment_id):
    case = get_visible_case_or_404(request.user, Case.objects.all(), pk=pk)
    try:
        attachment = Attachment.objects.get(pk=attachment_id, case_id=case.pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.original_name)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
