"""The administrator's pages for regions, units and accounts: Django's admin, in Chinese, limited to
the administrator's jurisdiction (accounts.scoping: visible_regions, visible_units, visible_users).

Roles are offered as checkboxes with their Chinese names (accounts.roles), never as the raw group
names (``grid_worker``, ``unit:330681…``): a user's unit group follows ``User.unit`` by itself
(accounts.signals), so nobody picks groups by hand here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
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


def _roles_field():
    return forms.MultipleChoiceField(
        label=_("roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What the person may do. What they may see follows from their unit. Only a system "
            "administrator grants the administrator role."
        ),
    )


class RolesMixin:
    """A ``roles`` field of Chinese-named checkboxes, filled from the user's role groups."""

    def setup_roles(self, editor):
        field = self.fields["roles"]
        field.choices = roles.role_choices(may_grant_administrator=editor.is_superuser)
        if self.instance.pk:
            self.initial.setdefault("roles", sorted(roles.roles_of(self.instance)))


class UserRolesChangeForm(RolesMixin, UserChangeForm):
    roles = _roles_field()


class UserRolesCreationForm(RolesMixin, AdminUserCreationForm):
    roles = _roles_field()

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "unit")


class RoleFilter(admin.SimpleListFilter):
    title = _("roles")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(roles.ROLE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in roles.ALL_ROLES:
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserRolesChangeForm
    add_form = UserRolesCreationForm
    list_display = ("username", "display_name", "unit", "role_names", "phone", "is_active", "last_login",
                    "disable_link")  # fmt: skip
    list_filter = ("is_active", RoleFilter, "unit__kind")
    search_fields = ("username", "display_name", "phone", "unit__name", "unit__region__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    ordering = ("unit__region_id", "unit__name", "username")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("display_name", "email", "phone")}),
        (_("Unit and roles"), {"fields": ("unit", "roles")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "unit", "roles", "password1", "password2"),
            },
        ),
    )

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        # A county administrator manages the county's accounts, not another county's.
        role_groups = Group.objects.filter(name__in=roles.ALL_ROLES)
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("groups", queryset=role_groups, to_attr="role_groups"))
        )
        return visible_users(request.user, queryset)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        editor = request.user

        class Form(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.setup_roles(editor)

        return Form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A county administrator neither grants nor takes away the administrator role.
        keep = () if request.user.is_superuser else (roles.ADMINISTRATOR,)
        roles.set_roles(form.instance, form.cleaned_data.get("roles", ()), keep=keep)

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return "、".join(roles.role_labels(g.name for g in getattr(obj, "role_groups", ()))) or "—"

    @admin.display(description="")
    def disable_link(self, obj):
        if not obj.is_active:
            return gettext("disabled")
        url = reverse("admin:accounts_user_disable", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("Disable"))

    def get_readonly_fields(self, request, obj=None):
        # Whoever may set these may make themselves a superuser (Django's UserAdmin warns of it).
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser", "is_staff")
        return fields

    def get_urls(self):
        view = self.admin_site.admin_view(self.disable_view)
        return [path("<path:object_id>/disable/", view, name="accounts_user_disable"), *super().get_urls()]

    def disable_view(self, request, object_id):
        """Disable an account in one click after a confirmation page: it signs in no more and its
        sessions end at once (accounts.signals); its cases and history stay."""
        return _disable(self, request, object_id)


def _disable(model_admin, request, object_id):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    user = model_admin.get_object(request, unquote(object_id))
    if user is None:  # outside the administrator's accounts: as for a missing one
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not model_admin.has_change_permission(request, user):
        raise PermissionDenied
    changelist = reverse("admin:accounts_user_changelist")
    if user.pk == request.user.pk:
        messages.error(request, gettext("You cannot disable your own account."))
        return redirect(changelist)
    if request.method == "POST":
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            model_admin.log_change(request, user, [{"changed": {"fields": ["is_active"]}}])
        messages.success(request, gettext("%(user)s is disabled and can no longer sign in.") % {"user": user})
        return redirect(changelist)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Disable an account"),
        "target": user,
        "target_roles": roles.role_labels(roles.roles_of(user)),
        "changelist": changelist,
    }
    return TemplateResponse(request, "admin/accounts/user/disable.html", context)
