"""A citizen's application becomes a case through the staff's own intake (numbering, the register's
repeat detection, the first deadline from the day received, the hand-off to the competent unit),
then gets its 查询码, whose QR code the confirmation page shows and which goes out by SMS."""

import types

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.attachments import check_upload
from cases.models import Attachment, PartyRole
from cases.timeline import record
from cases.transitions import TransitionError
from mediation.models import DisputeSource, RiskLevel
from mediation.workflow import register_public_dispute
from petitions.workflow import register_public_petition
from public import codes, routing, sms
from public.models import PublicAccess


def _sender():
    # Who the hand-off notice names as sender: the channel, not a person (supervision.handoffs).
    return types.SimpleNamespace(name=_("Online application by the public"))


def _facts(data) -> str:
    return f"{data['facts']}\n\n{_('What the applicant asks for')}：{data['request']}"


def submit_dispute(form) -> tuple:
    """申请调解: (dispute, code). Raises TransitionError with a Chinese message."""
    data = form.cleaned_data
    unit = routing.competent_unit(data["region"], "dispute")
    if unit is None:
        raise TransitionError(_("No mediation committee takes applications for this place online yet."))
    risk = RiskLevel.objects.order_by("-position", "pk").first()
    with transaction.atomic():
        dispute = register_public_dispute(
            unit=unit, sender=_sender(),
            parties=[(form.applicant(), PartyRole.APPLICANT), (form.respondent(), PartyRole.RESPONDENT)],
            region=data["region"], summary=data["summary"], source=DisputeSource.APPLICATION,
            category=data["category"], risk_level=risk, facts=_facts(data), people_involved=2,
        )  # fmt: skip
        code = _finish(dispute, data)
    return dispute, code


def submit_petition(form) -> tuple:
    """网上信访: (petition, code)."""
    data = form.cleaned_data
    unit = routing.competent_unit(data["region"], "petition")
    if unit is None:
        raise TransitionError(_("No petition office takes petitions for this place online yet."))
    content = f"{data['facts']}\n\n{_('Concerns')}：{data['other_party']}"
    with transaction.atomic():
        petition = register_public_petition(
            unit=unit, sender=_sender(), petitioner=form.applicant(),
            petition_kind=data["petition_kind"], category=data["category"], region=data["region"],
            summary=data["summary"], content=content, demands=data["request"],
        )  # fmt: skip
        code = _finish(petition, data)
    return petition, code


def _finish(case, data) -> str:
    for upload in data.get("files") or []:
        _attach(case, upload)
    party = case.parties.order_by("position").first()
    code = grant_code(case, party)
    phone = party.phone
    text = _(
        "Application %(number)s received. Query code: %(code)s (keep it; follow your case at %(path)s)."
    ) % {
        "number": case.number,
        "code": codes.grouped(code),
        "path": "/public/follow/",
    }
    transaction.on_commit(lambda: sms.send(phone, text))
    return code


def grant_code(case, party) -> str:
    """A new random code for ``case``; only its digest is stored. A collision (1 in 2^60 per pair)
    draws again."""
    for _attempt in range(5):
        code = codes.new_code()
        try:
            with transaction.atomic():
                PublicAccess.objects.create(case=case, party=party, code_digest=codes.code_digest(code))
        except IntegrityError:
            continue
        return code
    raise RuntimeError("could not draw a free query code")


def _attach(case, upload) -> Attachment:
    name, content_type = check_upload(upload)  # again, at the door: the form checked it once
    attachment = Attachment(
        case_id=case.pk, original_name=name, content_type=content_type, size=upload.size,
        description=_("Sent by the applicant online")[:200], uploaded_by=None,
    )  # fmt: skip
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    record(case, None, "attach", _("Attachment added: %(name)s") % {"name": name})
    return attachment
