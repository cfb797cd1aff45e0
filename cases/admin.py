from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_cases
from cases.models import CalendarDay, CalendarYear, Case, DeadlineRule


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "note")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "is_workday", "name", "updated_at")
    list_filter = ("is_workday", "name")
    date_hierarchy = "date"
    search_fields = ("name",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not CalendarYear.objects.filter(year=obj.date.year).exists():
            messages.warning(
                request,
                _(
                    "%(year)s is not marked as a known year yet: deadlines in it stay estimated "
                    "until you add it under Calendar years once every holiday is entered."
                )
                % {"year": obj.date.year},
            )


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "summary", "region", "handling_unit", "status", "next_due_at")
    list_filter = ("kind", "status")
    search_fields = ("number", "summary")
    raw_id_fields = ("region", "handling_unit", "handler")
    list_select_related = ("region", "handling_unit")
    show_full_result_count = False

    def get_queryset(self, request):
        # The admin obeys the same visibility rule as every other page.

        return visible_cases(request.user, super().get_queryset(request))


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "region_prefix", "label", "amount", "unit", "roll_forward", "legal_basis")
    list_filter = ("unit",)
    search_fields = ("code", "label", "region_prefix")
