"""Key persons and 包案 in the admin site, scoped by the one rule like every other admin list
(accounts.scoping.visible_key_persons / visible_responsibilities: an administrator who is not of the
register's audience sees nothing, a superuser everything). Listing, 包案 and concluding happen on
their own pages, where the person comes from a case and every step is on the timeline; here a
system administrator corrects the people and dates (a responsible person who left, a mistyped
date), each change written to the object's append-only timeline, and every page of key persons is
recorded as a personal data view, as on the register's own pages. Nothing is added or deleted here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import visible_key_persons, visible_responsibilities
from analysis.duty_models import KeyPerson, KeyPersonEvent, Responsibility, ResponsibilityEvent
from analysis.duty_selectors import record_views
from analysis.duty_units import leader_choices, listing_units, staff_choices

EDITABLE_KEY_PERSON = ("responsible", "review_on", "note")
EDITABLE_RESPONSIBILITY = ("leader", "staff", "due_on", "duty")


class _EventInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "actor", "action", "description")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KeyPersonEventInline(_EventInline):
    model = KeyPersonEvent


class ResponsibilityEventInline(_EventInline):
    model = ResponsibilityEvent


def _changes(obj, form) -> dict:
    return {name: str(form.cleaned_data.get(name)) for name in form.changed_data}


class KeyPersonAdminForm(forms.ModelForm):
    class Meta:
        model = KeyPerson
        fields = EDITABLE_KEY_PERSON

    def clean_responsible(self):
        person = self.cleaned_data["responsible"]
        if person.unit_id != self.instance.unit_id:
            raise ValidationError(_("The responsible person must work in the responsible unit."))
        return person


class _DutyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KeyPerson)
class KeyPersonAdmin(_DutyAdmin):
    list_display = ("name", "reason", "status", "unit", "responsible", "review_on")
    list_filter = ("status", "reason")
    search_fields = ("name",)
    list_select_related = ("unit", "responsible")
    fields = ("name", "reason", "status", "unit", *EDITABLE_KEY_PERSON, "created_at", "created_by")
    readonly_fields = ("name", "reason", "status", "unit", "created_at", "created_by")
    inlines = [KeyPersonEventInline]
    form = KeyPersonAdminForm

    def get_queryset(self, request):
        return visible_key_persons(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            kwargs["queryset"] = staff_choices(request.user, key_persons=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            record_views(request.user, changelist.result_list, "admin")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None:
            record_views(request.user, [original], "admin")
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            KeyPersonEvent.objects.create(
                key_person=obj, actor=request.user, action="admin",
                description=_("Changed in the admin site"), after=_changes(obj, form),
            )  # fmt: skip


@admin.register(Responsibility)
class ResponsibilityAdmin(_DutyAdmin):
    list_display = ("__str__", "leader", "unit", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("case", "key_person", "leader", "unit")
    fields = ("case", "key_person", "unit", *EDITABLE_RESPONSIBILITY, "status", "outcome", "created_by")
    readonly_fields = ("case", "key_person", "unit", "status", "outcome", "created_by")
    filter_horizontal = ("staff",)
    inlines = [ResponsibilityEventInline]

    def get_queryset(self, request):
        return visible_responsibilities(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "leader":
            kwargs["queryset"] = leader_choices(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = staff_choices(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # A 包案 is corrected only while the actor may still name its unit's people.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or listing_units(request.user).filter(pk=obj.unit_id).exists())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.changed_data:
            ResponsibilityEvent.objects.create(
                responsibility=form.instance, actor=request.user, action="admin",
                description=_("Changed in the admin site"), after=_changes(form.instance, form),
            )  # fmt: skip
