from django.urls import path, re_path

from grids import manage, views

app_name = "grids"
urlpatterns = [
    path("", views.grid_list_view, name="list"),
    path("<id:pk>/", views.ledger_view, name="ledger"),
    path("<id:pk>/zero/", views.zero_report_view, name="zero"),
    path("<id:pk>/inspect/", views.inspection_view, name="inspect"),
    path("inspections/<id:pk>/raise/", views.raise_dispute_view, name="raise"),
    re_path(r"^village/(?P<code>[0-9]{12})/$", manage.village_grids_view, name="village"),
    path("posts/<id:pk>/end/", manage.end_post_view, name="post_end"),
]
