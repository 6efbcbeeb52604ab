from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from realtime import notification_mail, selectors, services
from realtime.forms import EMAIL_FIELDS, PreferencesForm

INBOX_PAGE_SIZE = 20
ALL_MARKED_READ = "All caught up: every notification is marked read."
PREFERENCES_SAVED = "Your notification settings are saved."


def _back_to_inbox(request):
    page = request.POST.get("page", "")
    url = reverse("realtime:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "realtime/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, notification_id: int):
    try:
        services.mark_read(user=request.user, notification_id=notification_id)
    except services.NotificationError as exc:
        messages.error(request, str(exc))
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    messages.success(request, ALL_MARKED_READ)
    return _back_to_inbox(request)


@login_required
def preferences(request):
    form = PreferencesForm(
        request.POST or None,
        preference=selectors.toast_preference(request.user),
        email_preference=notification_mail.preference(request.user),
        communities=selectors.member_communities(request.user),
        muted_ids=selectors.muted_community_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.update_toast_preference(user=request.user, choices=form.toast_choices())
        services.update_email_preference(user=request.user, choices=form.email_choices())
        services.set_muted_communities(
            user=request.user, communities=list(form.cleaned_data["muted"])
        )
        messages.success(request, PREFERENCES_SAVED)
        return redirect("realtime:preferences")
    return render(request, "realtime/preferences.html", {"form": form})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The link in every notification e-mail. GET asks to confirm (mail scanners follow links);
    POST, from the page or a mail client's one-click (RFC 8058), turns the kind off. No login:
    the signed token is the proof; it only ever turns e-mail off."""
    found = notification_mail.read_unsubscribe_token(token)
    if found is None:
        return render(request, "realtime/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    label = dict(EMAIL_FIELDS).get(kind, "The digest")
    done = request.method == "POST" and notification_mail.unsubscribe(token)
    return render(request, "realtime/unsubscribe.html", {"label": label, "done": done})
