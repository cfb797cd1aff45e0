"""Petitions (信访事项) under the 信访工作条例 (2022), extending the case core."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.i18n import localized
from cases.models import Case, Satisfaction


class PetitionCategory(models.Model):
    """Two-level content classification (大类 → 小类), admin-editable (domain.md 2.2)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True, db_default="", default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")
        ordering = ["position", "pk"]

    def __str__(self):
        return localized(self)


class Channel(models.TextChoices):
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    ONLINE = "online", _("online")
    PHONE = "phone", _("phone call")
    LEADER_MAILBOX = "leader_mailbox", _("leader's mailbox")
    PEOPLE_BOARD = "people_board", _("People's Daily message board")
    WECHAT_APP = "wechat_app", _("WeChat or app")
    UPPER_REFERRAL = "upper_referral", _("referred from above")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")


class PetitionKind(models.TextChoices):
    """信访工作条例 §§29-31."""

    SUGGESTION = "suggestion", _("suggestion or opinion")
    ACCUSATION = "accusation", _("report or accusation")
    CLAIM = "claim", _("appeal or claim")


class Route(models.TextChoices):
    """信访工作条例 §31: routes (1)-(4) leave the petition track; (6) ends in a 信访处理意见书."""

    LEGAL = "legal", _("litigation, prosecution or police procedure")
    ARBITRATION = "arbitration", _("arbitration")
    PARTY_APPEAL = "party_appeal", _("party member's appeal")
    ADMINISTRATIVE = "administrative", _("administrative review or decision")
    ACT = "act", _("act on illegal conduct or reply")
    OPINION = "opinion", _("investigate and issue a handling opinion")


class PetitionStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    FORWARDED = "forwarded", _("forwarded")
    ASSIGNED = "assigned", _("assigned")
    # 信访工作条例 §23 ¶3: the receiving unit objected; the sending office checks before it returns.
    OBJECTED = "objected", _("objection awaiting the sender's check")
    NOT_ACCEPTED = "not_accepted", _("referred to the competent organ")
    DIVERTED = "diverted", _("diverted to a legal procedure")
    ACCEPTED = "accepted", _("accepted, in progress")
    REPLIED = "replied", _("replied")
    REVIEW_REQUESTED = "review_requested", _("review requested")
    REVIEWED = "reviewed", _("reviewed")
    REREVIEW_REQUESTED = "rereview_requested", _("re-review requested")
    FINALIZED = "finalized", _("finalised")


class Outcome(models.TextChoices):
    """信访工作条例 §32-33."""

    SUPPORTED = "supported", _("supported")
    EXPLAINED = "explained", _("explained")
    NOT_SUPPORTED = "not_supported", _("not supported")
    MEDIATED = "mediated", _("settled by mediation")


class ReviewOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    REVOKED = "revoked", _("revoked, to be handled again")
    VARIED = "varied", _("varied")


class Petition(Case):
    STATUS_LABELS = dict(PetitionStatus.choices)

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    petition_kind = models.CharField(_("kind"), max_length=20, choices=PetitionKind.choices)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, blank=True)
    category = models.ForeignKey(
        PetitionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("content"))
    demands = models.TextField(_("demands"), blank=True)
    received_on = models.DateField(_("received on"))
    complained_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit complained about"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    referring_body = models.CharField(_("referring body"), max_length=100, blank=True)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    # The matter's number in the national 信访信息系统 (信访工作条例 §21), by which the exchange
    # import (petitions.exchange_import) finds it; set by that import or kept from its export.
    national_number = models.CharField(
        _("national petition number"), max_length=40, blank=True, default="", db_default=""
    )
    is_collective = models.BooleanField(_("collective"), default=False)
    is_skip_level = models.BooleanField(_("skip-level"), default=False)
    # 信访工作条例 §25: reported up as a major or urgent matter (petitions.conduct).
    is_major = models.BooleanField(_("major or urgent"), default=False, db_default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    target_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("forwarded to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    routed_on = models.DateField(_("routed on"), null=True, blank=True)
    # The office that forwarded or assigned the matter: it checks an objection (§23 ¶3) and
    # receives the 办结报告 of an assigned matter (§22 ¶1(三)).
    routed_by = models.ForeignKey(
        "accounts.Unit", verbose_name=_("forwarded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # db_default: rows written by COPY (the province seeder, imports of old ledgers) get "" too.
    objection_reason = models.TextField(_("reason for the objection"), blank=True, db_default="")
    # §22 ¶1(三): the assigning office sets the date by which the result is reported.
    report_due_on = models.DateField(_("report due on"), null=True, blank=True)
    report_text = models.TextField(_("completion report"), blank=True, db_default="")
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    # The day the written acceptance notice went out (§23); monthly statistics count by it, and an
    # import of historical petitions sets it from the file.
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    reply_text = models.TextField(_("handling opinion"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_approver = models.CharField(_("approved by"), max_length=50, blank=True)
    extension_reason = models.CharField(_("reason for extension"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        # Monthly statistics read petitions by the dates of the period (reporting.petition_stats).
        indexes = [
            models.Index(fields=["received_on"], name="petition_received_on"),
            models.Index(fields=["accepted_on"], name="petition_accepted_on"),
            models.Index(fields=["replied_on"], name="petition_replied_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["national_number"],
                condition=~models.Q(national_number=""),
                name="petition_national_number",
            )
        ]

    def get_status_display(self):
        return self.STATUS_LABELS.get(self.status, self.status)


class VisitBatch(models.Model):
    """One visit (一批): counted in 批 and 人次."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visit date"))
    head_count = models.PositiveIntegerField(_("head-count"))
    # 信访工作条例 §20: a group elects at most 5 representatives.
    representatives = models.ManyToManyField("cases.Person", verbose_name=_("representatives"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["petition", "visited_on", "pk"]
        indexes = [models.Index(fields=["visited_on"], name="visit_visited_on")]

    def __str__(self):
        return f"{self.visited_on} {self.head_count}"


class Evaluation(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="evaluations")
    value = models.CharField(_("evaluation"), max_length=20, choices=Satisfaction.choices)
    given_on = models.DateField(_("date"))
    way = models.CharField(_("way given"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction evaluation")
        verbose_name_plural = _("satisfaction evaluations")

    def __str__(self):
        return self.value


class ReviewRequest(models.Model):
    """复查 (§35) or 复核 (§36)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reviews")
    level = models.CharField(
        _("level"), max_length=10, choices=[("review", _("review")), ("rereview", _("re-review"))]
    )
    requested_on = models.DateField(_("requested on"))
    # 信访工作条例 §35-36: the body one level above the one whose opinion is reviewed decides; the
    # original handler never decides its own review. Empty on requests registered before this rule.
    reviewing_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("reviewing unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    # A decision that revokes (撤销, 责令重新办理) or varies (变更) the opinion binds the original
    # handling unit to handle the matter again or carry out the varied opinion, and to report it to
    # the reviewing body (petitions.followup); filled when it reports.
    followup_text = models.TextField(_("report of the handling after review"), blank=True, db_default="")
    followup_on = models.DateField(_("reported after review on"), null=True, blank=True)
    # A decision that revokes it (撤销, 责令重新办理) leaves the petitioner owed a new 信访处理意见 from
    # the original unit (petitions.redo): a written document of its own, delivered like the first,
    # from whose delivery a new §35 复查 window runs.
    redone_outcome = models.CharField(
        _("outcome of the redone opinion"), max_length=20, choices=Outcome.choices, blank=True, db_default=""
    )
    redone_text = models.TextField(_("redone handling opinion"), blank=True, db_default="")
    redone_on = models.DateField(_("redone opinion issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        ordering = ["petition", "requested_on", "pk"]

    def __str__(self):
        return f"{self.level} {self.requested_on}"


class PetitionDocument(models.TextChoices):
    """The written notices and opinions a petitioner receives (their PDF slugs)."""

    ACCEPTANCE = "acceptance", _("acceptance notice")
    NOT_ACCEPTED = "not_accepted", _("non-acceptance notice")
    EXTENSION = "extension", _("extension notice")
    OPINION = "opinion", _("written handling opinion")
    REVIEW = "review", _("review opinion")
    REREVIEW = "rereview", _("re-review opinion")
    # 信访工作条例 §19, §23 ¶1: a skip-level petition referred down; the petitioner is told where it went.
    REFERRAL = "referral", _("skip-level referral notice")
    # 信访工作条例 §35-36: the original unit's new opinion after a review revoked its first one.
    REDONE = "redone", _("redone handling opinion")
    # §22 ¶1(三): the assigned unit's 办结报告 to the assigning office (not to the petitioner).
    REPORT = "report", _("completion report to the assigning office")


# Documents that go to a unit, not to the petitioner: never delivered (送达), never listed for delivery.
UNIT_DOCUMENTS = frozenset({PetitionDocument.REPORT})


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("handed over in person")
    POST = "post", _("by post")
    ELECTRONIC = "electronic", _("electronically")
    LEFT_AT_ADDRESS = "left_at_address", _("left at the address")
    ENTRUSTED = "entrusted", _("through another organ")
    PUBLIC_NOTICE = "public_notice", _("by public notice")


class Delivery(models.Model):
    """送达: how and when a document reached the petitioner. The 复查 and 复核 request windows run
    from the receipt of the written opinion (信访工作条例 §35, §36), so they open on this date."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deliveries")
    document = models.CharField(_("document"), max_length=20, choices=PetitionDocument.choices)
    method = models.CharField(_("how delivered"), max_length=20, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(_("delivered on"))
    recipient = models.CharField(_("received by"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["petition", "delivered_on", "pk"]
        # A window runs from the first receipt: a document is delivered once — once per making, since a
        # review opinion or a redone opinion is made again when the path goes round again after a
        # revocation (petitions.delivered). record_delivery checks it under the case's row lock.

    def __str__(self):
        return f"{self.document} {self.delivered_on}"


class Hearing(models.Model):
    """听证 held by the reviewing body (信访工作条例 §31(6)). During 复核 its days do not count toward
    the limit (§36 ¶2); during 复查 they do: §35 excludes nothing (petitions.hearings)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="hearings")
    review = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="hearings")
    started_on = models.DateField(_("hearing from"))
    ended_on = models.DateField(_("hearing until"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("days not counted"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["petition", "started_on", "pk"]

    def __str__(self):
        return f"{self.started_on}–{self.ended_on or ''}"
