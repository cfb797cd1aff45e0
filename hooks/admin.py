"""Subscriptions and the outbox in the admin: a failing receiver is seen here (status, attempts, last
error) and its deliveries retried at once. Deliveries are listed only for cases the administrator
may see (accounts.scoping.visible_cases)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import visible_cases
from cases.models import Case
from hooks.models import Delivery, Event, Subscription
from hooks.sender import retry_now


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("webhook address"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip

    class Meta:
        model = Subscription
        fields = ["name", "url", "secret", "events", "active", "region", "unit"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "active", "region", "unit", "created_at"]
    list_filter = ["active"]
    raw_id_fields = ["region", "unit"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "subscription", "case_number", "seq", "event", "status", "attempts",
                    "next_attempt_at", "short_error", "created_at", "delivered_at"]  # fmt: skip
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription", "case"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry"]

    def get_queryset(self, request):
        visible = visible_cases(request.user, Case.objects.all()).values("pk")
        return super().get_queryset(request).filter(case_id__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the outbox is the record of what each receiver was sent

    @admin.display(description=gettext_lazy("case number"))
    def case_number(self, obj):
        return obj.case.number

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=gettext_lazy("Retry now"), permissions=["view"])
    def retry(self, request, queryset):
        pairs = retry_now(queryset)
        message = _("%(count)d receivers and cases handed to the worker.") % {"count": pairs}
        self.message_user(request, message, messages.SUCCESS)
