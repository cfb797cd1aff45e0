from django.urls import path

from reporting import insight_views, report_views

app_name = "insight"
urlpatterns = [
    path("", insight_views.insight_view, name="index"),
    path("cases/", insight_views.insight_cases_view, name="cases"),
    path("reports/", report_views.report_list_view, name="reports"),
    path("reports/<id:pk>/", report_views.report_detail_view, name="report"),
    path("reports/<id:pk>/status.json", report_views.report_status_view, name="report_status"),
    path("reports/<id:pk>/download/", report_views.report_download_view, name="report_download"),
]
