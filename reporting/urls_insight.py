from django.urls import path

from reporting import insight_views

app_name = "insight"
urlpatterns = [
    path("", insight_views.insight_view, name="index"),
    path("cases/", insight_views.insight_cases_view, name="cases"),
]
