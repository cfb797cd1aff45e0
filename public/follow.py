"""Following a case with its 查询码 and a one-time code sent to the phone on record.

One answer whatever happened: a look-up with an unknown code, a known code with another phone, or
a code and phone that match all open a challenge and show the same page ("if the details match, a
code was sent"); only the last sends a text message. Checks compare keyed digests in constant time
(``codes.same``); an unknown code still compares a phone digest, so the work done is the same.
A challenge is good for OTP_MINUTES, for OTP_TRIES tries, once; what it unlocks lasts GRANT_MINUTES.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.idcrypt import phone_digest
from public import codes, sms
from public.models import OneTimeCode, PublicAccess

OTP_MINUTES = 10
OTP_TRIES = 5
GRANT_MINUTES = 15
# Compared against when the code is unknown, so both branches compare one digest.
_NOBODY = "0" * 64


def open_challenge(code: str, phone: str) -> tuple[str, bool]:
    """(challenge token, whether a text message was sent). ``phone`` as typed or canonical."""
    access = (
        PublicAccess.objects.select_related("party").filter(code_digest=codes.code_digest(code)).first()
        if codes.looks_like_code(code)
        else None
    )
    on_record = phone_digest(access.party.phone) if access else _NOBODY
    match = codes.same(on_record, phone_digest(phone)) and access is not None
    token, otp = codes.new_token(), codes.new_otp()
    # Challenges and grants are worth nothing after a day: dropped as new ones come (indexed).
    OneTimeCode.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    OneTimeCode.objects.create(
        access=access if match else None,
        token=token,
        code_digest=codes.otp_digest(token, otp),
        expires_at=timezone.now() + datetime.timedelta(minutes=OTP_MINUTES),
    )
    if match:
        number, to = access.case.number, access.party.phone
        text = _("One-time code %(otp)s for case %(number)s; valid for %(minutes)s minutes. Tell nobody.") % {
            "otp": otp,
            "number": number,
            "minutes": OTP_MINUTES,
        }
        transaction.on_commit(lambda: sms.send(to, text))
    return token, match


def check_otp(token: str, otp: str) -> bool:
    """True when ``otp`` is the code of the open challenge ``token`` (which is then used up).
    A decoy challenge (no case) never passes: its code was never sent."""
    with transaction.atomic():
        challenge = OneTimeCode.objects.select_for_update().filter(token=token or "-").first()
        if challenge is None:
            codes.same(_NOBODY, codes.otp_digest("-", otp))
            return False
        usable = (
            challenge.used_at is None
            and challenge.attempts < OTP_TRIES
            and challenge.expires_at > timezone.now()
        )
        right = codes.same(challenge.code_digest, codes.otp_digest(token, otp))
        if usable and right and challenge.access_id is not None:
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
            return True
        OneTimeCode.objects.filter(pk=challenge.pk).update(attempts=challenge.attempts + 1)
        return False


def granted(token: str | None) -> PublicAccess | None:
    """The access a used one-time code unlocked, while it lasts."""
    if not token:
        return None
    since = timezone.now() - datetime.timedelta(minutes=GRANT_MINUTES)
    challenge = (
        OneTimeCode.objects.select_related("access__case", "access__party")
        .filter(token=token, used_at__gte=since, access__isnull=False)
        .first()
    )
    return challenge.access if challenge else None
