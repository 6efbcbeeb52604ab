"""Markdown preview: the editor's text rendered by the same safe renderer as a saved post."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from community.markdown import render_markdown
from community.models import Post
from community.views.base import scope_for

MAX_BODY = Post._meta.get_field("body").max_length
TOO_LONG = f"Posts can be at most {MAX_BODY} characters."


@login_required
@require_POST
def preview(request, slug):
    """An HTML fragment (``render_markdown``: sanitised), or 400 with a message."""
    scope_for(request, slug)  # 404 for a community the reader cannot read
    body = request.POST.get("body", "")
    if len(body) > MAX_BODY:
        return HttpResponseBadRequest(TOO_LONG, content_type="text/plain; charset=utf-8")
    return HttpResponse(render_markdown(body), content_type="text/html; charset=utf-8")
