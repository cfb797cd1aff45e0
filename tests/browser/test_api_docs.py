"""The API's docs page: drawn on the server from the OpenAPI schema, nothing loaded from a CDN,
no CSP violation; every operation of the schema is listed."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_lists_every_operation_locally(page, live_server, shot):
    messages, requests = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/v1/docs/")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 14
    assert "/api/v1/intake/" in page.inner_text("table")
    schema = page.request.get(f"{live_server.url}/api/v1/schema/?format=json").json()
    operations = sum(1 for item in schema["paths"].values() for m in item if m in ("get", "post"))
    assert rows.count() == operations
    assert all(url.startswith(live_server.url) for url in requests)
    assert not [m for m in messages if "Content Security Policy" in m]
    shot(page, "api-docs")
