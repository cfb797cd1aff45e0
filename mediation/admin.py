from django.contrib import admin

from mediation.models import DisputeCategory, RiskLevel


@admin.register(DisputeCategory)
class DisputeCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(RiskLevel)
class RiskLevelAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "response_hours", "escalate_to_level", "position")
