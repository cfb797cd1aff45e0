from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Region, Unit, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_per_page = 50
    show_full_result_count = False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "covers_region", "is_active")
    list_filter = ("kind", "covers_region", "is_active")
    search_fields = ("name", "region__name", "region__code")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "unit", "is_active", "last_login")
    list_filter = ("is_active", "groups", "unit__kind")
    search_fields = ("username", "display_name", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("display_name", "email", "phone")}),
        (_("Unit and roles"), {"fields": ("unit", "groups")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "display_name", "unit", "password1", "password2")},
        ),
    )
    filter_horizontal = ("groups",)
