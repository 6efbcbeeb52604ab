from django import forms

from realtime.models import EmailPreference, ToastPreference
from tenancy.models import Community

TOAST_FIELDS = ["points", "badges", "levels", "streaks", "kudos", "challenges", "rewards"]
# EmailPreference field -> label, in the order the page shows them.
EMAIL_FIELDS = [
    (name, EmailPreference._meta.get_field(name).verbose_name)
    for name in ["replies", "mentions", "answers", "kudos", "badges", "expiry", "reminders"]
]


class PreferencesForm(forms.Form):
    """Which recognitions pop a toast, which are e-mailed when the member is away, the digest,
    and which of the member's communities are muted."""

    muted = forms.ModelMultipleChoiceField(
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Muted communities",
        help_text="Muted communities still land in your inbox; they just don't pop up or e-mail.",
    )
    digest = forms.ChoiceField(
        choices=EmailPreference.Digest.choices,
        required=False,
        label="Digest e-mail",
        help_text="New topics, your progress, open challenges and points about to expire.",
    )

    def __init__(
        self,
        *args,
        preference: ToastPreference,
        email_preference: EmailPreference,
        communities,
        muted_ids,
        **kwargs,
    ):
        initial = {name: getattr(preference, name) for name in TOAST_FIELDS}
        initial.update(
            {f"email_{name}": getattr(email_preference, name) for name, _ in EMAIL_FIELDS}
        )
        initial["digest"] = email_preference.digest
        initial["muted"] = list(muted_ids)
        super().__init__(*args, initial=initial, **kwargs)
        for name in TOAST_FIELDS:
            self.fields[name] = forms.BooleanField(
                required=False, label=ToastPreference._meta.get_field(name).verbose_name
            )
        for name, label in EMAIL_FIELDS:
            self.fields[f"email_{name}"] = forms.BooleanField(required=False, label=label)
        self.fields["muted"].queryset = Community.objects.filter(
            pk__in=[c.pk for c in communities]
        ).order_by("name")
        self.order_fields(
            [*TOAST_FIELDS, *(f"email_{name}" for name, _ in EMAIL_FIELDS), "digest", "muted"]
        )

    def toast_choices(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in TOAST_FIELDS}

    def email_choices(self) -> dict:
        choices = {name: self.cleaned_data[f"email_{name}"] for name, _ in EMAIL_FIELDS}
        digest = self.cleaned_data["digest"] or EmailPreference.Digest.WEEKLY
        return {**choices, "digest": digest}

    def toast_fields(self):
        return [self[name] for name in TOAST_FIELDS]

    def email_fields(self):
        return [self[f"email_{name}"] for name, _ in EMAIL_FIELDS]
