from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm, SignUpForm
from accounts.services import ProfileError, SignUpError, create_account, update_profile
from safety import ratelimit


def _next_url(request) -> str:
    """Where to go after signing up: a ``next`` on this site (an invite's community), or home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


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
            return render(request, "accounts/signup.html", context, status=429)
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
