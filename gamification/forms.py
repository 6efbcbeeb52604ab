"""Moderator forms: kudos, bulk badge grants, revocations."""

import re

from django import forms

from community.services.recognition import MAX_KUDOS_POINTS

NO_RECIPIENTS = "Pick at least one member or paste their usernames."
TOO_MANY_RECIPIENTS = "Grant to at most {max} members at once."
MAX_RECIPIENTS = 500


class KudosForm(forms.Form):
    recipient = forms.CharField(label="Member's username", max_length=150)
    message = forms.CharField(
        label="Message",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the member and in the community's recognition feed.",
    )
    points = forms.IntegerField(
        label="Points",
        min_value=0,
        max_value=MAX_KUDOS_POINTS,
        required=False,
        help_text="Leave empty for the community's usual kudos points.",
    )
    badge = forms.ModelChoiceField(
        label="Also grant a badge (optional)", queryset=None, required=False, empty_label="No badge"
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, badges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["badge"].queryset = badges


class BulkBadgeForm(forms.Form):
    badge = forms.ModelChoiceField(label="Badge", queryset=None, empty_label=None)
    members = forms.MultipleChoiceField(
        label="Pick members", required=False, widget=forms.CheckboxSelectMultiple
    )
    usernames = forms.CharField(
        label="Or paste usernames",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Separated by commas, spaces or new lines; a leading @ is fine.",
    )
    reason = forms.CharField(label="Reason", max_length=300)

    def __init__(self, *args, badges, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["badge"].queryset = badges
        self.fields["members"].choices = [(m.user.username, m.user.username) for m in members]

    def clean(self):
        cleaned = super().clean()
        pasted = re.split(r"[\s,;]+", cleaned.get("usernames") or "")
        names = {name.lstrip("@") for name in pasted if name.lstrip("@")}
        names |= set(cleaned.get("members") or [])
        if not names:
            raise forms.ValidationError(NO_RECIPIENTS)
        if len(names) > MAX_RECIPIENTS:
            raise forms.ValidationError(TOO_MANY_RECIPIENTS.format(max=MAX_RECIPIENTS))
        cleaned["all_usernames"] = sorted(names)
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Reason for revoking", max_length=300)
