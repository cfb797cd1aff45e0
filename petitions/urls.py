from django.urls import path

from petitions.views import documents, pages

app_name = "petitions"
urlpatterns = [
    path("", pages.petition_list_view, name="list"),
    path("new/", pages.petition_create_view, name="create"),
    path("export.xlsx", pages.petition_export_view, name="export"),
    path("<id:pk>/", pages.petition_detail_view, name="detail"),
    path("<id:pk>/pdf/<slug:document>/", documents.petition_pdf_view, name="pdf"),
    path("<id:pk>/<slug:action>/", pages.petition_action_view, name="action"),
]
