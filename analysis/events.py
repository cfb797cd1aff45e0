"""The fields every timeline entry of the analysis app has (analysis.models, analysis.duty_models)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One entry of an analysis object's own timeline (a warning, a key person, a 包案): who, when,
    what, and what it left. Each subclass names the object it belongs to."""

    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20)
    description = models.CharField(_("description"), max_length=300)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True
