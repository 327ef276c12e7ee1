from django.test import Client


def test_api_docs_page_serves_swagger_from_own_static_files():
    body = Client().get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
