from django.urls import path

from cases.views import filters

app_name = "filters"
urlpatterns = [
    path("", filters.filter_list_view, name="list"),
    path("save/", filters.filter_save_view, name="save"),
    path("<id:pk>/", filters.filter_change_view, name="change"),
]
