"""Fill a database with the code of main BEFORE the apps-by-domain move (commit 2ebdff8), as a county
would have it: run with that checkout's manage.py shell (see README.md in this folder).

A few hundred cases of both types with guardian grants (scale seeder), reminders, notifications and
automatic supervision orders (scan + forced send), a hand-issued order, jobs (a list export, an import
check), and a frozen month of both statistics.
"""

import datetime

from django.core.management import call_command
from django.utils import timezone

call_command("seed_demo", quiet=True, no_activity=True)
call_command("seed_demo", scale="county", disputes=300, petitions=300, seed=7)

from cases.jobs import start_job  # noqa: E402

from accounts.models import Region, User  # noqa: E402
from cases import reminders  # noqa: E402
from cases.models import Case, JobKind, SupervisionOrder  # noqa: E402
from reporting import mediation_stats, petition_stats  # noqa: E402
from reporting.freeze import freeze  # noqa: E402
from reporting.periods import Period  # noqa: E402

now = timezone.now()
print("scan:", reminders.scan(now), "sent:", reminders.send(now, force=True))
supervisor = User.objects.get(username="zhuji_supervisor")
case = Case.objects.filter(closed_at__isnull=True, handling_unit__isnull=False).order_by("pk").first()
SupervisionOrder.objects.create(
    case=case,
    issuer=supervisor,
    issuing_unit=supervisor.unit,
    target_unit=case.handling_unit,
    required_action="请于限期内办结并报告",
    target_date=timezone.localdate() + datetime.timedelta(days=10),
)
clerk = User.objects.get(username="zhuji_petition_clerk")
start_job(JobKind.LIST_EXPORT, clerk, {"list": "petitions", "query": ""}, inline=True)
mediator = User.objects.get(username="zhuji_mediator")
start_job(JobKind.LIST_EXPORT, mediator, {"list": "disputes", "query": ""}, inline=True)
statistician = User.objects.get(username="zhuji_statistician")
county = Region.objects.get(pk=statistician.unit.region_id)
today = timezone.localdate()
last = today.replace(day=1) - datetime.timedelta(days=1)
period = Period.month(last.year, last.month)
for kind, module in (("petition", petition_stats), ("mediation", mediation_stats)):
    results = module.compute(statistician, county, period)
    freeze(statistician, kind, county, period, results["sheets"], "上报前核对无误")
print("cases", Case.objects.count())
