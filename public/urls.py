from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/mediation/", views.apply, {"kind": "mediation"}, name="apply_mediation"),
    path("apply/petition/", views.apply, {"kind": "petition"}, name="apply_petition"),
    path("regions.json", views.regions, name="regions"),
    path("follow/", views.follow_view, name="follow"),
    path("follow/code/", views.otp_view, name="otp"),
    path("case/", views.case_view, name="case"),
    path("case/documents/<slug:slug>.pdf", views.document_view, name="document"),
    path("case/evaluate/", views.evaluate_view, name="evaluate"),
    path("case/review/", views.review_view, name="review"),
    path("leave/", views.leave, name="leave"),
]
