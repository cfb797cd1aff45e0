from django.urls import path

from accounts import views

app_name = "regions"
urlpatterns = [
    path("search.json", views.region_search_view, name="search"),
]
