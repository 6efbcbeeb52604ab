from django import forms

from realtime.models import ToastPreference
from tenancy.models import Community

TOAST_FIELDS = ["points", "badges", "levels", "streaks", "kudos", "challenges", "rewards"]


class PreferencesForm(forms.Form):
    """Which recognitions pop a toast, and which of the member's communities are muted."""

    muted = forms.ModelMultipleChoiceField(
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Muted communities",
        help_text="Muted communities still land in your inbox; they just don't pop up.",
    )

    def __init__(self, *args, preference: ToastPreference, communities, muted_ids, **kwargs):
        initial = {name: getattr(preference, name) for name in TOAST_FIELDS}
        initial["muted"] = list(muted_ids)
        super().__init__(*args, initial=initial, **kwargs)
        for name in TOAST_FIELDS:
            self.fields[name] = forms.BooleanField(
                required=False, label=ToastPreference._meta.get_field(name).verbose_name
            )
        self.fields["muted"].queryset = Community.objects.filter(
            pk__in=[c.pk for c in communities]
        ).order_by("name")
        self.order_fields([*TOAST_FIELDS, "muted"])

    def toast_choices(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in TOAST_FIELDS}

    def toast_fields(self):
        return [self[name] for name in TOAST_FIELDS]
