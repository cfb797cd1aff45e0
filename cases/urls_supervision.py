from django.urls import path

from .views import notifications

app_name = "supervision"
urlpatterns = [
    path("notifications/", notifications.notification_list_view, name="notifications"),
    path("notifications/read/", notifications.mark_read_view, name="mark_read"),
]
