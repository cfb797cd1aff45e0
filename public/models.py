"""The public channel's rows: a case's 查询码 (stored as a keyed digest only) and the one-time codes
sent to the phone on record. Neither holds a code in clear (docs/architecture.md, "The public's
own channel")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicAccess(models.Model):
    """One case, one code (一案一码): the 查询码 a citizen got when applying online."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="public_access")
    # HMAC-SHA256 under PII_HASH_KEY of the normalised code: found by an index, never readable.
    code_digest = models.CharField(max_length=64, unique=True)
    # The party whose phone is on record: the one-time codes go there, and only that phone follows.
    party = models.ForeignKey("cases.CaseParty", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public access code")
        verbose_name_plural = _("public access codes")

    def __str__(self):
        return f"access {self.pk}"


class OneTimeCode(models.Model):
    """A challenge: a 6-digit code sent by SMS, good once, for a few minutes, for a few tries.

    ``access`` is None for a challenge opened for a code and phone that did not match: the citizen
    gets the same page and the same answers, and no code is ever sent (nothing tells whether the
    查询码 exists). ``token`` is the challenge's random name, held in the public cookie."""

    access = models.ForeignKey(PublicAccess, null=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="public_otp_created")]

    def __str__(self):
        return f"challenge {self.pk}"
