from django.urls import path

from analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.warning_list_view, name="list"),
    path("<id:pk>/", views.warning_detail_view, name="detail"),
    path("<id:pk>/<slug:action>/", views.warning_action_view, name="action"),
]
