from captcha import views as captcha_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from config import views
from supervision.views import home as home_views

admin.site.site_header = _("Jiefen administration")
admin.site.site_title = _("Jiefen")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("disputes/", include("mediation.urls")),
    path("petitions/", include("petitions.urls")),
    path("supervision/", include("supervision.urls")),
    path("statistics/", include("reporting.urls")),
    path("warnings/", include("analysis.urls")),
    path("grids/", include("grids.urls")),
    path("analysis/", include("reporting.urls_insight")),
    path("cases/", include("cases.urls_attachments")),
    path("people/", include("cases.urls_people")),
    path("filters/", include("cases.urls_filters")),
    path("regions/", include("accounts.urls")),
    path("jobs/", include("jobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public's own channel (app public): under /public/, no staff session (public.middleware).
    path("public/", include("public.urls")),
    # The CAPTCHA picture only (django-simple-captcha, drawn here): no audio, no refresh endpoint.
    re_path(
        r"^public/captcha/(?P<key>\w{1,40})\.png$",
        captcha_views.captcha_image,
        {"scale": 1},
        name="captcha-image",
    ),
    path("api/v1/", include("api.urls")),
    # Admin pages of models that moved out of the case core (cases/0025) keep their old addresses.
    re_path(
        r"^admin/cases/(?P<model>disputecategory|risklevel|workerheartbeat)/(?P<rest>.*)$",
        views.moved_admin_redirect,
        name="moved_admin",
    ),
    path("admin/", admin.site.urls),
]
