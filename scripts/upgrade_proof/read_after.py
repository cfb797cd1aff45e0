"""With the NEW code, after the migration: the moved models read their rows through the ORM, and a
mediator, a supervisor and a statistician get their pages (status 200) on the migrated data."""

from django.test import Client

from accounts.models import User
from jobs.models import Job
from mediation.models import Dispute, DisputeCategory, MediationSession, RiskLevel
from reporting.models import StatisticsSnapshot
from supervision.models import Notification, Reminder, SupervisionOrder

counts = {
    m.__name__: m.objects.count()
    for m in (
        Dispute,
        DisputeCategory,
        RiskLevel,
        MediationSession,
        Reminder,
        Notification,
        SupervisionOrder,
        Job,
        StatisticsSnapshot,
    )
}
print(counts)
assert all(counts.values()), counts
client = Client()
for username, urls in {
    "zhuji_mediator": [
        "/",
        "/disputes/",
        f"/disputes/{Dispute.objects.order_by('pk').first().pk}/",
        "/jobs/",
    ],
    "zhuji_supervisor": ["/supervision/", "/supervision/orders/", "/supervision/notifications/"],
    "zhuji_statistician": ["/statistics/"],
}.items():
    client.force_login(User.objects.get(username=username))
    for url in urls:
        status = client.get(url, HTTP_HOST="127.0.0.1", follow=True).status_code
        print(username, url, status)
        assert status == 200, (username, url, status)
print("pages and models read the migrated rows")
