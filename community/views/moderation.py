"""Reports from members and the moderators' queue, actions and audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community import selectors
from community.forms import ReasonForm, ReportForm, ReviewRequestForm
from community.models import TargetType
from community.services import moderation, notices
from community.services.messages import CONTENT_NOT_FOUND, MODERATORS_ONLY
from community.views.base import flash_and_redirect, render_form, scope_for
from core import errors

MODERATION_ACTIONS = {
    "hide": (moderation.hide, "Hidden. Points it earned were taken back."),
    "restore": (moderation.restore, "Restored. Points it earned were given back."),
    "dismiss": (moderation.dismiss_reports, "Reports dismissed."),
}


@login_required
def report(request, slug, target_type, pk):
    scope = scope_for(request, slug)
    if target_type not in TargetType.values:
        return flash_and_redirect(request, errors.NotFound(CONTENT_NOT_FOUND), scope.community)
    try:
        target = moderation.find_target(
            community=scope.community, target_type=target_type, target_id=pk
        )
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, scope.community)
    form = ReportForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report(
                user=request.user,
                community=scope.community,
                target_type=target_type,
                target_id=pk,
                reason=form.cleaned_data["reason"],
            )
        except errors.AppError as exc:
            form.add_error(None, str(exc))
            error = exc
        else:
            messages.success(request, "Thanks. A moderator will review it.")
            return redirect(target)
    context = scope.context(form=form, target=target, target_type=target_type)
    return render_form(request, "community/report_form.html", context, error)


@login_required
def ask_review(request, slug, target_type, pk):
    """The author of a hidden item reads why it was hidden and asks for a second look."""
    scope = scope_for(request, slug)
    target = selectors.own_hidden_item(scope.community, request.user, target_type, pk)
    if target is None:
        raise Http404(CONTENT_NOT_FOUND)
    form = ReviewRequestForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            notices.ask_for_review(
                user=request.user,
                community=scope.community,
                target=target,
                reason=form.cleaned_data["reason"],
            )
        except errors.AppError as exc:
            form.add_error(None, str(exc))
            error = exc
        else:
            messages.success(request, "Thanks. A moderator will look at it again.")
            return redirect(scope.community)
    context = scope.context(
        form=form,
        target=target,
        target_type=target_type,
        hidden_because=selectors.hidden_because(scope.community, target_type, pk),
    )
    return render_form(request, "community/review_request_form.html", context, error)


@login_required
def queue(request, slug):
    scope = scope_for(request, slug)
    if not scope.is_staff:
        return flash_and_redirect(request, errors.NotAllowed(MODERATORS_ONLY), scope.community)
    context = scope.context(
        tab="moderation",
        groups=selectors.moderation_queue(scope.community),
        hidden=selectors.hidden_items(scope.community),
        log=selectors.audit_log(scope.community),
        reason_form=ReasonForm(),
    )
    return render(request, "community/moderation_queue.html", context)


@login_required
@require_POST
def act(request, slug, target_type, pk, action):
    """Hide, restore or dismiss reports on one item, with the moderator's reason."""
    scope = scope_for(request, slug)
    queue_url = reverse("community:moderation", kwargs={"slug": scope.community.slug})
    back = request.POST.get("next") or queue_url
    if not back.startswith("/") or back.startswith("//"):
        back = queue_url
    if action not in MODERATION_ACTIONS:
        raise Http404
    form = ReasonForm(request.POST)
    service, done = MODERATION_ACTIONS[action]
    try:
        service(
            user=request.user,
            community=scope.community,
            target_type=target_type,
            target_id=pk,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except errors.AppError as exc:
        return flash_and_redirect(request, exc, back)
    messages.success(request, done)
    return redirect(back)
