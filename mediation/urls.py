from django.urls import path

from mediation.views import calendar, documents
from mediation.views import pages as disputes

app_name = "disputes"
urlpatterns = [
    path("", disputes.dispute_list_view, name="list"),
    path("new/", disputes.dispute_create_view, name="create"),
    path("calendar/", calendar.calendar_view, name="calendar"),
    path("export.xlsx", disputes.dispute_export_view, name="export"),
    path("<id:pk>/", disputes.dispute_detail_view, name="detail"),
    path("<id:pk>/file/", disputes.dispute_file_index_view, name="file_index"),
    path("<id:pk>/pdf/<slug:document>/", documents.dispute_pdf_view, name="pdf"),
    path("<id:pk>/<slug:action>/", disputes.dispute_action_view, name="action"),
]
