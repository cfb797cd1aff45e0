"""The API's admin pages: clients (switched off here to revoke; tokens are revoked on the OAuth2
toolkit's own pages), the category mapping of intake, and the read-only logs."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken

from api.models import ApiCall, ApiClient, IntakeCategory, IntakeRecord


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("application", "system", "kind", "scopes", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    actions = ["revoke_tokens"]

    @admin.action(description=_("Revoke every token of the selected clients"))
    def revoke_tokens(self, request, queryset):
        tokens = AccessToken.objects.filter(application__api_client__in=queryset)
        count = tokens.count()
        for token in tokens:
            token.revoke()
        self.message_user(request, _("%(n)d tokens revoked.") % {"n": count})


@admin.register(IntakeCategory)
class IntakeCategoryAdmin(admin.ModelAdmin):
    list_display = ("kind", "external_code", "external_label", "category", "risk_level")
    list_filter = ("kind",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IntakeRecord)
class IntakeRecordAdmin(ReadOnly):
    list_display = ("client", "external_id", "case", "created_at")
    search_fields = ("external_id",)


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnly):
    list_display = ("at", "client", "user", "method", "path", "status")
    list_filter = ("status", "method")
