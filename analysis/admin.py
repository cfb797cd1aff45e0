"""The rules in the admin: on/off, thresholds, who is told. Warnings themselves are worked on their
own pages (scoped by the one rule), never in the admin, whose lists are not."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import role_choices
from analysis.models import WarningRule


class WarningRuleForm(forms.ModelForm):
    notify_roles = forms.MultipleChoiceField(
        label=_("who is told"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The roles of the responsible unit told when a warning is raised; none ticked: every member."
        ),
    )  # fmt: skip

    class Meta:
        model = WarningRule
        fields = [
            "name", "name_en", "enabled", "window_days", "baseline_days", "min_count", "significance",
            "rate_points", "responsible_level", "notify_roles", "risk_levels", "position",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notify_roles"].choices = role_choices(may_grant_administrator=False)


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    form = WarningRuleForm
    list_display = ("name", "kind", "enabled", "window_days", "min_count", "responsible_level")
    list_editable = ("enabled",)
    readonly_fields = ("code", "kind")
    filter_horizontal = ("risk_levels",)

    def has_add_permission(self, request):
        return False  # a rule is code: each kind is computed by analysis.surge / analysis.patterns

    def has_delete_permission(self, request, obj=None):
        return False


# Key persons and 包案: their own module (scoped by the one rule, every view recorded).
from analysis import duty_admin  # noqa: E402, F401
