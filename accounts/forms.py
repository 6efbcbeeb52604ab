from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.template import loader

from accounts import lockout
from accounts.models import User
from core.mail import send_mail
from safety import ratelimit

USERNAME_TAKEN = "That username is already taken."


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


ACTIVITY_LABEL = "Show my posts, reviews, photos and badges only to members of the same community"
HIDE_LABEL = "Hide me from the public leaderboards and recognition feed of {community}"


class PrivacyForm(forms.Form):
    """Profile activity visibility (whole account) and board visibility (per community)."""

    activity_members_only = forms.BooleanField(
        required=False,
        label=ACTIVITY_LABEL,
    )

    def __init__(self, *args, rows: list[dict], activity_members_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_members_only"].initial = activity_members_only
        self.communities = []
        for row in rows:
            name = f"hide_{row['community'].pk}"
            self.fields[name] = forms.BooleanField(
                required=False,
                initial=not row["public"],
                label=HIDE_LABEL.format(community=row["community"].name),
            )
            self.communities.append((row["community"], name))

    def board_fields(self):
        return [(community, self[name]) for community, name in self.communities]

    def public_choices(self) -> dict[int, bool]:
        return {community.pk: not self.cleaned_data[name] for community, name in self.communities}


WRONG_PASSWORD = "That's not your password."
REMOVE, ANONYMISE = "remove", "anonymise"


class DeleteAccountForm(forms.Form):
    content = forms.ChoiceField(
        label="What happens to what you posted",
        widget=forms.RadioSelect,
        choices=[
            (
                ANONYMISE,
                "Keep my topics, posts, reviews and photos, shown as by “deleted member”",
            ),
            (
                REMOVE,
                "Remove my content: my topics, posts and reviews are blanked and my photos "
                "deleted (other members' replies stay readable)",
            ),
        ],
    )
    password = forms.CharField(
        label="Your password, to confirm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        """Checked like a log-in: the same lockout counts and refuses (accounts/lockout.py)."""
        password = self.cleaned_data["password"]
        credentials = {"username": self.user.get_username(), "password": password}
        if authenticate(self.request, **credentials) is None:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(
                    lockout.locked_message(lockout.retry_after(self.request, credentials))
                )
            raise forms.ValidationError(WRONG_PASSWORD)
        return password

    @property
    def remove_content(self) -> bool:
        return self.cleaned_data["content"] == REMOVE


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, limited per client address and per e-mail address asked for, and
    sending through the mail task (text and HTML). It answers the same whether or not an
    account has that address, as Django's does."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("email") or "").strip().lower()
        for name, ident in (
            ("password_reset", f"ip:{ratelimit.client_ip(self.request)}"),
            ("password_reset_email", f"email:{email}"),
        ):
            verdict = ratelimit.hit(name, ident)
            if not verdict.allowed:
                raise forms.ValidationError(verdict.message, code="too_soon")
        return cleaned

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        send_mail(
            subject=loader.render_to_string(subject_template_name, context),
            text=loader.render_to_string(email_template_name, context),
            html=loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else "",
            to=to_email,
        )
