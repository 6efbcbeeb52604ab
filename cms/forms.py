"""The dashboard's window picker."""

from datetime import timedelta

from django import forms

from cms import engagement
from gamification import periods

CUSTOM_NEEDS_DATES = "Choose both a start and an end date for a custom window."
END_BEFORE_START = "The end date can't be before the start date."
WINDOW_TOO_LONG = "Choose a window of at most {days} days."
MAX_WINDOW_DAYS = 366
DEFAULT_PERIOD = "30"
PERIOD_CHOICES = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("custom", "Custom dates"),
]


class DashboardWindowForm(forms.Form):
    period = forms.ChoiceField(
        choices=PERIOD_CHOICES, required=False, label="Window", initial=DEFAULT_PERIOD
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if not start or not end:
            raise forms.ValidationError(CUSTOM_NEEDS_DATES)
        if end < start:
            raise forms.ValidationError(END_BEFORE_START)
        if (end - start).days + 1 > MAX_WINDOW_DAYS:
            raise forms.ValidationError(WINDOW_TOO_LONG.format(days=MAX_WINDOW_DAYS))
        return data

    def window(self, community) -> engagement.Window:
        """The chosen window; the default (last 30 days) when the form is unbound or invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = data.get("period") or DEFAULT_PERIOD
        if period == "custom":
            return engagement.Window(community, data["start"], data["end"])
        today = periods.local_day(community)
        return engagement.Window(community, today - timedelta(days=int(period) - 1), today)
