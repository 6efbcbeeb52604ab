"""What every community page needs: the community (404 if unreadable) and the reader's role."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from community import selectors
from core import errors
from tenancy import access
from tenancy.models import Community, Membership


@dataclass(frozen=True)
class Scope:
    community: Community
    membership: Membership | None

    @property
    def is_staff(self) -> bool:
        return bool(self.membership and self.membership.is_staff_role)

    def open_reports(self) -> int:
        return selectors.open_report_count(self.community) if self.is_staff else 0

    def context(self, **extra) -> dict:
        return {
            "community": self.community,
            "membership": self.membership,
            "is_moderator": self.is_staff,
            # Called by the template only where the Moderation tab shows (staff only).
            "open_reports": self.open_reports,
            **extra,
        }


def scope_for(request, slug: str) -> Scope:
    community = get_object_or_404(selectors.visible_communities(request.user), slug=slug)
    return Scope(community, access.membership(request.user, community))


def or_404(obj):
    if obj is None:
        raise Http404
    return obj


def render_form(request, template: str, context: dict, error=None):
    """A form page, shown again with the service's error if there was one.

    The status is the error's kind (``core.errors``: 400, 403, 404, 409, or 429 for a rate limit
    or the community's pace);
    a 429 carries ``Retry-After`` with the seconds left, as the API's throttled answers do.
    """
    if error is None:
        return render(request, template, context)
    response = render(request, template, context, status=error.status)
    if isinstance(error, errors.TooSoon):
        response["Retry-After"] = str(error.retry_after)
    return response


def flash_and_redirect(request, error: errors.AppError, to):
    messages.error(request, str(error))
    return redirect(to)
