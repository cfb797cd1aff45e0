"""The API's own records: which external system a client is, how its categories map to ours, the
work orders already taken in (idempotency) and the log of every call."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPES = ("read", "intake", "workflow")


class ClientKind(models.TextChoices):
    HOTLINE = "hotline_12345", _("12345 hotline")
    GRID = "grid", _("grid events")
    OTHER = "other", _("other system")


class ApiClient(models.Model):
    """An external system's OAuth2 application (client credentials), bound to a service user of a
    unit: every call runs as that user, so the one scoping rule and the roles apply as for anyone
    of that unit. Revoking: untick "active" (or delete its tokens) in the admin."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, verbose_name=_("OAuth2 application"),
        on_delete=models.CASCADE, related_name="api_client",
    )  # fmt: skip
    system = models.SlugField(
        _("system code"), max_length=50, unique=True,
        help_text=_("The external system's code; with its own ids it makes intake idempotent."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=ClientKind.choices, default=ClientKind.OTHER)
    scopes = models.CharField(
        _("scopes"), max_length=100, default="read", help_text=_("Space-separated: read intake workflow.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return f"{self.application.name} ({self.system})"

    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in SCOPES]

    @property
    def user(self):
        return self.application.user

    def clean(self):
        unknown = [s for s in self.scopes.split() if s not in SCOPES]
        if unknown:
            raise ValidationError({"scopes": _("Unknown scopes: %(s)s") % {"s": " ".join(unknown)}})
        app = self.application
        if app.authorization_grant_type != app.GRANT_CLIENT_CREDENTIALS:
            raise ValidationError(_("The application must use the client-credentials grant."))
        if app.user_id is None or app.user.unit_id is None:
            raise ValidationError(_("The application's user must be a service user of a unit."))


class IntakeCategory(models.Model):
    """How a sender's category code maps to our dispute category (editable in the admin)."""

    kind = models.CharField(_("kind of sender"), max_length=20, choices=ClientKind.choices)
    external_code = models.CharField(_("sender's category code"), max_length=50)
    external_label = models.CharField(_("sender's category name"), max_length=100, blank=True)
    category = models.ForeignKey(
        "mediation.DisputeCategory",
        verbose_name=_("our category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    risk_level = models.ForeignKey(
        "mediation.RiskLevel", verbose_name=_("risk level"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("intake category mapping")
        verbose_name_plural = _("intake category mappings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_code"], name="api_intakecategory_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.external_code} → {self.category}"


class IntakeRecord(models.Model):
    """One work order or event taken in: (client, external id) is unique, so a second post of the
    same order answers with the first case instead of making another."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="intakes")
    external_id = models.CharField(_("external id"), max_length=100)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake record")
        verbose_name_plural = _("intake records")
        constraints = [models.UniqueConstraint(fields=["client", "external_id"], name="api_intake_once")]

    def __str__(self):
        return f"{self.client.system}:{self.external_id}"


class ApiCall(models.Model):
    """Every call of the API: who (client and user), what, and the answer's status."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=200)
    endpoint = models.CharField(_("endpoint"), max_length=80, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"
