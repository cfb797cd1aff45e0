"""Attachments: checked on the way in, served only through the scoping rule.

The stored name is a UUID (cases.models.attachment_path); the user's file name is kept for display
and the download header only, cleaned of paths and bidirectional-override characters.
"""

import os
import unicodedata
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts import roles
from cases.models import Attachment
from cases.timeline import record

MAX_BYTES = 10 * 1024 * 1024
# What a file must start with, by extension. Office files are zip containers with a known member.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ZIP_MEMBER = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
MAX_UNPACKED = 100 * 1024 * 1024
UPLOAD_ROLES = (roles.MEDIATOR, roles.GRID_WORKER, roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR)


def clean_name(name: str) -> str:
    """The display name: no directories, no control or bidi-override characters, at most 150 chars."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = name.strip(" .") or "file"
    stem, ext = os.path.splitext(name)
    return stem[: 150 - len(ext)] + ext


def check_upload(upload) -> tuple[str, str]:
    """(clean name, content type) or ValidationError with a Chinese message."""
    name = clean_name(upload.name)
    ext = os.path.splitext(name)[1].lower()
    if ext not in SIGNATURES:
        raise ValidationError(_("Only PDF, JPG, PNG, DOCX and XLSX files can be attached."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise ValidationError(_("The file's content does not match its extension."))
    if ext in ZIP_MEMBER:
        try:
            with zipfile.ZipFile(upload) as archive:
                infos = archive.infolist()
                if ZIP_MEMBER[ext] not in {i.filename for i in infos}:
                    raise ValidationError(_("The file's content does not match its extension."))
                # A zip bomb: small on the way in, enormous once unpacked.
                if len(infos) > 10000 or sum(i.file_size for i in infos) > MAX_UNPACKED:
                    raise ValidationError(_("The file unpacks to more than 100 MB."))
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("The file's content does not match its extension.")) from exc
        finally:
            upload.seek(0)
    return name, CONTENT_TYPES[ext]


def add_attachment(case, actor, upload, description="") -> Attachment:
    if not (actor.is_superuser or roles.has_role(actor, *UPLOAD_ROLES)):
        raise PermissionDenied(_("Your role does not allow this action."))
    name, content_type = check_upload(upload)
    attachment = Attachment(
        case_id=case.pk,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        description=description[:200],
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    record(case, actor, "attach", _("Attachment added: %(name)s") % {"name": name})
    return attachment
