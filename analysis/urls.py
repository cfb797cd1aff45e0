from django.urls import path

from analysis import duty_views, views

app_name = "analysis"
urlpatterns = [
    path("", views.warning_list_view, name="list"),
    # Key persons (重点人员) and 包案: before the warning's own <id> routes.
    path("key-persons/", duty_views.key_person_list_view, name="key_persons"),
    path("key-persons/<id:pk>/", duty_views.key_person_detail_view, name="key_person"),
    path("key-persons/<id:pk>/<slug:action>/", duty_views.key_person_action_view, name="key_person_action"),
    path(
        "<id:pk>/key-person/",
        duty_views.key_person_new_view,
        {"source": "warning"},
        name="key_person_from_warning",
    ),
    path(
        "key-persons/party/<id:pk>/",
        duty_views.key_person_new_view,
        {"source": "party"},
        name="key_person_from_party",
    ),
    path("baoan/", duty_views.responsibility_list_view, name="baoan_list"),
    path("baoan/<id:pk>/", duty_views.responsibility_detail_view, name="baoan"),
    path("baoan/<id:pk>/<slug:action>/", duty_views.responsibility_action_view, name="baoan_action"),
    path("baoan/case/<id:pk>/", duty_views.case_responsibility_view, name="baoan_case"),
    path("<id:pk>/", views.warning_detail_view, name="detail"),
    path("<id:pk>/<slug:action>/", views.warning_action_view, name="action"),
]
