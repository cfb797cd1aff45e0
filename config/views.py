"""Project-wide views that belong to no app."""

from django.http import HttpResponsePermanentRedirect

# The admin pages of models that moved out of the case core, by their new app (cases/0025).
MOVED_ADMIN = {"disputecategory": "mediation", "risklevel": "mediation", "workerheartbeat": "jobs"}


def moved_admin_redirect(request, model, rest):
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    return HttpResponsePermanentRedirect(f"/admin/{MOVED_ADMIN[model]}/{model}/{rest}{query}")
