"""Lasting links between cases that analysis finds (issue 18): a dispute turned petition (矛盾纠纷转
信访). Imported by analysis.models.

A ``Conversion`` row says: the petitioner of ``petition`` (their register identity, ``cases.Person``)
was a party of ``dispute``, opened before it. The rows are written when the petition's petitioner is
recorded (analysis.conversions, on the party link's save) and by every warning scan for the petitions
created since its last run (a bulk import that bypasses signals included); both are idempotent. The
case pages show the link to whoever may see the other case, and the conversion-rate figure counts
disputes that have a row (analysis.conversions.converted_q).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Conversion(models.Model):
    dispute = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="conversions_out", verbose_name=_("dispute")
    )
    petition = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="conversions_in", verbose_name=_("petition")
    )
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    # The person's role on the dispute (applicant, respondent, third party).
    dispute_role = models.CharField(_("role in the dispute"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dispute turned petition")
        verbose_name_plural = _("disputes turned petitions")
        ordering = ["petition", "dispute"]
        constraints = [models.UniqueConstraint(fields=["dispute", "petition"], name="conversion_unique")]
        indexes = [models.Index(fields=["petition"], name="conversion_petition")]

    def __str__(self):
        return f"{self.dispute_id} -> {self.petition_id}"
