"""Writes through the one step declaration the pages use: the API may do exactly what the caller
could do in the browser (role, relation, state, form), with the pages' Chinese refusals."""

import pytest
from django.test import Client

from cases.models import TimelineEntry
from mediation.models import Dispute
from tests.api.helpers import bearer, county_centre, service_client, token_for
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_mediator_accepts_through_the_api_as_on_the_page(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    answer = _session(demo["xianjin_mediator"]).post(
        f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "accepted"
    assert TimelineEntry.objects.filter(case_id=dispute.pk, action="accept").count() == 1


def test_a_role_the_step_does_not_name_is_403_in_chinese(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    answer = _session(demo["xianjin_grid_worker"]).post(
        f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json"
    )
    assert answer.status_code == 403
    assert "不允许" in answer.json()["detail"] or "无权" in answer.json()["detail"]
    assert Dispute.objects.get(pk=dispute.pk).status == "registered"


def test_a_state_that_moved_on_is_409_with_the_reason(demo):
    mediator = demo["xianjin_mediator"]
    dispute = new_dispute(mediator)
    client = _session(mediator)
    client.post(f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json")
    again = client.post(f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json")
    assert again.status_code == 409
    assert "已受理" in again.json()["detail"] or "不能" in again.json()["detail"]


def test_the_steps_form_refuses_with_per_field_messages(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    answer = _session(demo["xianjin_mediator"]).post(
        f"/api/v1/disputes/{dispute.pk}/steps/decline/", {"reason": ""}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["reason"] == ["请填写此项。"]


def test_an_unknown_step_and_a_foreign_case_are_404(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    client = _session(demo["xianjin_mediator"])
    assert (
        client.post(
            f"/api/v1/disputes/{dispute.pk}/steps/nosuch/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    other = _session(demo["jiyang_supervisor"]) if "jiyang_supervisor" in demo else None
    if other is not None:
        answer = other.post(
            f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json"
        )
        assert answer.status_code == 404


def test_a_session_post_needs_the_csrf_token_as_a_form_does(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["xianjin_mediator"])
    answer = client.post(f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json")
    assert answer.status_code == 403
    assert Dispute.objects.get(pk=dispute.pk).status == "registered"


def test_a_client_needs_the_workflow_scope(demo):
    dispute = new_dispute(demo["xianjin_mediator"])
    from accounts import roles

    client = service_client(county_centre(), scopes="read", role_names=(roles.SUPERVISOR,))
    answer = bearer(token_for(client)).post(
        f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json"
    )
    assert answer.status_code == 403 and "workflow" in answer.json()["detail"]
    assert Dispute.objects.get(pk=dispute.pk).status == "registered"
    # With the scope, the service user's role decides, as for a person.
    client.scopes = "read workflow"
    client.save()
    answer = bearer(token_for(client)).post(
        f"/api/v1/disputes/{dispute.pk}/steps/accept/", {}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
