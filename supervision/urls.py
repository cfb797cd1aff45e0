from django.urls import path

from supervision.views import dashboard, notifications
from supervision.views import orders as supervision

app_name = "supervision"
urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("cases/", dashboard.drilldown_view, name="drilldown"),
    path("tables/<str:table>/", dashboard.table_view, name="table"),
    path("cases/<id:pk>/order/", supervision.issue_view, name="issue"),
    path("orders/", supervision.order_list_view, name="orders"),
    path("orders/<id:order_id>/reply/", supervision.reply_view, name="reply"),
    path("orders/<id:order_id>/pdf/", supervision.order_pdf_view, name="order_pdf"),
    path("notifications/", notifications.notification_list_view, name="notifications"),
    path("notifications/read/", notifications.mark_read_view, name="mark_read"),
]
