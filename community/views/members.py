from django.shortcuts import render

from community import selectors
from community.views.base import or_404, scope_for


def member_profile(request, slug, username):
    scope = scope_for(request, slug)
    profile = or_404(selectors.member_profile(scope.community, username))
    return render(request, "community/member_profile.html", scope.context(**profile))
