"""Search pages: every community the reader can read, or one community."""

from django.core.paginator import Paginator
from django.shortcuts import render

from community import search
from community.views.base import scope_for
from core import errors

PER_PAGE = 20


def search_all(request):
    return _results(request, "community/search.html", {}, community=None)


def search_community(request, slug):
    scope = scope_for(request, slug)
    return _results(
        request, "community/search.html", scope.context(tab="search"), community=scope.community
    )


def _results(request, template, context, *, community):
    query = request.GET.get("q", "")
    context.update(query=query, page=None, error=None)
    status = 200
    if query.strip():
        try:
            hits = search.search(request.user, query, community=community)
        except errors.Invalid as error:
            context["error"], status = str(error), error.status
        else:
            context["page"] = Paginator(hits, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, context, status=status)
