"""The account pages: sign-up, profile, privacy settings, data export and deletion.

The privacy page is a top-layer page: besides accounts' own setting it shows and saves the
per-community leaderboard choice, which gamification owns, through
``gamification.privacy.leaderboard_choices`` / ``save_leaderboard_choices``. That one import
is the only one from an app above accounts in this package (checked by
``tests/accounts/test_layers.py``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    DeleteAccountForm,
    PrivacyForm,
    ProfileForm,
    RateLimitedPasswordResetForm,
    SignUpForm,
)
from accounts.services import ProfileError, SignUpError, create_account, update_profile
from gamification import privacy as boards
from safety import ratelimit


def _next_url(request) -> str:
    """Where to go after signing up: a ``next`` on this site (an invite's community), or home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view with our form (rate limits, mail through the task queue)."""

    form_class = RateLimitedPasswordResetForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        self.extra_email_context = {"site_name": settings.WAGTAIL_SITE_NAME}
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = ratelimit.hit("signup", ratelimit.client_ip(request))
        if not verdict.allowed:
            form.add_error(None, verdict.message)
            context = {"form": form, "next": next_url}
            response = render(request, "accounts/signup.html", context, status=429)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        try:
            user = create_account(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data.get("email", ""),
            )
        except SignUpError as exc:
            form.add_error("username", str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if next_url:
                messages.success(request, f"Welcome, {user.username}!")
                return redirect(next_url)
            messages.success(request, f"Welcome, {user.username}! Pick a community to join.")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def _privacy_page(request, *, privacy_form=None, delete_form=None, export_error="", status=200):
    """The privacy page: settings, the export button and the delete form, each with its errors."""
    if privacy_form is None:
        privacy_form = PrivacyForm(
            rows=boards.leaderboard_choices(request.user),
            activity_members_only=request.user.activity_members_only,
        )
    context = {
        "form": privacy_form,
        "delete_form": delete_form or DeleteAccountForm(user=request.user),
        "export_error": export_error,
    }
    return render(request, "accounts/privacy.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    initial = {"first_name": user.first_name, "bio": user.bio}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(
                user=user,
                first_name=form.cleaned_data["first_name"],
                bio=form.cleaned_data["bio"],
                avatar=form.cleaned_data["avatar"] or None,
            )
        except ProfileError as exc:
            form.add_error("avatar", str(exc))
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request):
    if request.method == "GET":
        return _privacy_page(request)
    form = PrivacyForm(
        request.POST,
        rows=boards.leaderboard_choices(request.user),
        activity_members_only=request.user.activity_members_only,
    )
    if not form.is_valid():
        return _privacy_page(request, privacy_form=form, status=400)
    with transaction.atomic():
        services.update_privacy(
            user=request.user, activity_members_only=form.cleaned_data["activity_members_only"]
        )
        boards.save_leaderboard_choices(user=request.user, public=form.public_choices())
    messages.success(request, "Your privacy settings are saved.")
    return redirect("accounts:privacy")


@login_required
@require_POST
def export_data(request):
    """Download everything about the member as a zip (rate limited: it reads a lot)."""
    verdict = ratelimit.hit("data_export", f"user:{request.user.pk}")
    if not verdict.allowed:
        response = _privacy_page(request, export_error=verdict.message, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    archive = selectors.export_file(request.user)
    filename = f"brandloop-data-{timezone.now():%Y-%m-%d}.zip"
    return FileResponse(
        archive, as_attachment=True, filename=filename, content_type="application/zip"
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Delete on POST; a visit (a typed or bookmarked address) lands on the form, not a bare 405."""
    if request.method == "GET":
        return redirect(f"{reverse('accounts:privacy')}#delete-title")
    form = DeleteAccountForm(request.POST, user=request.user, request=request)
    if not form.is_valid():
        return _privacy_page(request, delete_form=form, status=400)
    services.delete_account(user=request.user, remove_content=form.remove_content)
    logout(request)
    messages.success(request, "Your account is deleted. Thank you for having been part of it.")
    return redirect("home")
