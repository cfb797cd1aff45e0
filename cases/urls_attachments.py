from django.urls import path

from cases.views import attachments

app_name = "attachments"
urlpatterns = [
    path("<id:pk>/attachments/", attachments.upload_view, name="upload"),
    path("<id:pk>/attachments/<id:attachment_id>/", attachments.download_view, name="download"),
]
