from django.urls import path
from oauth2_provider import views as oauth

from api.views import cases, docs, intake, others, steps

app_name = "api"

urlpatterns = [
    path("oauth/token/", oauth.TokenView.as_view(), name="token"),
    path("oauth/revoke/", oauth.RevokeTokenView.as_view(), name="revoke"),
    path("schema/", docs.Schema.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("disputes/", cases.DisputeList.as_view(), name="disputes"),
    path("disputes/<id:pk>/", cases.DisputeDetailView.as_view(), name="dispute"),
    path("disputes/<id:pk>/steps/<slug:step>/", steps.DisputeStep.as_view(), name="dispute_step"),
    path("petitions/", cases.PetitionList.as_view(), name="petitions"),
    path("petitions/<id:pk>/", cases.PetitionDetailView.as_view(), name="petition"),
    path("petitions/<id:pk>/steps/<slug:step>/", steps.PetitionStep.as_view(), name="petition_step"),
    path("cases/<id:pk>/deadlines/", cases.CaseDeadlines.as_view(), name="deadlines"),
    path("cases/<id:pk>/timeline/", cases.CaseTimeline.as_view(), name="timeline"),
    path("orders/", others.OrderList.as_view(), name="orders"),
    path("orders/<id:order_id>/", others.OrderDetail.as_view(), name="order"),
    path("warnings/", others.WarningList.as_view(), name="warnings"),
    path("warnings/<id:pk>/", others.WarningDetail.as_view(), name="warning"),
    path("statistics/<slug:slug>/", others.Statistics.as_view(), name="statistics"),
    path("intake/", intake.Intake.as_view(), name="intake"),
]
