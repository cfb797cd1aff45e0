from django.urls import path

from .views import dashboard, notifications

app_name = "supervision"
urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("cases/", dashboard.drilldown_view, name="drilldown"),
    path("notifications/", notifications.notification_list_view, name="notifications"),
    path("notifications/read/", notifications.mark_read_view, name="mark_read"),
]
