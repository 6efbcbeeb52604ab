"""Human API docs are served from our own static files, and no page calls out to a third party."""

import re

import pytest

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


def test_api_docs_page_uses_local_swagger_ui_and_no_inline_script(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not EXTERNAL.search(html)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)

    start = client.get("/api/v1/docs/?script=")
    assert start.status_code == 200
    assert "/api/v1/schema/" in start.content.decode()


def test_api_root_links_the_docs(client):
    assert client.get("/api/v1/").json()["docs"].endswith("/api/v1/docs/")


def test_wagtail_admin_shows_no_gravatar(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345678")
    client.force_login(admin)
    html = client.get("/cms/").content.decode()
    assert "gravatar.com" not in html
