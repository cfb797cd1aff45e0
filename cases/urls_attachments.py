from django.urls import path

from cases.views import attachments

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/attachments/", attachments.upload_view, name="upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", attachments.download_view, name="download"),
]
