from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts.models import User
from safety import ratelimit

USERNAME_TAKEN = "That username is already taken."
LOGIN_LOCKED = "Too many failed log-in attempts. Please try again in {wait}."


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional. Never shown to other members.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN)
        return username


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, plus a lockout after repeated failures for one username or address.

    Failures are counted per username and (with a larger budget, for shared offices) per
    client address in the shared cache, so every worker sees the same count. A locked account
    gets a clear message, and the password is not even checked until the window passes.
    """

    def clean(self):
        username = (self.data.get("username") or "").strip().lower()
        counters = [
            ("login_failures", f"user:{username}"),
            ("login_failures_ip", f"ip:{ratelimit.client_ip(self.request)}"),
        ]
        for name, ident in counters:
            verdict = ratelimit.check(name, ident)
            if not verdict.allowed:
                raise forms.ValidationError(
                    LOGIN_LOCKED.format(wait=ratelimit.humanize_wait(verdict.retry_after)),
                    code="locked",
                )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for name, ident in counters:
                ratelimit.hit(name, ident)
            raise
        ratelimit.reset(*counters[0])
        return cleaned


class ProfileForm(forms.Form):
    """What other members see: a display name, a short bio and an avatar."""

    first_name = forms.CharField(label="Display name", max_length=150, required=False)
    bio = forms.CharField(
        label="About you",
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A line or two other members see on your profile.",
    )
    avatar = forms.FileField(
        label="Avatar",
        required=False,
        help_text="A JPEG, PNG, WebP or HEIC photo; we crop it square.",
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
