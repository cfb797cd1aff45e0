from django.urls import path

from cases.views import people

app_name = "people"
urlpatterns = [
    path("", people.person_lookup_view, name="lookup"),
]
