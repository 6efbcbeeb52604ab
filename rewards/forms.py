import uuid

from django import forms


class RedeemForm(forms.Form):
    """One form per reward shown; its token makes a double click redeem once."""

    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    shipping_note = forms.CharField(
        required=False,
        max_length=500,
        label="Shipping address and notes",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FlairForm(forms.Form):
    """Which of the member's flairs shows next to their name; empty shows their level's."""

    flair = forms.ChoiceField(
        label="Flair next to your name", widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, owned: list[str], level_flair: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        level_label = f"My level's flair ({level_flair})" if level_flair else "My level's flair"
        self.fields["flair"].choices = [("", level_label)] + [(text, text) for text in owned]


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Reason for cancelling")
