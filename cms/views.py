"""Wagtail admin views: the engagement dashboard of one community, and its CSV exports."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from cms import charts, engagement
from cms.forms import DashboardWindowForm
from tenancy.access import can_manage, managed_community_ids
from tenancy.models import Community


def _communities(user):
    communities = Community.objects.order_by("name")
    return (
        communities if user.is_superuser else communities.filter(pk__in=managed_community_ids(user))
    )


def dashboard_index(request):
    communities = list(_communities(request.user))
    if len(communities) == 1:
        return redirect("cms_dashboard", slug=communities[0].slug)
    return TemplateResponse(request, "cms/admin/dashboard_index.html", {"communities": communities})


def dashboard(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not can_manage(request.user, community.pk):
        raise Http404
    query = request.GET.copy()
    export = query.pop("export", [None])[0]
    form = DashboardWindowForm(query or None)
    window = form.window(community)
    if export is not None:
        builder = engagement.SECTIONS.get(export)
        if builder is None:
            raise Http404
        return _csv(builder(window), window)
    tables = {key: build(window) for key, build in engagement.SECTIONS.items()}
    context = {
        "community": community,
        "form": form,
        "window": window,
        "query": query.urlencode(),
        "summary": tables.pop("summary"),
        "tables": list(tables.values()),
        "charts": [
            charts.from_table("Active members", tables["active"]),
            charts.from_table("Contributions by type", tables["contributions"], skip_last=True),
        ],
        "others": [c for c in _communities(request.user) if c.pk != community.pk],
    }
    return TemplateResponse(request, "cms/admin/dashboard.html", context)


def _csv(table: engagement.Table, window: engagement.Window) -> HttpResponse:
    name = f"{window.community.slug}-{table.key}-{window.first_day}-{window.last_day}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return response
