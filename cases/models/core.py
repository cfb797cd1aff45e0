"""The case core shared by every case type: the case, its parties, timeline and attachments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.idcrypt import EncryptedIdNumberField, id_digest, phone_digest


class CaseKind(models.TextChoices):
    DISPUTE = "dispute", _("dispute")
    PETITION = "petition", _("petition")


class Case(models.Model):
    """What every case type shares. Dispute and petition extend it one-to-one.

    Deadlines, timeline entries, attachments and party links point here, so the scanner, the inbox,
    the dashboard and the scoping rule (accounts.scoping) are written once, over one indexed table.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    number = models.CharField(_("case number"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    status = models.CharField(_("status"), max_length=32)
    # The grid (网格) where the case arose, and who reported it: a grid worker sees the cases of their
    # grids and those they reported (accounts.scoping). Both empty for cases from before grids.
    grid = models.ForeignKey(
        "accounts.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # 信访工作条例 §30: accusation material never reaches the accused unit. The scoping rule hides
    # the case from this unit's members whatever else would let them see it.
    withheld_from_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("withheld from unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="case_number_unique"
            )
        ]
        indexes = [
            # Open cases by due time: the inbox, the dashboard and the deadline scanner. With the
            # columns the dashboard groups and filters them by, so its count of the cases due soon
            # or overdue reads the index alone (the province: ~48,000 rows, cases.tally).
            models.Index(
                fields=["next_due_at"],
                name="case_open_due",
                condition=models.Q(closed_at__isnull=True),
                include=["region", "handling_unit", "withheld_from_unit"],
            ),
            models.Index(fields=["handling_unit", "status"], name="case_unit_status"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
            # The case lists' two sort orders, so a large jurisdiction (a county's tens of thousands of
            # cases) is read in order up to the page instead of sorted whole (docs/performance.md).
            models.Index(
                F("next_due_at").asc(nulls_last=True),
                F("opened_at").desc(),
                F("id").desc(),
                name="case_list_due",
            ),
            models.Index(F("opened_at").desc(), F("id").desc(), name="case_opened"),
            # The cases created since the warning scan's watermark (analysis.scan): a day's few
            # thousand of the province's two million, read by ten of its statements, each a scan of
            # the whole table without it (~0.2 s each; docs/performance.md).
            models.Index(fields=["created_at"], name="case_created"),
            # A status filter within a jurisdiction (accepted petitions, disputes in mediation): the
            # region branch of the visibility rule reads only the cases in that status.
            models.Index(
                fields=["status", "region"],
                name="case_status_region",
                opclasses=["varchar_ops", "varchar_pattern_ops"],
            ),
            # The dashboard's open cases of a region: a few per cent of all cases.
            models.Index(
                fields=["region"],
                name="case_open_region",
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(closed_at__isnull=True),
            ),  # fmt: skip
            # A jurisdiction's cases with every column the visibility rule and the statistics filter
            # by, so a county's tens of thousands of rows are read from the index alone (no heap
            # visits; PostgreSQL only, other databases ignore INCLUDE) — reporting.petition_stats.
            models.Index(
                fields=["region"],
                name="case_region_cover",
                opclasses=["varchar_pattern_ops"],
                include=[
                    "id",
                    "kind",
                    "handler",
                    "handling_unit",
                    "withheld_from_unit",
                    "closed_at",
                    "status",
                ],
            ),
        ]

    def __str__(self):
        return self.number or self.summary or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian grant to one user, with a real foreign key (indexed joins, no casts)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian grant to a unit's group: how 交办/转送 gives another unit access."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class Person(models.Model):
    """One real person or organisation in the register: a keyed identity, no details.

    The register links a person's cases across jurisdictions for repeat detection and nothing else:
    it holds keyed hashes (HMAC under ``PII_HASH_KEY``) of the ID number and of the name + phone
    pair, and an organisation's unified social credit code, never a name, number, phone or
    address. What a party said on a case belongs to that case (``CaseParty``), so what one
    jurisdiction types never shows in, nor changes, another's case (SECURITY.md, "Personal data").
    """

    is_organisation = models.BooleanField(_("organisation"), default=False)
    # Keyed hash of the canonical ID number (cases.people.id_digest).
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Keyed hash of the normalised name and phone together (cases.people.name_phone_digest).
    name_phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # An organisation's unified social credit code (GB 32100) is public in the national enterprise
    # credit register, not personal data; it stays in the clear as the organisation's key.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"#{self.pk}"


class Satisfaction(models.TextChoices):
    """A party's or petitioner's evaluation (满意 / 基本满意 / 不满意)."""

    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    RESPONDENT = "respondent", _("respondent")
    THIRD_PARTY = "third_party", _("third party")
    PETITIONER = "petitioner", _("petitioner")
    REPRESENTATIVE = "representative", _("representative")
    AGENT = "agent", _("agent")


class CaseParty(models.Model):
    """A party of one case, with the details given on that case (name, ID number, phone, address).

    Every page, document, export and search reads these, never the register: a party's details
    are the case's, seen by whoever may see the case (accounts.scoping) and changed by nobody
    else. ``person`` is the register identity, for linking and repeat detection only.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_organisation = models.BooleanField(_("organisation"), default=False)
    name = models.CharField(_("name"), max_length=100, default="")
    # Encrypted in the column (cases.idcrypt); the canonical 18 characters in Python.
    id_number = EncryptedIdNumberField(_("ID number"), blank=True, default="")
    # Keyed hash of the canonical ID number, for exact search without reading the number itself.
    id_number_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, default="")
    gender = models.CharField(
        _("gender"), max_length=1, blank=True, default="", choices=[("M", _("male")), ("F", _("female"))]
    )
    # Read from the ID number when one is given (GB 11643; cases.people.party_details).
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # As typed ("0575-87012345"); its digests are computed over the canonical digits.
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    # Keyed hash of the phone's digits (cases.idcrypt.phone_digest): the search by a whole phone
    # number compares digests, never the typed text.
    phone_digest = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    # Who typed these details on this case: they may read them back unmasked (cases.pii).
    entered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "role", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="caseparty_unique")]
        # The search by a whole ID number or phone (cases.search) reads these; partial, so the many
        # parties with neither cost no index entries (and no varchar_pattern_ops twin, no LIKE here).
        indexes = [
            models.Index(
                fields=["id_number_digest"], name="caseparty_id_digest", condition=~Q(id_number_digest="")
            ),
            models.Index(
                fields=["phone_digest"], name="caseparty_phone_digest", condition=~Q(phone_digest="")
            ),
        ]
        # Search by part of a party's name (icontains: UPPER(name) LIKE UPPER('%…%')) has a trigram
        # index on UPPER(name), PostgreSQL only, created by SQL in migration cases/0027 (Django
        # renders an OpClass over an expression with the operator class inside the parentheses).

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"

    def save(self, *args, **kwargs):
        self.id_number_digest = id_digest(self.id_number) if self.id_number else ""
        self.phone_digest = phone_digest(self.phone)
        super().save(*args, **kwargs)


class TimelineEntry(models.Model):
    """Append-only history of a case: who did what, when, before and after.

    On PostgreSQL the database keeps it append-only (triggers refuse UPDATE, DELETE and TRUNCATE)
    and hash-chains each case's entries: a BEFORE INSERT trigger fills ``seq``, ``prev_hash`` and
    ``row_hash`` whatever the writer sent (ORM, bulk_create or COPY). See cases.audit.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # Filled by the database (db_default, so INSERT … RETURNING hands the values back); 0 and "" on
    # SQLite, which keeps no chain.
    seq = models.PositiveIntegerField(db_default=0, editable=False)
    prev_hash = models.CharField(max_length=64, db_default="", editable=False)
    row_hash = models.CharField(max_length=64, db_default="", editable=False)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["case", "at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="timeline_case_at")]
        constraints = [
            # A backstop: the chain trigger numbers a case's entries 1, 2, 3… under a lock.
            models.UniqueConstraint(
                fields=["case", "seq"], condition=models.Q(seq__gt=0), name="timeline_case_seq"
            )
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("timeline entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("timeline entries are append-only")


class TimelineHead(models.Model):
    """The last link of each case's timeline chain, kept by the chain trigger (never by Python).

    Locking this row serialises writers of one case's chain, so concurrent transactions cannot fork
    it; comparing it with the last entry shows entries cut off the end of a chain.
    """

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"{self.case_id}#{self.seq}"


class CaseNumberCounter(models.Model):
    """Last number issued per county, year and kind; locked while a number is allocated."""

    county_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=CaseKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county_code", "year", "kind"], name="counter_unique")]

    def __str__(self):
        return f"{self.county_code}/{self.year}/{self.kind}: {self.last}"


def attachment_path(instance, filename):
    # Never the user's file name: path traversal and odd characters stay out of the storage.
    import uuid

    return f"attachments/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("description"), max_length=200, blank=True)
    # None: sent by the party through the public channel (app public), no user uploaded it.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "uploaded_at"]

    def __str__(self):
        return self.original_name
