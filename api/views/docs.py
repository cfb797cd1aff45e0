"""The schema (drf-spectacular, OpenAPI 3) and a plain docs page drawn from it on the server: no
script, nothing from a CDN (the site's CSP allows none)."""

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

METHODS = ("get", "post", "put", "patch", "delete")


class Schema(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []


def docs_page(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            scopes = [s for need in op.get("security", []) for s in need.get("client", [])]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "parameters": [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"],
                    "responses": sorted(op.get("responses", {})),
                    "scope": " ".join(scopes),
                }
            )
    return render(request, "api/docs.html", {"schema": schema, "operations": operations})
