from django.urls import path
from django.views.generic import RedirectView

from reporting import views

app_name = "reporting"
urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="reporting:table", permanent=False),
        {"slug": "petitions"},
        name="index",
    ),
    path("<slug:slug>/", views.statistics_view, name="table"),
    path("<slug:slug>/xlsx/", views.statistics_xlsx, name="xlsx"),
    path("<slug:slug>/pdf/", views.statistics_pdf, name="pdf"),
    path("<slug:slug>/drill/", views.statistics_drill, name="drill"),
    path("<slug:slug>/freeze/", views.statistics_freeze, name="freeze"),
]
