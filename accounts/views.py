from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import SignUpForm
from accounts.services import SignUpError, create_account
from safety import ratelimit


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = ratelimit.hit("signup", ratelimit.client_ip(request))
        if not verdict.allowed:
            form.add_error(None, verdict.message)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
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
            messages.success(request, f"Welcome, {user.username}! Pick a community to join.")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})
