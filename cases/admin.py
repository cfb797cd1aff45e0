import chinese_calendar
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_cases
from cases.holiday_notice import parse_notice
from cases.holidays import package_days, store_year
from cases.models import CalendarDay, CalendarYear, Case, DeadlineRule

WEEKDAYS = "一二三四五六日"


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    notice = forms.CharField(
        label=_("The notice's holiday lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 90}),
        help_text=_(
            "Paste the State Council notice (国务院办公厅关于部分节假日安排的通知), or just its lines such "
            "as 春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。"
        ),
    )
    source = forms.ChoiceField(
        choices=[("notice", "notice"), ("package", "package")], widget=forms.HiddenInput
    )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "note")
    change_list_template = "admin/cases/calendaryear/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.enter_year_view)
        return [path("enter/", view, name="cases_calendaryear_enter"), *super().get_urls()]

    def enter_year_view(self, request):
        """A whole year in one step: paste the notice (or take the installed chinesecalendar's days),
        look at the preview, confirm; the open deadlines that move are recomputed at once."""
        if not (self.has_add_permission(request) and request.user.has_perm("cases.add_calendarday")):
            raise PermissionDenied
        return enter_year(self, request)


def enter_year(model_admin, request):
    today = timezone.localdate()
    form = HolidayYearForm(request.POST or None, initial={"year": today.year + 1, "source": "notice"})
    preview = None
    if request.method == "POST" and form.is_valid():
        year, source = form.cleaned_data["year"], form.cleaned_data["source"]
        if source == "package":
            days, errors, label = package_days(year), [], f"chinesecalendar {chinese_calendar.__version__}"
            if not days:
                errors = [
                    gettext("The installed chinesecalendar does not know %(year)s yet: paste the notice.")
                    % {"year": year}
                ]
        else:
            notice = parse_notice(form.cleaned_data["notice"], year)
            days, errors, label = notice.days, notice.errors, gettext("State Council notice")
        if "confirm" in request.POST and days and not errors:
            stored = store_year(year, days, label)
            messages.success(
                request,
                gettext(
                    "%(year)s saved: %(days)s days from %(source)s. %(recomputed)s open deadlines were "
                    "recomputed, %(moved)s of them moved to another date."
                )
                % {
                    "year": year,
                    "days": stored.days,
                    "source": label,
                    "recomputed": stored.recomputed,
                    "moved": stored.moved,
                },
            )
            # The year just entered, not the calendar's first page (2004).
            return redirect(reverse("admin:cases_calendarday_changelist") + f"?date__year={year}")
        existing = CalendarDay.objects.filter(date__year=year).count()
        preview = {
            "year": year,
            "days": days,
            "rows": [(d, "周" + WEEKDAYS[d.date.weekday()]) for d in days],
            "errors": errors,
            "source": source,
            "label": label,
            "holidays": sum(not d.is_workday for d in days),
            "workdays": sum(d.is_workday for d in days),
            "existing": existing,
            "known": CalendarYear.objects.filter(year=year).exists(),
        }
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Enter a year's holidays"),
        "form": form,
        "preview": preview,
    }
    return TemplateResponse(request, "admin/cases/calendaryear/enter.html", context)


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
