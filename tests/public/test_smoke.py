import pytest
from django.urls import reverse

from public.models import PublicAccess
from tests.public.helpers import code_in, form_data, last_text, otp_in, PHONE

pytestmark = pytest.mark.django_db


def test_apply_follow(demo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("public:apply_mediation"), form_data())
    assert r.status_code == 200, r.content.decode()[:3000]
    code = code_in(last_text())
    assert PublicAccess.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("public:follow"), {"code": code, "phone": PHONE})
    assert r.status_code == 302
    otp = otp_in(last_text())
    r = client.post(reverse("public:otp"), {"otp": otp})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.get(reverse("public:case"))
    assert r.status_code == 200
    print(r.content.decode())
