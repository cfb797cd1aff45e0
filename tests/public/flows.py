"""A citizen's steps through the test client: apply, follow with the code and the one-time code."""

from django.urls import reverse

from tests.public.helpers import PHONE, code_in, form_data, last_text, otp_in


def apply(client, capture, kind="mediation", **over):
    with capture(execute=True):
        response = client.post(reverse(f"public:apply_{kind}"), form_data(kind, **over))
    assert response.status_code == 200, response.content.decode()[:2000]
    return response, code_in(last_text(over.get("phone", PHONE)))


def unlock(client, capture, code, phone=PHONE):
    with capture(execute=True):
        assert client.post(reverse("public:follow"), {"code": code, "phone": phone}).status_code == 302
    response = client.post(reverse("public:otp"), {"otp": otp_in(last_text(phone))})
    assert response.status_code == 302 and response["Location"] == reverse("public:case")
