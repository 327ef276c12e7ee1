"""The layout's links reversed once per process (config.context_processors.layout_urls) and the
static URLs remembered (config.storage): the same addresses as asked each time."""

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.context_processors import LAYOUT_URLS, layout_urls
from config.storage import StaticFilesStorage


def test_layout_urls_are_the_reversed_names():
    urls = layout_urls(RequestFactory().get("/"))["layout_urls"]

    assert urls == {name.replace(":", "_").replace("-", "_"): reverse(name) for name in LAYOUT_URLS}
    assert (urls["companies_directory"], urls["api_docs"]) == (reverse("companies:directory"), reverse("api-docs"))


@pytest.mark.django_db
def test_layout_links_on_a_page(client, django_user_model):
    user = django_user_model.objects.create_user(email="ann@example.com", password="x" * 20)
    client.force_login(user)

    html = client.get(reverse("home")).content.decode()

    assert f'<a href="{reverse("accounts:settings")}" title="Your settings">' in html
    assert f'<form class="inline" method="post" action="{reverse("accounts:logout")}">' in html


def test_static_urls_remembered_are_the_manifests(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "x"})
    )
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")

    assert [storage.url("css/site.css") for _ in range(2)] == ["/static/css/site.0123abcd.css"] * 2
    for _ in range(2):  # a name the manifest lacks is refused every time, never remembered
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
