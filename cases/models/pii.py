"""Who saw whose personal data in full, and when (PIPL §51 操作权限 and records; ASVS 16.2.1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One full view of a person's ID number or phone by a user, on a page or in a document.

    Append-only, like the timeline: a row is never changed or deleted by the application.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Which values were shown in full ("id_number", "phone", comma-separated) and where.
    fields = models.CharField(_("values shown"), max_length=50)
    via = models.CharField(_("where"), max_length=50)

    class Meta:
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "at"], name="pdaccess_person_at"),
            models.Index(fields=["user", "at"], name="pdaccess_user_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} → {self.person_id} ({self.fields})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("personal data views are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("personal data views are append-only")
