from django.urls import path

from jobs.views import imports, jobs

app_name = "jobs"
urlpatterns = [
    path("", jobs.job_list_view, name="list"),
    path("closure-reports/", jobs.closure_batch_view, name="closure_batch"),
    path("export/<slug:key>/", jobs.list_export_view, name="export"),
    path("<id:pk>/", jobs.job_detail_view, name="detail"),
    path("<id:pk>/status.json", jobs.job_status_view, name="status"),
    path("<id:pk>/download/", jobs.job_download_view, name="download"),
    path("<id:pk>/confirm/", jobs.job_confirm_view, name="confirm"),
    path("import/", imports.import_view, name="import"),
    path("import/template-<slug:key>.xlsx", imports.template_view, name="template"),
]
