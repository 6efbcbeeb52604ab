"""The Markdown preview renders through the same sanitiser as a saved post."""

from community.markdown import render_markdown
from tests.community.helpers import join, topic


def test_preview_renders_safe_markdown(client_for, make_user, community):
    member = make_user("alice")
    join(member, community)
    body = "**bold** <script>alert(1)</script> [x](javascript:alert(1))"

    response = client_for(member).post(f"/c/{community.slug}/preview/", {"body": body})

    assert response.status_code == 200
    assert response.content.decode() == render_markdown(body)
    assert "<strong>bold</strong>" in response.content.decode()
    assert "<script" not in response.content.decode()
    assert 'href="javascript' not in response.content.decode()


def test_preview_refuses_an_overlong_body(client_for, make_user, community):
    member = make_user("alice")
    join(member, community)

    response = client_for(member).post(f"/c/{community.slug}/preview/", {"body": "x" * 10001})

    assert response.status_code == 400


def test_preview_needs_a_reader_of_the_community(client_for, make_user, make_community):
    make_community("inner-circle", is_public=False)

    response = client_for(make_user("outsider")).post("/c/inner-circle/preview/", {"body": "hi"})

    assert response.status_code == 404


def test_the_reply_form_has_a_preview_button(client_for, make_user, community):
    member = make_user("alice")
    join(member, community)
    started = topic(member, community)

    content = client_for(member).get(started.get_absolute_url()).content

    assert b"data-preview-button" in content and b"js/preview.js" in content
