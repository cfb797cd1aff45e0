from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Region, Unit, User
from accounts.scoping import visible_regions, visible_units, visible_users


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # An administrator edits the division tree of their own jurisdiction only.
        return visible_regions(request.user, super().get_queryset(request))


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "covers_region", "is_active")
    list_filter = ("kind", "covers_region", "is_active")
    search_fields = ("name", "region__name", "region__code")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)

    def get_queryset(self, request):
        return visible_units(request.user, super().get_queryset(request))


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

    def get_queryset(self, request):
        # A county administrator manages the county's accounts, not another county's.
        return visible_users(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # Whoever may set these may make themselves a superuser (Django's UserAdmin warns of it).
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser", "is_staff")
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            # Roles and the groups of units in the administrator's jurisdiction: joining another
            # county's unit group would open the cases granted (交办) to that unit.
            from django.contrib.auth.models import Group
            from django.db.models import Q

            units = visible_units(request.user, Unit.objects.all()).values("group_id")
            kwargs["queryset"] = Group.objects.filter(Q(name__in=roles.ALL_ROLES) | Q(pk__in=units))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
