"""A user's saved list filters ("我的逾期", "本镇红色风险")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """One named filter of a case list (cases.saved_filters): the list it belongs to (a name a case
    type registered with cases.lists.register_list) and the query string of its filter form. It
    holds no result: whatever it shows is computed again, through the one visibility rule, for the
    user who opens or counts it. Only its owner sees, renames or deletes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    list_name = models.CharField(_("list"), max_length=20)
    name = models.CharField(_("name"), max_length=40)
    query = models.CharField(_("filter"), max_length=1000, blank=True, default="")
    on_home = models.BooleanField(_("show on my home page"), default=False, db_default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedfilter_user_name")]

    def __str__(self):
        return self.name
