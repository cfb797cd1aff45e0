"""What the API answers, field by field (the OpenAPI schema is read from these). Parties arrive
already masked for the caller (cases.pii), so nothing here decides what a person may see."""

from rest_framework import serializers


class Ref(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class Party(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField()
    is_organisation = serializers.BooleanField()
    name = serializers.CharField(allow_blank=True)
    id_number = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    full = serializers.BooleanField(help_text="True when the values are shown in full (and logged).")


class StepRef(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()


class CaseRow(serializers.Serializer):
    """One case in a list: the list pages' columns, party names masked by role."""

    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    region = Ref()
    category = serializers.CharField(allow_blank=True)
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    next_due_at = serializers.DateTimeField(allow_null=True)
    parties = serializers.ListField(child=serializers.CharField(allow_blank=True))


class CaseDetail(CaseRow):
    parties = Party(many=True)
    handling_unit = Ref(allow_null=True)
    handler = serializers.CharField(allow_blank=True)
    steps = StepRef(many=True, help_text="The steps the caller may take now (the page's buttons).")


class DisputeDetail(CaseDetail):
    source = serializers.CharField(allow_blank=True)
    risk_level = serializers.CharField(allow_blank=True)
    place = serializers.CharField(allow_blank=True)
    facts = serializers.CharField(allow_blank=True)
    amount = serializers.CharField(allow_null=True)
    people_involved = serializers.IntegerField(allow_null=True)


class PetitionDetail(CaseDetail):
    channel = serializers.CharField(allow_blank=True)
    petition_kind = serializers.CharField(allow_blank=True)
    content = serializers.CharField(allow_blank=True)
    demands = serializers.CharField(allow_blank=True)
    received_on = serializers.DateField(allow_null=True)
    is_collective = serializers.BooleanField()


class DeadlineOut(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    label = serializers.CharField()
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    due_at = serializers.DateTimeField()
    state = serializers.CharField()
    estimated = serializers.BooleanField()
    extended_days = serializers.IntegerField()
    paused_days = serializers.IntegerField()
    met_at = serializers.DateTimeField(allow_null=True)
    met_on_time = serializers.BooleanField(allow_null=True)
    computation = serializers.CharField(allow_blank=True)


class Change(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class TimelineOut(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_blank=True)
    action = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    status_before = serializers.CharField(allow_blank=True)
    status_after = serializers.CharField(allow_blank=True)
    changes = Change(many=True)


class OrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    case_id = serializers.IntegerField()
    case_number = serializers.CharField(allow_blank=True)
    issuing_unit = Ref()
    target_unit = Ref()
    required_action = serializers.CharField(allow_blank=True)
    target_date = serializers.DateField()
    state = serializers.CharField()
    reply = serializers.CharField(allow_blank=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class WarningOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    region = Ref()
    unit = Ref(allow_null=True)
    raised_at = serializers.DateTimeField()


class Column(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)


class SheetRow(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


class SheetOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = Column(many=True)
    rows = SheetRow(many=True)


class StatisticsOut(serializers.Serializer):
    report = serializers.CharField()
    title = serializers.CharField()
    region = Ref()
    period = serializers.CharField()
    heading = serializers.ListField(child=serializers.CharField())
    sheets = SheetOut(many=True)


class IntakeParty(serializers.Serializer):
    role = serializers.ChoiceField(choices=["applicant", "respondent", "third_party", "agent"])
    name = serializers.CharField(max_length=100)
    is_organisation = serializers.BooleanField(required=False, default=False)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IntakeIn(serializers.Serializer):
    """A 12345 work order or a grid event. Only the shape is checked here; the dispute intake form
    checks the values (ID numbers, region, category) exactly as on the page."""

    external_id = serializers.CharField(max_length=100)
    category = serializers.CharField(
        max_length=50, help_text="The sender's category code (mapped in the admin)."
    )
    region = serializers.CharField(max_length=12, help_text="The 12-digit code of the village or town.")
    summary = serializers.CharField(max_length=200)
    facts = serializers.CharField(max_length=5000)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    people_involved = serializers.IntegerField(required=False, min_value=1, max_value=100000)
    parties = IntakeParty(many=True, min_length=2, max_length=50)


class IntakeOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    external_id = serializers.CharField()
    created = serializers.BooleanField(help_text="False: this order was taken in before; this is its case.")


class StepIn(serializers.Serializer):
    """The step's form fields as on its page (see the step's form), e.g. {"reason": "…"}."""


class Problem(serializers.Serializer):
    detail = serializers.CharField()
